"""Pre-publication check of an article imported into the case.

Every passage in quotation marks is extracted and anchored in the case's other documents (off
the GUI thread, with progress and cancel). Passages not found or altered are flagged first; the
selected passage's diff is shown, and it opens in the article or at its source.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dossier.services.quotes.dto import PassageCheck
from ui.i18n import tr
from ui.quotes.quotes_model import short
from ui.state import AppState, PageSpan
from ui.widgets.diff_view import DiffView
from ui.widgets.form_fields import DocumentCombo, close_on_lock, failure_text, select_first
from ui.widgets.outside_text import shown
from ui.widgets.verdict_badge import BADGE_ROLE, BadgeDelegate, badge_label
from ui.worker import Job, run_in_background

PASSAGE_ROLE = Qt.ItemDataRole.UserRole + 1


def prepub_summary(checks: list[PassageCheck]) -> str:
    if not checks:
        return tr("No passage in quotation marks was found in this article.")
    flagged = [c for c in checks if c.issue]
    missing = sum(1 for c in checks if c.issue == "not_found")
    return tr("{n} passage(s) in quotation marks: {bad} to look at ({missing} not found).").format(
        n=len(checks), bad=len(flagged), missing=missing
    )


class PrepubDialog(QDialog):
    def __init__(
        self,
        state: AppState,
        case_id: str,
        article_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.case_id = case_id
        self.checks: list[PassageCheck] = []
        self.job: Job | None = None
        self.setWindowTitle(tr("Pre-publication check"))
        self.resize(900, 640)
        documents = state.ws.documents.of_case(case_id)
        self.article = DocumentCombo(documents, kinds=("article",))
        self.article.select(article_id)
        self.check_button = QPushButton(tr("Check the article"))
        self.check_button.setEnabled(self.article.count() > 0)
        self.check_button.clicked.connect(self.run_check)
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(lambda: self.job.cancel() if self.job else None)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.summary = QLabel(
            "" if self.article.count() else tr("Import the article into the case first.")
        )
        self.summary.setWordWrap(True)
        self.problems_only = QCheckBox(tr("Only the passages to look at"))
        self.problems_only.toggled.connect(lambda _on: self._fill())
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([tr("#"), tr("Passage"), tr("Verdict"), tr("Source")])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAccessibleName(tr("Passages in quotation marks"))
        self.tree.setItemDelegateForColumn(2, BadgeDelegate("verdict", self.tree))
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.tree.currentItemChanged.connect(self._passage_changed)
        self.diff = DiffView()
        self.in_article = QPushButton(tr("Show in the article"))
        self.in_article.clicked.connect(lambda: self.open_passage(in_article=True))
        self.in_source = QPushButton(tr("Show at the source"))
        self.in_source.clicked.connect(lambda: self.open_passage(in_article=False))

        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Article:")))
        top.addWidget(self.article, 1)
        top.addWidget(self.check_button)
        top.addWidget(self.cancel_button)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tree)
        split.addWidget(self.diff)
        split.setSizes([300, 200])
        opens = QHBoxLayout()
        opens.addWidget(self.problems_only)
        opens.addStretch(1)
        opens.addWidget(self.in_article)
        opens.addWidget(self.in_source)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addLayout(opens)
        layout.addWidget(buttons)
        self._passage_changed()
        close_on_lock(self, state)
        self.finished.connect(lambda _r: self.job.abandon() if self.job is not None else None)

    def run_check(self) -> None:
        article_id = self.article.doc_id()
        if article_id is None:
            return
        quotes, case_id = self.state.ws.quotes, self.case_id
        self.check_button.setEnabled(False)
        self.cancel_button.show()
        self.progress.setValue(0)
        self.progress.show()
        self.summary.setText(tr("Checking the article…"))
        self.job = run_in_background(
            lambda progress, cancel: quotes.prepublication_check(
                case_id, article_id, progress=progress, cancel=cancel
            ),
            on_success=self._checked,
            on_error=lambda exc: self.summary.setText(failure_text(self, exc)),
            on_progress=lambda fraction, _message: self.progress.setValue(int(fraction * 1000)),
            on_finished=self._finished,
            parent=self,
        )

    def _finished(self) -> None:
        self.check_button.setEnabled(True)
        self.cancel_button.hide()
        self.progress.hide()

    def _checked(self, checks: list[PassageCheck]) -> None:
        # Problems first, then in the article's order.
        self.checks = sorted(checks, key=lambda c: (c.issue is None, c.number))
        self.summary.setText(prepub_summary(checks))
        self._fill()

    def _fill(self) -> None:
        self.tree.clear()
        for check in self.checks:
            if self.problems_only.isChecked() and not check.issue:
                continue
            item = QTreeWidgetItem(
                [
                    str(check.number),
                    f"« {short(shown(check.text), 110)} »",
                    badge_label("verdict", check.verdict),
                    shown(check.doc_title),
                ]
            )
            item.setData(0, PASSAGE_ROLE, check)
            item.setData(2, BADGE_ROLE, check.verdict)
            item.setToolTip(1, shown(check.text))
            self.tree.addTopLevelItem(item)
        if not select_first(self.tree):
            self.diff.clear_diff()

    def current_passage(self) -> PassageCheck | None:
        item = self.tree.currentItem()
        return item.data(0, PASSAGE_ROLE) if item is not None else None

    def _passage_changed(self, *_: object) -> None:
        check = self.current_passage()
        self.in_article.setEnabled(check is not None and bool(check.article_spans))
        self.in_source.setEnabled(check is not None and bool(check.spans and check.doc_id))
        if check is not None:
            self.diff.show_diff(check.verdict, check.score, check.diff, check.doc_title)

    def open_passage(self, in_article: bool) -> None:
        check = self.current_passage()
        if check is None:
            return
        doc_id = self.article.doc_id() if in_article else check.doc_id
        spans = check.article_spans if in_article else check.spans
        if doc_id and spans:
            marks = [PageSpan.of(s) for s in spans]
            self.state.open_document(doc_id, marks[0].page_index, spans=marks)
