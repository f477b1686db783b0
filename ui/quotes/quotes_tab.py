"""The quotes of a case (or of one document): sortable list, verdict badges, diff, re-check.

Clicking a quote opens its source at the span, highlighted, and shows its diff below the list.
"Find in sources" pastes a published quote and anchors it; "Re-check all" re-anchors every
quote off the GUI thread (after a document changed) and lists what moved, degraded or was
lost; "Check an article" runs the pre-publication check. "New quote from selection" lives in
the window (it needs the viewer's selection) and is put in this toolbar by `ui.workflows`.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dossier.errors import DossierError
from dossier.services.quotes.dto import QuoteInfo, QuoteReview
from ui.case.case_tab import grey_note, text_toolbar
from ui.case.inspector_panel import short
from ui.errors import show_error
from ui.i18n import ntr, tr
from ui.quotes.find_quote_dialog import FindQuoteDialog
from ui.quotes.prepub_dialog import PrepubDialog
from ui.quotes.quotes_model import (
    QUOTE_ROLE,
    REVIEW,
    SAID_ON,
    SOURCE,
    SPEAKER,
    TEXT,
    VERDICT,
    QuotesModel,
    QuotesProxy,
)
from ui.quotes.review_dialog import ReviewDialog, review_summary, rows_to_review
from ui.state import AppState, PageSpan
from ui.undo import record_deletion, snapshot_and
from ui.widgets.confirm import delete_if_confirmed
from ui.widgets.diff_view import DiffView
from ui.widgets.fit import fit_columns
from ui.widgets.form_fields import run_dialog
from ui.widgets.outside_text import shown
from ui.widgets.verdict_badge import BadgeDelegate
from ui.widgets.when_shown import WhenShown
from ui.worker import Job, run_in_background


class QuotesTab(QWidget):
    lazy = True  # every document's title, its quotes: read once the tab is looked at

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.case_id = ""
        self.job: Job | None = None
        self.find_dialog: FindQuoteDialog | None = None
        self.last_reviews: list[QuoteReview] = []

        self.find_action = QAction(tr("Find in sources…"), self)
        self.find_action.triggered.connect(lambda: self.find_in_sources())
        self.recheck_action = QAction(tr("Re-check all"), self)
        self.recheck_action.setToolTip(tr("Re-anchor every quote, e.g. after a document changed"))
        self.recheck_action.triggered.connect(self.recheck_all)
        self.review_action = QAction(tr("To review…"), self)
        self.review_action.setToolTip(tr("Quotes whose anchor moved, degraded or was lost"))
        self.review_action.triggered.connect(lambda: self.review_pending())
        self.prepub_action = QAction(tr("Check an article…"), self)
        self.prepub_action.setToolTip(
            tr("Pre-publication check: anchor every passage in quotation marks of an article")
        )
        self.prepub_action.triggered.connect(self.check_article)
        self.toolbar = text_toolbar(
            self.find_action, self.recheck_action, self.review_action, self.prepub_action
        )

        self.scope = QComboBox()
        self.scope.setAccessibleName(tr("Quotes of"))
        self.scope.currentIndexChanged.connect(lambda _i: self.reload())
        self.model = QuotesModel(self)
        self.proxy = QuotesProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(tr("Quotes"))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(SAID_ON, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setItemDelegateForColumn(VERDICT, BadgeDelegate("verdict", self.table))
        self.table.setItemDelegateForColumn(REVIEW, BadgeDelegate("review", self.table))
        # The quote and its source elide; the verdict and review badges always stay in view.
        self.columns = fit_columns(
            self.table,
            self.table.horizontalHeader(),
            {SPEAKER: 2, TEXT: 5, SOURCE: 2},
            fitted=(SAID_ON, VERDICT, REVIEW),
        )
        self.table.clicked.connect(self._open_index)
        self.table.activated.connect(self._open_index)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.diff = DiffView()
        self.open_button = QPushButton(tr("Show at the source"))
        self.open_button.clicked.connect(lambda: self.open_quote(self.current_quote()))
        self.delete_button = QPushButton(tr("Delete quote…"))
        self.delete_button.clicked.connect(self.delete_quote)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.clicked.connect(lambda: self.job.cancel() if self.job else None)
        self.info = grey_note()

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.diff, 1)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        detail_layout.addLayout(row)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(detail)
        split.setSizes([320, 200])
        busy = QHBoxLayout()
        busy.addWidget(self.progress, 1)
        busy.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.scope)
        layout.addWidget(split, 1)
        layout.addLayout(busy)
        layout.addWidget(self.info)
        self._busy(False)
        self._update_buttons()
        self.state.quotes_changed.connect(self._changed)
        self._documents_shown = WhenShown(self, self._documents_reload)
        state.documents_changed.connect(self._documents_changed)

    # -- CaseTab ------------------------------------------------------------------------------

    def title(self) -> str:
        return tr("Quotes")

    def load(self, case_id: str) -> None:
        self.case_id = case_id
        if not case_id or not self.state.is_unlocked:
            self.clear()
            return
        self._fill_scope()
        self.reload()

    def clear(self) -> None:
        if self.job is not None:
            self.job.abandon()
        if self.find_dialog is not None:  # closed by the lock itself (close_on_lock)
            self.find_dialog.deleteLater()
            self.find_dialog = None
        self.model.set_quotes([])
        self.diff.clear_diff()
        self.scope.blockSignals(True)
        self.scope.clear()
        self.scope.blockSignals(False)
        self.info.clear()
        self.last_reviews = []
        self._update_buttons()

    def _fill_scope(self) -> None:
        current = self.scope.currentData()
        self.scope.blockSignals(True)
        self.scope.clear()
        self.scope.addItem(tr("The whole case"), "")
        try:
            documents = self.state.ws.documents.of_case(self.case_id)
        except DossierError as exc:
            show_error(self, exc)
            documents = []
        for doc in documents:
            self.scope.addItem(shown(doc.title), doc.id)
        self.scope.setCurrentIndex(max(0, self.scope.findData(current or "")))
        self.scope.blockSignals(False)

    def set_document_scope(self, doc_id: str | None) -> None:
        """Show the quotes of one document (None: of the whole case)."""
        self.scope.setCurrentIndex(max(0, self.scope.findData(doc_id or "")))

    def reload(self) -> None:
        if not self.case_id or not self.state.is_unlocked:
            return
        selected = self.current_quote()
        try:
            quotes = self.state.ws.quotes.of_case(
                self.case_id,
                doc_id=self.scope.currentData() or None,
                reveal=self.state.ws.screen.revealed(self.case_id),
            )
        except DossierError as exc:
            show_error(self, exc)
            return
        self.model.set_quotes(quotes)
        if selected is not None:
            self.select_quote(selected.id)
        pending = sum(1 for q in quotes if q.review)
        self.info.setText(
            tr("{n} quote(s), {k} with a re-check to review.").format(n=len(quotes), k=pending)
            if pending
            else ntr("{n} quote.", "{n} quotes.", len(quotes)).format(n=len(quotes))
        )
        self._update_buttons()

    def _changed(self, case_id: str) -> None:
        if case_id == self.case_id:
            self.reload()

    def _documents_changed(self, case_id: str) -> None:
        # Behind another tab, once when shown: not on every notice of an import.
        if case_id == self.case_id and self.state.is_unlocked:
            self._documents_shown.request()

    def _documents_reload(self) -> None:
        if self.case_id and self.state.is_unlocked:
            self._fill_scope()
            self.reload()

    # -- selection and opening ----------------------------------------------------------------

    def current_quote(self) -> QuoteInfo | None:
        index = self.table.currentIndex()
        return index.data(QUOTE_ROLE) if index.isValid() else None

    def select_quote(self, quote_id: str) -> None:
        row = self.model.row_of(quote_id)
        if row >= 0:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            self.table.setCurrentIndex(index)

    def _current_changed(self, *_: object) -> None:
        quote = self.current_quote()
        if quote is None:
            self.diff.clear_diff()
        else:
            self.diff.show_diff(quote.verdict, quote.score, quote.diff, quote.speaker)
        self._update_buttons()

    def _open_index(self, index: QModelIndex) -> None:
        self.open_quote(index.data(QUOTE_ROLE) if index.isValid() else None)

    def open_quote(self, quote: QuoteInfo | None) -> None:
        """Open the quote's source at its span, highlighted; the quote shows in the inspector."""
        if quote is None:
            return
        doc_id = next((s.doc_id for s in quote.spans if s.doc_id), None) or quote.source_doc_id
        if doc_id is None:
            self.state.select_item("quote", quote)
            self.state.show_status(tr("This quote is not anchored in any document."))
            return
        spans = [PageSpan.of(s) for s in quote.spans]
        page = spans[0].page_index if spans else 0
        self.state.open_and_select("quote", quote, doc_id, page, spans)

    def _update_buttons(self) -> None:
        quote = self.current_quote()
        has_case = bool(self.case_id) and self.state.is_unlocked
        self.open_button.setEnabled(quote is not None and bool(quote.spans or quote.source_doc_id))
        self.delete_button.setEnabled(quote is not None)
        for action in (self.find_action, self.prepub_action):
            action.setEnabled(has_case)
        self.recheck_action.setEnabled(has_case and bool(self.model.quotes) and self.job is None)
        self.review_action.setEnabled(has_case and any(q.review for q in self.model.quotes))

    # -- actions ------------------------------------------------------------------------------

    def exec_dialog(self, dialog: QDialog) -> bool:
        """Run a dialog (tests answer it instead)."""
        return run_dialog(dialog)

    def find_in_sources(self, text: str = "") -> None:
        """Find a quote beside the window, not over it: "Show in the document" happens in
        sight, and the user can scroll the source while the dialog stays open."""
        if not self.case_id:
            return
        dialog = FindQuoteDialog(self.state, self.case_id, text, self)
        dialog.accepted.connect(lambda: self._find_saved(dialog))
        self.find_dialog = dialog
        self.show_beside(dialog)

    def show_beside(self, dialog: QDialog) -> None:
        """Show `dialog` modeless over the right-hand edge of the window (tests answer it)."""
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        window = self.window()
        frame = window.frameGeometry()
        width = min(max(dialog.sizeHint().width(), 440), frame.width() // 2)
        height = min(max(dialog.sizeHint().height(), 480), frame.height() - 40)
        dialog.resize(width, height)
        dialog.move(frame.right() - width - 8, frame.top() + 40)
        dialog.show()
        dialog.raise_()

    def _find_saved(self, dialog: FindQuoteDialog) -> None:
        if dialog.saved is not None and dialog.saved.case_id == self.case_id:
            self.state.quotes_changed.emit(self.case_id)
            self.select_quote(dialog.saved.id)

    def check_article(self) -> None:
        if not self.case_id:
            return
        doc = self.scope.currentData() or None
        self.exec_dialog(PrepubDialog(self.state, self.case_id, doc, self))

    def delete_quote(self) -> None:
        quote = self.current_quote()
        if quote is None:
            return
        case_id = self.case_id
        delete, taken = snapshot_and(self.state, "quote", quote.id, self.state.ws.quotes.delete)
        if not delete_if_confirmed(
            self,
            tr("Delete quote"),
            tr("Delete this quote? The documents are not touched."),
            delete,
        ):
            return
        self.state.select_item("", None)
        self.state.quotes_changed.emit(case_id)
        record_deletion(
            self.state,
            tr("deletion of quote “{text}”").format(text=short(quote.text)),
            taken,
            lambda ws: ws.quotes.delete(quote.id),
            lambda: self.state.quotes_changed.emit(case_id),
        )

    def recheck_all(self) -> None:
        if not self.case_id or self.job is not None:
            return
        quotes, case_id = self.state.ws.quotes, self.case_id
        self._busy(True)
        self.info.setText(tr("Re-checking the quotes…"))
        self.job = run_in_background(
            lambda progress, cancel: quotes.check(case_id, progress=progress, cancel=cancel),
            on_success=lambda reviews: self._rechecked(case_id, reviews),
            on_progress=lambda fraction, _m: self.progress.setValue(int(fraction * 1000)),
            on_finished=lambda: self._busy(False),
            parent=self,
        )
        self._update_buttons()

    def _busy(self, busy: bool) -> None:
        if not busy:
            self.job = None
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.progress.setValue(0)
        self._update_buttons()

    def _rechecked(self, case_id: str, reviews: list[QuoteReview]) -> None:
        self.last_reviews = list(reviews)
        self.state.quotes_changed.emit(case_id)
        if case_id != self.case_id:
            return
        self.review_pending(reviews)

    def review_pending(self, reviews: list[QuoteReview] | None = None) -> None:
        """List what the last re-check changed and every quote still flagged for review."""
        try:
            quotes = self.state.ws.quotes.of_case(self.case_id)
        except DossierError as exc:
            show_error(self, exc)
            return
        rows = rows_to_review(reviews or [], quotes)
        if reviews is None:
            summary = ntr(
                "{k} quote left to review.", "{k} quotes left to review.", len(rows)
            ).format(k=len(rows))
        else:
            summary = review_summary(reviews, len(rows))
        self.info.setText(summary)
        if rows:
            self.exec_dialog(ReviewDialog(self.state, rows, summary, self))
