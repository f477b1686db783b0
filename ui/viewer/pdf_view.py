"""Continuous PDF pages: rendered off the GUI thread, overlays in PDF coordinates, selection.

Scene units are screen pixels at the current zoom (1 point x zoom). Each page is a `PageItem`
that draws its cached image (or a scaled stale one while the right one renders), then every
overlay layer. Mouse selection works like a text editor: from the word under the press to
the word under the pointer, on one page, and yields a (page, start, end) span.
"""

from __future__ import annotations

import bisect
from functools import partial

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QWidget

from dossier.errors import Cancelled, CorruptData
from dossier.pdf.render import PageGeometry, PdfRenderer
from dossier.text.highlight import span_between, word_at
from dossier.text.model import PageText
from dossier.text.rects import span_rects
from ui.errors import show_error
from ui.state import PageSpan
from ui.viewer.overlays import Rect, RectsByPage
from ui.viewer.page_cache import PageCache, zoom_key
from ui.viewer.page_item import PageItem
from ui.worker import named_pool, run_in_background

MARGIN = 16
GAP = 12
ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0, 6.0)
DRAG_THRESHOLD = 4


class PdfView(QGraphicsView):
    current_page_changed = Signal(int)
    zoom_changed = Signal(float)
    page_rendered = Signal(int)
    selection_changed = Signal(str, int, int, int)
    selection_cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setBackgroundBrush(QColor("#5a5e63"))
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setCursor(Qt.CursorShape.IBeamCursor)
        self.zoom = 1.0
        self.fit_width_mode = True
        self.overlays: dict[str, RectsByPage] = {}
        self.cache = PageCache()
        self.doc_id = ""
        self.pages: list[PageText] = []
        self._renderer: PdfRenderer | None = None
        self._items: list[PageItem] = []
        self._pending: set[tuple[str, int, int]] = set()
        self._wanted: set[int] = set()
        self._current = -1
        self._press: tuple[int, QPointF, QPointF] | None = None
        self.selection: PageSpan | None = None
        self._render_timer = QTimer(self, singleShot=True, interval=15)
        self._render_timer.timeout.connect(self._request_visible)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)

    # -- document -----------------------------------------------------------------------------

    def load(
        self,
        doc_id: str,
        renderer: PdfRenderer,
        geometries: list[PageGeometry],
        pages: list[PageText],
    ) -> None:
        self.clear()
        self.doc_id = doc_id
        self._renderer = renderer
        self.pages = pages
        for index, geometry in enumerate(geometries):
            item = PageItem(self, index, geometry)
            self.scene().addItem(item)
            self._items.append(item)
        if self.fit_width_mode:
            self.zoom = self._fit_zoom()
        self._layout()
        self._current = -1
        self._scrolled()

    def clear(self) -> None:
        """Forget the document, its overlays and its images (memory only, nothing to wipe)."""
        self.scene().clear()
        self._items = []
        self.pages = []
        self.overlays = {}
        if self.doc_id:
            self.cache.drop_document(self.doc_id)
        self.doc_id = ""
        self._renderer = None
        self._pending.clear()
        self._wanted.clear()
        self.selection = None
        self._press = None

    @property
    def page_count(self) -> int:
        return len(self._items)

    def image_for(self, index: int) -> QImage | None:
        exact = self.cache.get(self.doc_id, index, self._render_zoom())
        return exact if exact is not None else self.cache.any_zoom(self.doc_id, index)

    # -- layout and zoom ----------------------------------------------------------------------

    def _layout(self) -> None:
        width = max((item.size()[0] for item in self._items), default=0.0)
        y = float(MARGIN)
        for item in self._items:
            item.prepareGeometryChange()
            item_width, item_height = item.size()
            item.setPos(MARGIN + (width - item_width) / 2, y)
            y += item_height + GAP
        self.scene().setSceneRect(QRectF(0, 0, width + 2 * MARGIN, y - GAP + MARGIN))
        self.viewport().update()
        self._render_timer.start()

    def _fit_zoom(self) -> float:
        widest = max((item.geometry.width for item in self._items), default=0.0)
        if not widest:
            return 1.0
        room = self.viewport().width() - 2 * MARGIN
        if not self.verticalScrollBar().isVisible():
            room -= self.verticalScrollBar().sizeHint().width()
        return max(0.1, min(8.0, room / widest))

    def set_zoom(self, zoom: float, fit_width: bool = False) -> None:
        zoom = max(0.1, min(8.0, zoom))
        self.fit_width_mode = fit_width
        if not self._items:
            self.zoom = zoom
            self.zoom_changed.emit(zoom)
            return
        anchor = self._current if self._current >= 0 else 0
        item = self._items[anchor]
        into = (self.verticalScrollBar().value() - item.y()) / max(1.0, item.size()[1])
        self.zoom = zoom
        self._layout()
        self.verticalScrollBar().setValue(int(item.y() + into * item.size()[1]))
        self.zoom_changed.emit(zoom)

    def zoom_in(self) -> None:
        self.set_zoom(next((z for z in ZOOM_STEPS if z > self.zoom + 1e-3), self.zoom * 1.25))

    def zoom_out(self) -> None:
        lower = [z for z in ZOOM_STEPS if z < self.zoom - 1e-3]
        self.set_zoom(lower[-1] if lower else self.zoom / 1.25)

    def fit_width(self) -> None:
        self.set_zoom(self._fit_zoom(), fit_width=True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fit_width_mode and self._items:
            fit = self._fit_zoom()
            if abs(fit - self.zoom) > 1e-3:
                self.set_zoom(fit, fit_width=True)
        self._render_timer.start()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_in() if event.angleDelta().y() > 0 else self.zoom_out()
            event.accept()
            return
        super().wheelEvent(event)

    # -- navigation ---------------------------------------------------------------------------

    def _tops(self) -> list[float]:
        return [item.y() for item in self._items]

    def _index_at_y(self, y: float) -> int:
        return max(0, bisect.bisect_right(self._tops(), y) - 1)

    def _scrolled(self, *_: object) -> None:
        if not self._items:
            return
        top = self.verticalScrollBar().value()
        index = self._index_at_y(top + self.viewport().height() * 0.3)
        if index != self._current:
            self._current = index
            self.current_page_changed.emit(index)
        self._render_timer.start()

    @property
    def current_page(self) -> int:
        return max(0, self._current)

    def go_to_page(self, index: int, rect: Rect | None = None) -> None:
        if not self._items:
            return
        index = max(0, min(index, len(self._items) - 1))
        item = self._items[index]
        self.verticalScrollBar().setValue(int(item.y() - MARGIN / 2))
        if rect is not None:
            target = item.to_item(rect).translated(item.pos())
            visible = self.mapToScene(self.viewport().rect()).boundingRect()
            if not visible.contains(target):
                self.centerOn(target.center())
        self._scrolled()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Home and not event.modifiers():
            self.go_to_page(0)
        elif event.key() == Qt.Key.Key_End and not event.modifiers():
            self.go_to_page(len(self._items) - 1)
        elif event.matches(QKeySequence.StandardKey.SelectAll):
            self._select_page(self.current_page)
        else:
            super().keyPressEvent(event)

    # -- rendering ----------------------------------------------------------------------------

    def _render_zoom(self) -> float:
        return self.zoom * self.devicePixelRatioF()

    def _visible_pages(self) -> list[int]:
        if not self._items:
            return []
        top = self.verticalScrollBar().value()
        first = self._index_at_y(top)
        last = self._index_at_y(top + self.viewport().height())
        # One page beyond each edge: scrolling shows it ready.
        return list(range(max(0, first - 1), min(len(self._items), last + 2)))

    def _request_visible(self) -> None:
        if self._renderer is None:
            return
        visible = self._visible_pages()
        self._wanted = set(visible)
        zoom = self._render_zoom()
        for index in visible:
            key = (self.doc_id, index, zoom_key(zoom))
            if key in self._pending or self.cache.get(self.doc_id, index, zoom) is not None:
                continue
            self._pending.add(key)
            run_in_background(
                partial(self._render_job, self._renderer, self.doc_id, index, zoom),
                on_success=partial(self._rendered, key),
                on_error=partial(self._render_failed, key),
                parent=self,
                pool=named_pool("render", 1),
            )

    def _render_job(
        self, renderer: PdfRenderer, doc_id: str, index: int, zoom: float, *_: object
    ) -> QImage:
        # Runs on the worker: a page scrolled out of view before its turn is skipped.
        if doc_id != self.doc_id or index not in self._wanted:
            raise Cancelled("page no longer visible")
        page = renderer.render(doc_id, index, zoom)
        rgb = QImage.Format.Format_RGB888
        image = QImage(page.samples, page.width, page.height, page.stride, rgb)
        return image.copy()  # the copy owns its pixels; `samples` may go

    def _rendered(self, key: tuple[str, int, int], image: QImage) -> None:
        self._pending.discard(key)
        doc_id, index, _ = key
        image.setDevicePixelRatio(self.devicePixelRatioF())
        # Cached under the zoom asked for, even when the renderer had to lower it.
        self.cache.put(doc_id, index, key[2] / 1000, image)
        if doc_id == self.doc_id and index < len(self._items):
            self._items[index].update()
            self.page_rendered.emit(index)

    def _render_failed(self, key: tuple[str, int, int], exc: BaseException) -> None:
        self._pending.discard(key)
        if isinstance(exc, Cancelled):
            return
        doc_id, index, _ = key
        if isinstance(exc, CorruptData) and doc_id == self.doc_id and index < len(self._items):
            self._items[index].failed = True
            self._items[index].update()
            return
        show_error(self, exc)

    # -- overlays -----------------------------------------------------------------------------

    def set_overlay(self, layer: str, rects: RectsByPage) -> None:
        self.overlays[layer] = {page: list(r) for page, r in rects.items() if r}
        self.viewport().update()

    def clear_overlay(self, layer: str) -> None:
        if self.overlays.pop(layer, None) is not None:
            self.viewport().update()

    # -- selection ----------------------------------------------------------------------------

    def _item_at(self, view_pos: QPointF) -> tuple[PageItem, QPointF] | None:
        scene = self.mapToScene(view_pos.toPoint())
        if not self._items:
            return None
        item = self._items[self._index_at_y(scene.y())]
        return item, item.mapFromScene(scene)

    def _set_selection(self, index: int, span: tuple[int, int] | None) -> None:
        if span is None or span[0] >= span[1]:
            self.selection = None
            self.clear_overlay("selection")
            return
        self.selection = PageSpan(index, span[0], span[1])
        self.set_overlay("selection", {index: span_rects(self.pages[index], *span)})

    def _select_page(self, index: int) -> None:
        if 0 <= index < len(self.pages) and self.pages[index].words:
            words = self.pages[index].words
            self._set_selection(index, (min(w.start for w in words), max(w.end for w in words)))
            self._emit_selection()

    def _emit_selection(self) -> None:
        if self.selection is None:
            self.selection_cleared.emit()
        else:
            selected = self.selection
            self.selection_changed.emit(
                self.doc_id, selected.page_index, selected.start, selected.end
            )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        hit = (
            self._item_at(event.position()) if event.button() == Qt.MouseButton.LeftButton else None
        )
        if hit is None or hit[0].index >= len(self.pages):
            super().mousePressEvent(event)
            return
        item, local = hit
        self._press = (item.index, local, event.position())
        self.setFocus()
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None:
            super().mouseMoveEvent(event)
            return
        index, anchor, origin = self._press
        if (event.position() - origin).manhattanLength() < DRAG_THRESHOLD:
            return
        item = self._items[index]
        focus = item.mapFromScene(self.mapToScene(event.position().toPoint()))
        page = self.pages[index]
        self._set_selection(index, span_between(page, item.to_page(anchor), item.to_page(focus)))
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._press is None:
            super().mouseReleaseEvent(event)
            return
        _, _, origin = self._press
        self._press = None
        if (event.position() - origin).manhattanLength() < DRAG_THRESHOLD:
            self._set_selection(0, None)  # a click, not a drag: like a text editor, deselect
        self._emit_selection()
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        hit = self._item_at(event.position())
        if hit is None or hit[0].index >= len(self.pages):
            return
        item, local = hit
        word = word_at(self.pages[item.index], *item.to_page(local))
        if word is not None:
            self._set_selection(item.index, (word.start, word.end))
            self._emit_selection()
        self._press = None
        event.accept()

    def selected_text(self) -> str:
        if self.selection is None:
            return ""
        selected = self.selection
        return self.pages[selected.page_index].text[selected.start : selected.end]

    def select_span(self, index: int, start: int, end: int) -> None:
        """Select programmatically (the quote workflow re-selects a stored span)."""
        self._set_selection(index, (start, end))
        self._emit_selection()
