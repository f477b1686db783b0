"""Named overlay layers drawn over pages, in the order listed (later layers on top).

A tool registers its own layers (e.g. the redaction draft) with `register_layer`; the
viewer draws whatever layers hold rectangles, in PDF coordinates of the word map.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor

Rect = tuple[float, float, float, float]
PROTECTED_LAYER = "protected"
"""The word boxes of protected people's names, filled opaquely (computed by the core)."""
RectsByPage = dict[int, list[Rect]]


@dataclass(frozen=True)
class LayerStyle:
    fill: QColor
    outline: QColor | None = None


LAYERS: dict[str, LayerStyle] = {
    "redaction": LayerStyle(QColor(0, 0, 0, 170), QColor(200, 0, 0)),
    "quote": LayerStyle(QColor(60, 130, 255, 70), QColor(40, 100, 220)),
    "search": LayerStyle(QColor(255, 214, 0, 110)),
    "current-hit": LayerStyle(QColor(255, 140, 0, 120), QColor(220, 90, 0)),
    "selection": LayerStyle(QColor(40, 120, 255, 80)),
    # Protected names: opaque and on top, so no layer drawn after it can let the name through.
    PROTECTED_LAYER: LayerStyle(QColor(28, 28, 28, 255)),
}


def register_layer(name: str, style: LayerStyle, below: str | None = None) -> None:
    """Add a layer; drawn under the protected names' layer unless `below` names another."""
    below = below or PROTECTED_LAYER
    if below not in LAYERS:
        LAYERS[name] = style
        return
    ordered = list(LAYERS.items())
    position = [n for n, _ in ordered].index(below)
    ordered.insert(position, (name, style))
    LAYERS.clear()
    LAYERS.update(ordered)
