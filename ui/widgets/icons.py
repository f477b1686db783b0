"""Icons drawn in code (no image files to ship or lose): a coloured badge per document kind."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from dossier import labels
from ui.i18n import N_, tr

KIND_COLOURS = {
    "article": "#2e6bd1",
    "letter": "#b5651d",
    "reply": "#7a4fb8",
    "interview": "#1b8a5a",
    "source": "#5b6770",
    "note": "#c29b00",
}
KIND_NAMES = {
    "article": N_("Articles"),
    "letter": N_("Letters"),
    "reply": N_("Replies"),
    "interview": N_("Interviews"),
    "source": N_("Sources"),
    "note": N_("Notes"),
}
KIND_SINGULAR = labels.KINDS  # the core's words, shared with the CLI and exports


def kind_label(kind: str, plural: bool = False) -> str:
    names = KIND_NAMES if plural else KIND_SINGULAR
    return tr(names[kind]) if kind in names else kind


@cache
def kind_icon(kind: str, size: int = 32) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(KIND_COLOURS.get(kind, "#888888")))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(QRectF(2, 2, size - 4, size - 4), size / 5, size / 5)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(size * 0.55))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    letter = kind_label(kind)[:1].upper() or "?"
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, letter)
    painter.end()
    return QIcon(pixmap)


@cache
def app_icon() -> QIcon:
    """A folder-like badge: the window icon until the packaging issue brings artwork."""
    icon = QIcon()
    for size in (16, 32, 64, 128):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#23395d"))
        painter.drawRoundedRect(QRectF(0, size * 0.12, size, size * 0.8), size / 8, size / 8)
        painter.setBrush(QColor("#f2c14e"))
        painter.drawRect(QRectF(size * 0.18, size * 0.3, size * 0.64, size * 0.08))
        painter.drawRect(QRectF(size * 0.18, size * 0.48, size * 0.46, size * 0.08))
        painter.drawRect(QRectF(size * 0.18, size * 0.66, size * 0.56, size * 0.08))
        painter.end()
        icon.addPixmap(pixmap)
    return icon
