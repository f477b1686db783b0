"""Paste a quote as published, find where it comes from, confirm one candidate and save it.

"Find in sources" runs off the GUI thread over the whole case or the documents ticked; each
candidate (the best place in one document) is listed with its verdict badge and score, and the
selected one's word-level diff is shown inline. Saving stores the quote anchored at the chosen
candidate's spans; a changed text must be searched again before it can be saved.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dossier.services.quotes.dto import QuoteCandidate, QuoteInfo
from ui.i18n import ntr, tr
from ui.quotes.quote_dialog import QuoteFields
from ui.state import AppState, PageSpan
from ui.widgets.diff_view import DiffView
from ui.widgets.form_fields import ErrorLine, attempt, close_on_lock, failure_text, select_first
from ui.widgets.icons import kind_icon
from ui.widgets.outside_text import shown
from ui.widgets.verdict_badge import BADGE_ROLE, BadgeDelegate, badge_label
from ui.worker import Job, run_in_background

CANDIDATE_ROLE = Qt.ItemDataRole.UserRole + 1


class FindQuoteDialog(QDialog):
    def __init__(
        self, state: AppState, case_id: str, text: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.case_id = case_id
        self.candidates: list[QuoteCandidate] = []
        self.searched = ""
        self.saved: QuoteInfo | None = None
        self.job: Job | None = None
        self.setWindowTitle(tr("Find a quote in the sources"))
        self.resize(900, 680)

        self.text = QPlainTextEdit(text)
        self.text.setPlaceholderText(tr("Paste the quote as it was published"))
        self.text.setAccessibleName(tr("Quote as published"))
        self.text.setMaximumHeight(100)
        self.text.textChanged.connect(self._text_changed)
        self.whole_case = QRadioButton(tr("The whole case"))
        self.chosen = QRadioButton(tr("The documents ticked"))
        self.whole_case.setChecked(True)
        scope = QButtonGroup(self)
        scope.addButton(self.whole_case)
        scope.addButton(self.chosen)
        self.documents = QListWidget()
        self.documents.setMaximumHeight(90)
        for doc in state.ws.documents.of_case(case_id):
            item = QListWidgetItem(kind_icon(doc.kind), shown(doc.title))
            item.setData(Qt.ItemDataRole.UserRole, doc.id)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.documents.addItem(item)
        self.documents.setVisible(False)
        self.chosen.toggled.connect(self.documents.setVisible)
        self.find_button = QPushButton(tr("Find in sources"))
        self.find_button.setDefault(True)
        self.find_button.clicked.connect(self.run_find)
        self.status = QLabel()
        self.status.setWordWrap(True)

        self.results = QTreeWidget()
        self.results.setHeaderLabels([tr("Document"), tr("Verdict"), tr("Score"), tr("Page")])
        self.results.setRootIsDecorated(False)
        self.results.setAccessibleName(tr("Candidates"))
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setItemDelegateForColumn(1, BadgeDelegate("verdict", self.results))
        header = self.results.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.results.currentItemChanged.connect(self._candidate_changed)
        self.results.itemDoubleClicked.connect(lambda *_: self.show_in_document())
        self.diff = DiffView()
        self.show_button = QPushButton(tr("Show in the document"))
        self.show_button.setEnabled(False)
        self.show_button.clicked.connect(self.show_in_document)

        self.fields = QuoteFields(state, case_id)
        self.error = ErrorLine()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.addButton(
            tr("Save the quote"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setEnabled(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        scope_row = QHBoxLayout()
        scope_row.addWidget(QLabel(tr("Look in:")))
        scope_row.addWidget(self.whole_case)
        scope_row.addWidget(self.chosen)
        scope_row.addStretch(1)
        scope_row.addWidget(self.find_button)
        candidates = QWidget()
        candidates_layout = QVBoxLayout(candidates)
        candidates_layout.setContentsMargins(0, 0, 0, 0)
        candidates_layout.addWidget(self.results)
        candidates_layout.addWidget(self.show_button, 0, Qt.AlignmentFlag.AlignLeft)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(candidates)
        split.addWidget(self.diff)
        split.setSizes([170, 200])
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addLayout(scope_row)
        layout.addWidget(self.documents)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        layout.addWidget(self.fields)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        close_on_lock(self, state)
        self.finished.connect(lambda _r: self.job.abandon() if self.job is not None else None)

    # -- finding ------------------------------------------------------------------------------

    def chosen_documents(self) -> list[str] | None:
        if not self.chosen.isChecked():
            return None
        return [
            self.documents.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.documents.count())
            if self.documents.item(row).checkState() == Qt.CheckState.Checked
        ]

    def run_find(self) -> None:
        text = self.text.toPlainText().strip()
        doc_ids = self.chosen_documents()
        if not text:
            self.status.setText(tr("Paste the quote first."))
            return
        if doc_ids == []:
            self.status.setText(tr("Tick at least one document, or look in the whole case."))
            return
        if self.job is not None:
            self.job.abandon()
        quotes, case_id = self.state.ws.quotes, self.case_id
        self.find_button.setEnabled(False)
        self.status.setText(tr("Looking for the quote in the sources…"))
        self.job = run_in_background(
            lambda *_: quotes.find(case_id, text, doc_ids),
            on_success=lambda found: self._found(text, found),
            on_error=self._failed,
            on_finished=lambda: self.find_button.setEnabled(True),
            parent=self,
        )

    def _found(self, text: str, candidates: list[QuoteCandidate]) -> None:
        self.searched = text
        self.candidates = list(candidates)
        self.results.clear()
        for candidate in self.candidates:
            pages = sorted({s.page_index + 1 for s in candidate.spans})
            item = QTreeWidgetItem(
                [
                    shown(candidate.doc_title),
                    badge_label("verdict", candidate.verdict),
                    f"{candidate.score:.0%}",
                    ", ".join(str(p) for p in pages),
                ]
            )
            item.setIcon(0, kind_icon(candidate.doc_kind))
            item.setData(0, CANDIDATE_ROLE, candidate)
            item.setData(1, BADGE_ROLE, candidate.verdict)
            self.results.addTopLevelItem(item)
        if self.candidates:
            self.status.setText(
                ntr(
                    "{n} candidate, best first.", "{n} candidates, best first.", len(candidates)
                ).format(n=len(candidates))
            )
            select_first(self.results)
        else:
            self.status.setText(tr("The quote was not found in these documents."))
            self.diff.show_diff("not_found", 0.0, [])
        self._update_save()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(failure_text(self, exc))

    def _text_changed(self) -> None:
        self._update_save()

    def current_candidate(self) -> QuoteCandidate | None:
        item = self.results.currentItem()
        return item.data(0, CANDIDATE_ROLE) if item is not None else None

    def _candidate_changed(self, *_: object) -> None:
        candidate = self.current_candidate()
        self.show_button.setEnabled(candidate is not None)
        if candidate is not None:
            self.diff.show_diff(
                candidate.verdict, candidate.score, candidate.diff, candidate.doc_title
            )
        self._update_save()

    def _update_save(self) -> None:
        same_text = self.text.toPlainText().strip() == self.searched
        # Not found is worth keeping too: saved, the quote is tracked and checked again later.
        not_found = bool(self.searched) and not self.candidates
        self.save_button.setEnabled(
            same_text and (self.current_candidate() is not None or not_found)
        )
        if self.searched and not same_text:
            self.status.setText(tr("The text changed: find it again before saving."))

    def show_in_document(self) -> None:
        candidate = self.current_candidate()
        if candidate is None or not candidate.spans:
            return
        spans = [PageSpan.of(s) for s in candidate.spans]
        self.state.open_document(candidate.doc_id, spans[0].page_index, spans=spans)

    # -- saving -------------------------------------------------------------------------------

    def save(self) -> None:
        candidate = self.current_candidate()
        if candidate is None and (self.candidates or not self.searched):
            return

        def store() -> None:
            facts = self.fields.facts()
            self.saved = self.state.ws.quotes.add(
                self.case_id,
                self.searched,
                speaker=facts.speaker_id,
                source=candidate.doc_id if candidate is not None else None,
                published_in=facts.published_in,
                said_on=facts.said_on,
                spans=candidate.spans if candidate is not None else None,
                notes=facts.notes,
            )

        if attempt(self.error, store):
            self.accept()
