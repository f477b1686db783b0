"""Saved quotes drawn on their pages, in their own colour; a click on one opens it.

When a document is shown (and whenever the case's quotes change), the quotes anchored in it
are marked on their pages in green, apart from the blue of the quote being looked at and the
yellow of search hits. A click (not a drag) inside a mark shows that quote in the details pane.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QColor, QMouseEvent

from dossier.errors import DossierError
from dossier.services.quotes.dto import QuoteInfo
from ui.i18n import tr
from ui.state import AppState
from ui.viewer.document_viewer import DocumentViewer
from ui.viewer.overlays import LAYERS, LayerStyle, register_layer
from ui.widgets.outside_text import shown

LAYER = "saved-quote"
if LAYER not in LAYERS:
    register_layer(LAYER, LayerStyle(QColor(0, 150, 70, 60), QColor(0, 120, 55)), below="search")

CLICK_SLOP = 4
"""Pixels a press may move and still be a click rather than a selection drag."""


class SavedQuotes(QObject):
    def __init__(self, state: AppState, viewer: DocumentViewer) -> None:
        super().__init__(viewer)
        self.state = state
        self.viewer = viewer
        self.quotes: list[QuoteInfo] = []
        self._pressed: QPointF | None = None
        viewer.document_shown.connect(lambda _doc: self.refresh())
        state.quotes_changed.connect(lambda _case: self.refresh())
        viewer.pdf.viewport().installEventFilter(self)

    def refresh(self) -> None:
        """Mark the quotes anchored in the document shown."""
        info = self.viewer.current_document()
        self.quotes = []
        if info is None or not self.state.is_unlocked:
            self.viewer.clear_overlay(LAYER)
            return
        try:
            quotes = self.state.ws.quotes.of_case(info.case_id, doc_id=info.id)
        except DossierError:
            quotes = []
        spans: dict[int, list[tuple[int, int]]] = {}
        for quote in quotes:
            mine = [s for s in quote.spans if (s.doc_id or quote.source_doc_id) == info.id]
            if mine:
                self.quotes.append(quote)
            for span in mine:
                spans.setdefault(span.page_index, []).append((span.start, span.end))
        self.viewer.set_span_overlay(LAYER, spans)

    def quote_at(self, page_index: int, x: float, y: float) -> QuoteInfo | None:
        """The saved quote whose mark holds the page point (x, y), in PDF points."""
        for quote in self.quotes:
            for span in quote.spans:
                if span.page_index != page_index:
                    continue
                for x0, y0, x1, y1 in span.rects:
                    if x0 <= x <= x1 and y0 <= y <= y1:
                        return quote
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(event, QMouseEvent) or event.button() != Qt.MouseButton.LeftButton:
            return False
        if event.type() == QEvent.Type.MouseButtonPress:
            self._pressed = event.position()
        elif event.type() == QEvent.Type.MouseButtonRelease and self._pressed is not None:
            moved = (event.position() - self._pressed).manhattanLength()
            self._pressed = None
            if moved <= CLICK_SLOP:
                self.clicked(event.position())
        return False  # the view still handles the click (it clears its selection)

    def clicked(self, position: QPointF) -> None:
        hit = self.viewer.pdf._item_at(position)
        if hit is None:
            return
        item, local = hit
        quote = self.quote_at(item.index, *item.to_page(local))
        if quote is not None:
            self.state.select_item("quote", quote)
            self.state.show_status(
                tr("Saved quote: {speaker}").format(speaker=shown(quote.speaker))
            )
