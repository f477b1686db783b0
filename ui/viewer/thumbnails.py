"""A strip of page thumbnails beside the viewer: where am I, and a click to go elsewhere.

Thumbnails are rendered off the GUI thread, only for the pages scrolled into the strip, and
kept in memory only (never a file: a thumbnail shows a page's content). Protected people's names
are blacked out on them as on the page itself.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem

from dossier.errors import Cancelled, DossierError
from dossier.pdf.render import PdfRenderer
from ui.errors import show_error
from ui.state import AppState
from ui.viewer.document_viewer import DocumentViewer
from ui.viewer.overlays import LAYERS, PROTECTED_LAYER
from ui.widgets.outside_text import shown
from ui.worker import named_pool, run_in_background

THUMB_WIDTH = 64
"""Pixels: wide enough to tell a page of text from a table or a photo."""
ROOM_FOR_PAGE = 400
"""The strip shows only when the viewer keeps at least this much for the page itself (a
laptop's 1366 pixels leave that much, with every tab name of the left pane whole)."""


class ThumbnailStrip(QListWidget):
    def __init__(self, state: AppState, viewer: DocumentViewer) -> None:
        super().__init__()
        self.app_state = state
        self.viewer = viewer
        self.doc_id = ""
        self._done: set[int] = set()
        self._pending: set[int] = set()
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.TopToBottom)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setIconSize(QSize(THUMB_WIDTH, int(THUMB_WIDTH * 1.42)))
        self.setSpacing(4)
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFixedWidth(THUMB_WIDTH + 34)
        self.setAccessibleName("thumbnails")
        self.itemClicked.connect(lambda item: viewer.go_to_page(self.row(item)))
        self.verticalScrollBar().valueChanged.connect(lambda _v: self._request_visible())
        viewer.document_shown.connect(self.load)
        viewer.page_changed.connect(self._follow)
        state.locking.connect(self.drop)
        viewer.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.viewer and event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    def _fit(self) -> None:
        """Shown beside a document when the page keeps its room (a laptop's narrow viewer
        gives the page all of it)."""
        roomy = self.viewer.width() >= ROOM_FOR_PAGE + self.width()
        self.setVisible(bool(self.doc_id) and roomy)
        self._request_visible()

    def drop(self) -> None:
        """Forget the thumbnails (the vault locks, or another document is shown)."""
        self.doc_id = ""
        self._done.clear()
        self._pending.clear()
        self.clear()
        self.hide()

    def load(self, doc_id: str) -> None:
        self.drop()
        viewer = self.viewer
        if viewer.stack.currentWidget() is not viewer.pdf or viewer.renderer is None:
            return  # a text document: no pages to picture
        self.doc_id = doc_id
        blank = QPixmap(self.iconSize())
        blank.fill(QColor("#f4f4f4"))
        for page in viewer.pages:
            self.addItem(QListWidgetItem(QIcon(blank), shown(page.display_label)))
        self._fit()

    def _follow(self, index: int) -> None:
        if 0 <= index < self.count():
            self.blockSignals(True)
            self.setCurrentRow(index)
            self.blockSignals(False)

    def visible_rows(self) -> list[int]:
        if not self.count():
            return []
        top = self.indexAt(self.viewport().rect().topLeft())
        first = top.row() if top.isValid() else 0
        bottom = self.indexAt(self.viewport().rect().bottomLeft())
        last = bottom.row() if bottom.isValid() else self.count() - 1
        return list(range(first, min(self.count(), last + 2)))

    def _request_visible(self) -> None:
        renderer = self.viewer.renderer
        if not self.doc_id or renderer is None or not self.isVisible():
            return
        items = self.viewer.pdf._items
        for index in self.visible_rows():
            if index in self._done or index in self._pending or index >= len(items):
                continue
            self._pending.add(index)
            zoom = THUMB_WIDTH / max(items[index].geometry.width, 1.0)
            run_in_background(
                partial(self._render, renderer, self.doc_id, index, zoom),
                on_success=partial(self._rendered, self.doc_id, index),
                on_error=partial(self._failed, index),
                parent=self,
                pool=named_pool("render", 1),  # one thread: a PDF is not rendered twice at once
            )

    def _render(
        self, renderer: PdfRenderer, doc_id: str, index: int, zoom: float, *_: object
    ) -> QImage:
        # On the worker: a document closed before its turn is skipped.
        if doc_id != self.doc_id:
            raise Cancelled("another document is shown")
        page = renderer.render(doc_id, index, zoom)
        rgb = QImage.Format.Format_RGB888
        return QImage(page.samples, page.width, page.height, page.stride, rgb).copy()

    def _rendered(self, doc_id: str, index: int, image: QImage) -> None:
        self._pending.discard(index)
        if doc_id != self.doc_id or index >= self.count():
            return
        self._mask(index, image)
        self._done.add(index)
        item = self.item(index)
        if item is not None:
            item.setIcon(QIcon(QPixmap.fromImage(image)))

    def _failed(self, index: int, exc: BaseException) -> None:
        self._pending.discard(index)
        if not isinstance(exc, Cancelled | DossierError):
            show_error(self, exc)  # a damaged page stays blank: the page view says why

    def _mask(self, index: int, image: QImage) -> None:
        """Black out protected names, as the page in the viewer does."""
        items = self.viewer.pdf._items
        boxes = self.viewer.pdf.overlays.get(PROTECTED_LAYER, {}).get(index, [])
        if not boxes or index >= len(items):
            return
        geometry = items[index].geometry
        scale = image.width() / max(geometry.width, 1.0)
        painter = QPainter(image)
        colour = LAYERS[PROTECTED_LAYER].fill
        for box in boxes:
            x0, y0, x1, y1 = geometry.to_display(box)
            painter.fillRect(
                int(x0 * scale) - 1, int(y0 * scale) - 1,
                int((x1 - x0) * scale) + 3, int((y1 - y0) * scale) + 3, colour,
            )  # fmt: skip
        painter.end()
