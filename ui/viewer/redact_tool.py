"""The PDF view's "redact" tool: drag a rectangle on a page to black it out in exports.

While the tool is on it takes the view's mouse (an event filter on the viewport), so dragging
draws a box instead of selecting text. The box is drawn live in its own overlay layer and, on
release, announced in word-map coordinates (PDF points, top-left origin of the unrotated
page), which is what the redaction service stores. Nothing is stored here.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeyEvent, QMouseEvent

from ui.i18n import tr
from ui.viewer.overlays import LAYERS, LayerStyle, Rect, register_layer
from ui.viewer.pdf_view import PdfView

DRAFT_LAYER = "redaction-draft"
MIN_SIDE = 2.0
"""Points: a smaller box is a slipped click, not a redaction."""

if DRAFT_LAYER not in LAYERS:
    register_layer(DRAFT_LAYER, LayerStyle(QColor(0, 0, 0, 120), QColor(220, 0, 0)))


class RedactTool(QObject):
    drawn = Signal(str, int, object)
    """Document id, page index, and the rectangle (x0, y0, x1, y1) in PDF points."""
    toggled = Signal(bool)

    def __init__(self, view: PdfView) -> None:
        super().__init__(view)
        self.view = view
        self.active = False
        self._start: tuple[int, QPointF] | None = None
        self.action = QAction(tr("Redact"), view)
        self.action.setCheckable(True)
        self.action.setToolTip(tr("Draw boxes to black out in exports (Esc to stop)"))
        self.action.toggled.connect(self.set_active)
        view.viewport().installEventFilter(self)
        view.installEventFilter(self)  # Esc reaches the view, not its viewport

    def set_active(self, on: bool) -> None:
        if on == self.active:
            return
        self.active = on
        self._start = None
        self.view.clear_overlay(DRAFT_LAYER)
        shape = Qt.CursorShape.CrossCursor if on else Qt.CursorShape.IBeamCursor
        self.view.viewport().setCursor(shape)
        if self.action.isChecked() != on:
            self.action.setChecked(on)
        self.toggled.emit(on)

    # -- drawing ------------------------------------------------------------------------------

    def _page_point(self, index: int, view_pos: QPointF) -> tuple[float, float]:
        item = self.view._items[index]
        local = item.mapFromScene(self.view.mapToScene(view_pos.toPoint()))
        bounds = item.boundingRect()
        clamped = QPointF(
            min(max(local.x(), 0.0), bounds.width()), min(max(local.y(), 0.0), bounds.height())
        )
        return item.to_page(clamped)

    def _rect(self, index: int, view_pos: QPointF) -> Rect | None:
        if self._start is None:
            return None
        x0, y0 = self._page_point(index, self._start[1])
        x1, y1 = self._page_point(index, view_pos)
        return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.active:
            return False
        kind = event.type()
        if watched is self.view:
            if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
                self.set_active(False)
                return True
            return False
        if watched is not self.view.viewport():
            return False
        if not isinstance(event, QMouseEvent):
            return False
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            hit = self.view._item_at(event.position())
            if hit is not None:
                self._start = (hit[0].index, event.position())
            return True
        if kind == QEvent.Type.MouseMove and self._start is not None:
            index = self._start[0]
            rect = self._rect(index, event.position())
            if rect is not None:
                self.view.set_overlay(DRAFT_LAYER, {index: [rect]})
            return True
        if kind == QEvent.Type.MouseButtonRelease and self._start is not None:
            index = self._start[0]
            rect = self._rect(index, event.position())
            self._start = None
            self.view.clear_overlay(DRAFT_LAYER)
            if rect is not None and rect[2] - rect[0] >= MIN_SIDE and rect[3] - rect[1] >= MIN_SIDE:
                self.drawn.emit(self.view.doc_id, index, rect)
            return True
        if kind == QEvent.Type.MouseButtonDblClick:
            return True  # no word selection while drawing
        return False
