"""The central viewer: a toolbar over a PDF view or a text view, for one document at a time.

Entry points for other panels (quotes, redactions): `show_document(doc_id, page_index,
highlights=..., spans=...)`, `set_span_overlay(layer, ...)` / `set_overlay(layer, ...)` /
`clear_overlay(layer)`, the `selection_changed(doc_id, page_index, start, end)` signal,
`selection()` and `selected_text()`. The decrypted original and page images stay in memory;
`clear()` drops them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from dossier.errors import CorruptData, DossierError, NotFoundError, PasswordRequired
from dossier.pdf.render import PageGeometry, PdfRenderer
from dossier.services.dto import DocumentInfo
from dossier.services.people.dto import ScreenPage
from dossier.text.highlight import term_rects, term_spans
from dossier.text.model import PageText
from dossier.text.rects import span_rects
from ui.errors import message_for, show_error
from ui.i18n import tr
from ui.state import AppState, OpenRequest, PageSpan, Selection
from ui.viewer.overlays import PROTECTED_LAYER, RectsByPage
from ui.viewer.pdf_view import PdfView
from ui.viewer.text_view import TextView
from ui.viewer.viewer_toolbar import ViewerToolbar
from ui.widgets.outside_text import shown
from ui.worker import LatestRead, run_in_background


@dataclass
class _Loaded:
    info: DocumentInfo
    pages: list[PageText]
    geometry: list[PageGeometry] | None
    problem: str = ""
    """"password" or a sentence: why the PDF is shown as text."""
    masks: dict[int, ScreenPage] = field(default_factory=dict)
    """Pages holding protected names: their boxes and spans, filled opaquely."""


def open_hint() -> str:
    return tr("Open a document from the case or from a search result.")


def empty_case_hint() -> str:
    return tr(
        "This case has no documents yet: import files (File › Import files…) or drop them here."
    )


class DocumentViewer(QWidget):
    selection_changed = Signal(str, int, int, int)
    selection_cleared = Signal()
    document_shown = Signal(str)
    page_changed = Signal(int)
    hit_changed = Signal(int, int)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.renderer: PdfRenderer | None = None
        self.info: DocumentInfo | None = None
        self.pages: list[PageText] = []
        self._request: OpenRequest | None = None
        self._generation = 0
        self._opening: OpenRequest | None = None
        """The document being read for display (its load under way), until shown or dropped."""
        self._hits: list[tuple[int, tuple[float, ...]]] = []
        self._hit = -1
        self.step_beyond: Callable[[int], bool] = lambda _direction: False
        """Asked, past the last hit (1) or before the first (-1), to open the next or previous
        search result's document; False when there is none (the hits then wrap around)."""
        self._reads = LatestRead(self)
        """The open document's facts, or whether the case is empty, read anew in a worker."""
        self._build()
        state.unlocked.connect(self._attach)
        state.locking.connect(self.clear)
        state.open_requested.connect(self._open_requested)
        state.documents_changed.connect(self._documents_changed)
        state.people_changed.connect(self._people_changed)
        state.case_changed.connect(self._case_changed)

    # -- widgets ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.toolbar = ViewerToolbar(self)
        bar = self.toolbar
        # The commands and controls, under the names other panels and the menus use.
        self.zoom_in_action, self.zoom_out_action = bar.zoom_in_action, bar.zoom_out_action
        self.fit_width_action, self.copy_action = bar.fit_width_action, bar.copy_action
        self.previous_hit_action = bar.previous_hit_action
        self.next_hit_action = bar.next_hit_action
        self.go_to_page_action = bar.go_to_page_action
        self.title, self.hit_label, self.zoom_label = bar.title, bar.hit_label, bar.zoom_label
        self.page_box, self.page_total = bar.page_box, bar.page_total

        self.notice = QWidget()
        notice_layout = QHBoxLayout(self.notice)
        notice_layout.setContentsMargins(8, 4, 8, 4)
        self.notice_text = QLabel()
        self.notice_text.setWordWrap(True)
        self.password_button = QPushButton(tr("Enter the PDF's password…"))
        self.password_button.clicked.connect(self.ask_pdf_password)
        notice_layout.addWidget(self.notice_text, 1)
        notice_layout.addWidget(self.password_button)
        self.notice.setStyleSheet("background: #fff4c2;")
        self.notice.hide()

        self.placeholder = QLabel(open_hint())
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.pdf = PdfView()
        self.text = TextView()
        self.stack = QStackedWidget()
        for widget in (self.placeholder, self.pdf, self.text):
            self.stack.addWidget(widget)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.notice)
        self.body = QHBoxLayout()  # the page, and beside it what the window adds (thumbnails)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(0)
        self.body.addWidget(self.stack, 1)
        layout.addLayout(self.body, 1)

        self.pdf.current_page_changed.connect(self._page_shown)
        self.text.current_page_changed.connect(self._page_shown)
        self.pdf.zoom_changed.connect(self._zoom_shown)
        self.pdf.selection_changed.connect(self.selection_changed)
        self.pdf.selection_cleared.connect(self.selection_cleared)
        self.text.selection_changed.connect(
            lambda page, start, end: self.selection_changed.emit(self.doc_id, page, start, end)
        )
        self.text.selection_cleared.connect(self.selection_cleared)
        self._update_controls()

    # -- life cycle ---------------------------------------------------------------------------

    def _attach(self) -> None:
        self.renderer = PdfRenderer(self.state.ws.documents.shown)

    def clear(self) -> None:
        """Drop the document: decrypted original, page images, text, marks."""
        self._generation += 1
        if self.renderer is not None:
            self.renderer.release()  # closed off the GUI thread: it never calls MuPDF
        self.renderer = None
        self.pdf.clear()
        self.pdf.cache.clear()
        self.text.clear_document()
        self.info = None
        self.pages = []
        self._request = None
        self._opening = None
        self._hits = []
        self._hit = -1
        self.notice.hide()
        self.stack.setCurrentWidget(self.placeholder)
        self._update_controls()

    def _case_changed(self, case_id: str) -> None:
        """Another case: the previous case's document goes; an empty case says how to fill it."""
        if self.info is not None and self.info.case_id != case_id:
            self.clear()
            if self.state.is_unlocked:
                self._attach()
        self._documents_changed(case_id)

    def _hint(self, case_id: str) -> None:
        """With no document open: how to fill an empty case, or how to open a document (the
        first import of an empty case changes one into the other)."""
        if not case_id or not self.state.is_unlocked:
            self.placeholder.setText(open_hint())
            return
        # Read in a worker, as the document below: an import tells every second.
        self._reads.ask(self.state.ws.cases.document_counts, partial(self._show_hint, case_id))

    def _show_hint(self, case_id: str, counts: dict[str, int]) -> None:
        if case_id == self.state.case_id:
            empty = counts.get(case_id, 0) == 0
            self.placeholder.setText(empty_case_hint() if empty else open_hint())

    def _documents_changed(self, case_id: str) -> None:
        """A rename in the inspector shows in the title; a deleted document closes."""
        if self.info is None and case_id == self.state.case_id:
            self._hint(case_id)
        if self.info is None or self.info.case_id != case_id or not self.state.is_unlocked:
            return
        ws, doc_id = self.state.ws, self.info.id

        def read() -> DocumentInfo:
            return ws.documents.get(doc_id, reveal=ws.screen.revealed(case_id))

        self._reads.ask(read, partial(self._show_info, doc_id), partial(self._info_refused, doc_id))

    def _show_info(self, doc_id: str, info: DocumentInfo) -> None:
        if self.info is not None and self.info.id == doc_id:
            self.info = info
            self.title.set_full_text(info.title)

    def _info_refused(self, doc_id: str, exc: DossierError) -> None:
        if isinstance(exc, NotFoundError) and self.info is not None and self.info.id == doc_id:
            self.clear()
            self._attach()

    def _people_changed(self, case_id: str) -> None:
        """A reveal toggled or a protection changed: show the document again, masked anew.
        What a worker read before the change is never shown: it may hold a name now masked."""
        if not self.state.is_unlocked:
            return
        if self.info is not None and self.info.case_id == case_id:
            self._reads.drop()
            self._reload(self.info.id)
        elif self.info is None and self._opening is not None:
            self._load(self._opening)  # supersedes the load under way, begun before the change

    @property
    def doc_id(self) -> str:
        return self.info.id if self.info is not None else ""

    def current_document(self) -> DocumentInfo | None:
        return self.info

    def _shown_view(self) -> PdfView | TextView:
        return self.pdf if self.stack.currentWidget() is self.pdf else self.text

    def selection(self) -> Selection | None:
        selected = self._shown_view().selection
        if self.info is None or selected is None:
            return None
        return Selection(self.info.id, selected)

    def selected_text(self) -> str:
        """The selected characters of the page shown, as they stand in its text."""
        return self._shown_view().selected_text()

    # -- opening ------------------------------------------------------------------------------

    def _open_requested(self, request: OpenRequest) -> None:
        self.show_document(request.doc_id, request.page_index, request.terms, request.spans)

    def show_document(
        self,
        doc_id: str,
        page_index: int = 0,
        highlights: list[str] | None = None,
        spans: list[PageSpan] | None = None,
    ) -> None:
        """Show a document at a page, with search terms and character spans marked."""
        request = OpenRequest(doc_id, page_index, list(highlights or []), list(spans or []))
        self._request = request
        if self.info is not None and self.info.id == doc_id:
            self._apply(request)
            return
        self._load(request)

    def _load(self, request: OpenRequest) -> None:
        renderer = self.renderer
        ws = self.state.ws
        self._generation += 1
        generation = self._generation
        self._opening = request

        def load(*_: object) -> _Loaded:
            # What is shown comes from the core already masked: protected names in the title
            # and the text, and their word boxes to fill, unless this session revealed them.
            info = ws.documents.get(request.doc_id)
            revealed = ws.screen.revealed(info.case_id)
            if revealed:
                info = ws.documents.get(request.doc_id, reveal=True)
            shown = ws.screen.pages(request.doc_id, reveal=revealed)
            pages = [s.page for s in shown]
            masks = {s.page.index: s for s in shown if s.spans}
            if not info.has_pages or renderer is None:
                return _Loaded(info, pages, None, masks=masks)
            try:
                return _Loaded(info, pages, renderer.geometry(request.doc_id), masks=masks)
            except PasswordRequired:
                return _Loaded(info, pages, None, "password", masks)
            except CorruptData as exc:
                return _Loaded(info, pages, None, message_for(exc), masks)

        def loaded(result: _Loaded) -> None:
            if generation == self._generation:  # not superseded by another document
                self._opening = None
                self._display(result)

        self.state.show_status(tr("Opening the document…"))
        run_in_background(load, on_success=loaded, parent=self)

    def _display(self, loaded: _Loaded) -> None:
        self.info = loaded.info
        self.pages = loaded.pages
        self.title.set_full_text(loaded.info.title)
        self.notice.setVisible(bool(loaded.problem))
        self.password_button.setVisible(loaded.problem == "password")
        if loaded.problem == "password":
            self.notice_text.setText(tr("This PDF is protected by a password: its text is shown."))
        elif loaded.problem:
            self.notice_text.setText(
                tr("The original cannot be drawn ({reason}); its text is shown.").format(
                    reason=loaded.problem
                )
            )
        if loaded.geometry is not None and self.renderer is not None:
            self.pdf.load(loaded.info.id, self.renderer, loaded.geometry, loaded.pages)
            self.pdf.set_overlay(PROTECTED_LAYER, {i: m.boxes for i, m in loaded.masks.items()})
            self.stack.setCurrentWidget(self.pdf)
        else:
            self.pdf.clear()
            self.text.show_pages(loaded.pages, markdown=loaded.info.mime == "text/markdown")
            self.text.set_spans(PROTECTED_LAYER, {i: m.spans for i, m in loaded.masks.items()})
            self.stack.setCurrentWidget(self.text)
        self.page_box.setMaximum(max(1, len(self.pages)))
        self.page_total.setText(tr("of {n}").format(n=len(self.pages)))
        self.state.show_status("")
        self.state.select_item("document", loaded.info)
        if self._request is not None:
            self._apply(self._request)
        if self.stack.currentWidget() is self.pdf:
            self._zoom_shown(self.pdf.zoom)
        self.document_shown.emit(loaded.info.id)

    def _apply(self, request: OpenRequest) -> None:
        """Marks and position for a request on the document already shown."""
        on_pdf = self.stack.currentWidget() is self.pdf
        self._hits = []
        search_rects: RectsByPage = {}
        search_spans: dict[int, list[tuple[int, int]]] = {}
        if request.terms:
            for page in self.pages:
                if on_pdf:
                    search_rects[page.index] = term_rects(page, request.terms)
                    self._hits += [(page.index, r) for r in search_rects[page.index]]
                else:
                    search_spans[page.index] = term_spans(page.text, request.terms)
                    self._hits += [(page.index, s) for s in search_spans[page.index]]
        self._set_layer("search", search_rects, search_spans, on_pdf)
        quotes: dict[int, list[tuple[int, int]]] = {}
        for span in request.spans:
            quotes.setdefault(span.page_index, []).append((span.start, span.end))
        self.set_span_overlay("quote", quotes)
        self._hit = next((i for i, (p, _) in enumerate(self._hits) if p >= request.page_index), -1)
        if self._hit >= 0 and self._hits[self._hit][0] == request.page_index:
            self._show_hit()
        else:
            self._hit = -1
            self.clear_overlay("current-hit")
            self.go_to_page(request.page_index)
        self._update_controls()

    def _set_layer(
        self,
        layer: str,
        rects: RectsByPage,
        spans: dict[int, list[tuple[int, int]]],
        on_pdf: bool,
    ) -> None:
        if on_pdf:
            self.pdf.set_overlay(layer, rects)
        else:
            self.text.set_spans(layer, spans)

    # -- overlays -----------------------------------------------------------------------------

    def set_overlay(self, layer: str, rects: RectsByPage) -> None:
        """Rectangles in PDF points (word-map coordinates) per page index; PDFs only."""
        self.pdf.set_overlay(layer, rects)

    def set_span_overlay(self, layer: str, spans: dict[int, list[tuple[int, int]]]) -> None:
        """Character spans per page index, drawn on PDFs and text documents alike."""
        if self.stack.currentWidget() is self.pdf:
            rects: RectsByPage = {}
            for page_index, ranges in spans.items():
                if 0 <= page_index < len(self.pages):
                    page = self.pages[page_index]
                    rects[page_index] = [r for a, b in ranges for r in span_rects(page, a, b)]
            self.pdf.set_overlay(layer, rects)
        else:
            self.text.set_spans(layer, spans)

    def clear_overlay(self, layer: str) -> None:
        self.pdf.clear_overlay(layer)
        self.text.clear_layer(layer)

    # -- hits ---------------------------------------------------------------------------------

    def next_hit(self) -> None:
        if self._hits:
            if self._hit == len(self._hits) - 1 and self.step_beyond(1):
                return
            self._hit = (self._hit + 1) % len(self._hits)
            self._show_hit()

    def previous_hit(self) -> None:
        if self._hits:
            if self._hit <= 0 and self.step_beyond(-1):
                return
            self._hit = (self._hit - 1) % len(self._hits) if self._hit >= 0 else len(self._hits) - 1
            self._show_hit()

    def clear_search(self) -> None:
        """A new search was made: the previous one's highlights go."""
        self._hits, self._hit = [], -1
        self.clear_overlay("search")
        self.clear_overlay("current-hit")
        self._update_controls()

    def _show_hit(self) -> None:
        page, where = self._hits[self._hit]
        if self.stack.currentWidget() is self.pdf:
            self.pdf.set_overlay("current-hit", {page: [where]})  # type: ignore[list-item]
            self.pdf.go_to_page(page, where)  # type: ignore[arg-type]
        else:
            self.text.set_spans("current-hit", {page: [where]})  # type: ignore[list-item]
            self.text.go_to(page, int(where[0]))
        self._update_controls()
        self.hit_changed.emit(self._hit, len(self._hits))

    @property
    def hit_count(self) -> int:
        return len(self._hits)

    # -- navigation and zoom ------------------------------------------------------------------

    def go_to_page(self, index: int) -> None:
        if self.stack.currentWidget() is self.pdf:
            self.pdf.go_to_page(index)
        elif self.stack.currentWidget() is self.text:
            self.text.go_to(index)

    def focus_page_box(self) -> None:
        self.page_box.setFocus()
        self.page_box.selectAll()

    def zoom_in(self) -> None:
        self.pdf.zoom_in()

    def zoom_out(self) -> None:
        self.pdf.zoom_out()

    def fit_width(self) -> None:
        self.pdf.fit_width()

    def _page_shown(self, index: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(index + 1)
        self.page_box.blockSignals(False)
        self.toolbar.sync_page_actions(self.info is not None)
        if 0 <= index < len(self.pages):
            self.page_box.setToolTip(
                tr("Page label: {label}").format(label=shown(self.pages[index].display_label))
            )
        self.page_changed.emit(index)

    def _zoom_shown(self, zoom: float) -> None:
        self.zoom_label.setText(f"{round(zoom * 100)} %")

    def _update_controls(self) -> None:
        has_doc = self.info is not None
        on_pdf = has_doc and self.stack.currentWidget() is self.pdf
        for action in (self.zoom_in_action, self.zoom_out_action, self.fit_width_action):
            action.setEnabled(on_pdf)
        for action in (self.next_hit_action, self.previous_hit_action):
            action.setEnabled(bool(self._hits))
        self.page_box.setEnabled(has_doc)
        self.toolbar.sync_page_actions(has_doc)
        if not on_pdf:
            self.zoom_label.setText("")
        if self._hits:
            shown = self._hit + 1 if self._hit >= 0 else 0
            self.hit_label.setText(tr("hit {i} of {n}").format(i=shown, n=len(self._hits)))
        else:
            self.hit_label.setText("")
        if not has_doc:
            self.title.set_full_text("")
            self.page_total.setText("")

    # -- clipboard and password ---------------------------------------------------------------

    def copy_selection(self) -> None:
        """The clipboard only on the user's request, and only what they selected."""
        view = self.pdf if self.stack.currentWidget() is self.pdf else self.text
        text = view.selected_text()
        if text:
            QGuiApplication.clipboard().setText(text)

    def ask_pdf_password(self) -> None:
        if self.info is None or self.renderer is None:
            return
        password, ok = QInputDialog.getText(
            self, tr("Protected PDF"), tr("Password of this PDF:"), QLineEdit.EchoMode.Password
        )
        if not ok:
            return
        doc_id, renderer = self.info.id, self.renderer
        run_in_background(
            lambda *_: renderer.unlock(doc_id, password),
            on_success=lambda _: self._reload(doc_id),
            on_error=partial(show_error, self),
            parent=self,
        )

    def _reload(self, doc_id: str) -> None:
        request = self._request or OpenRequest(doc_id)
        self.info = None
        self._load(request)
