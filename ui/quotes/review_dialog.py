"""What "re-check all quotes" found: the quotes whose anchor moved, degraded, was lost or found.

Each row gives the outcome badge, the speaker, the words and the verdict before and after; a
row opens its quote where it now stands (or stood, when lost), and "Mark reviewed" clears the
pending flag the core keeps until a journalist has looked. Flags left by an earlier check (a
replaced document re-checks its quotes at once) are listed too.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dossier.errors import DossierError
from dossier.services.quotes.dto import QuoteEdit, QuoteInfo, QuoteReview
from ui.errors import show_error
from ui.i18n import ntr, tr
from ui.quotes.quotes_model import short
from ui.state import AppState, PageSpan
from ui.widgets.form_fields import close_on_lock, select_first
from ui.widgets.outside_text import shown
from ui.widgets.verdict_badge import BADGE_ROLE, BadgeDelegate, badge_label

REVIEW_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class ReviewRow:
    """One quote to look at: what a re-check found, or a flag still pending from an earlier
    one (the core keeps it until the quote is marked reviewed)."""

    quote_id: str
    status: str
    speaker: str
    text: str
    before: str
    after: str
    doc_id: str | None
    spans: list[PageSpan]

    @classmethod
    def from_review(cls, review: QuoteReview) -> ReviewRow:
        spans = review.after.spans or review.before.spans
        return cls(
            review.quote_id, review.status, review.speaker, review.text,
            review.before.verdict, review.after.verdict, review.doc_id,
            [PageSpan.of(s) for s in spans],
        )  # fmt: skip

    @classmethod
    def from_quote(cls, quote: QuoteInfo) -> ReviewRow:
        doc_id = next((s.doc_id for s in quote.spans if s.doc_id), None) or quote.source_doc_id
        return cls(
            quote.id, quote.review or "", quote.speaker, quote.text, quote.verdict,
            quote.verdict, doc_id, [PageSpan.of(s) for s in quote.spans],
        )  # fmt: skip


def rows_to_review(reviews: list[QuoteReview], quotes: list[QuoteInfo]) -> list[ReviewRow]:
    """What a re-check changed, then the quotes still flagged from before (e.g. when a
    document was replaced: its quotes were re-checked and flagged at that moment)."""
    rows = [ReviewRow.from_review(r) for r in reviews if r.needs_review]
    seen = {row.quote_id for row in rows}
    rows += [ReviewRow.from_quote(q) for q in quotes if q.review and q.id not in seen]
    return rows


def review_summary(reviews: list[QuoteReview], pending: int = 0) -> str:
    if not pending:
        return ntr(
            "{n} quote checked: every anchor is where it was.",
            "{n} quotes checked: every anchor is where it was.",
            len(reviews),
        ).format(n=len(reviews))
    return tr("{n} quote(s) checked, {k} to review.").format(n=len(reviews), k=pending)


class ReviewDialog(QDialog):
    def __init__(
        self, state: AppState, rows: list[ReviewRow], summary: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.rows = rows
        self.setWindowTitle(tr("Quotes to review"))
        self.resize(820, 420)
        self.summary = QLabel(summary)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(
            [tr("Outcome"), tr("Speaker"), tr("Quote"), tr("Before"), tr("After")]
        )
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setAccessibleName(tr("Quotes to review"))
        for column, family in ((0, "review"), (3, "verdict"), (4, "verdict")):
            self.tree.setItemDelegateForColumn(column, BadgeDelegate(family, self.tree))
        header = self.tree.header()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for row in self.rows:
            item = QTreeWidgetItem(
                [
                    badge_label("review", row.status),
                    shown(row.speaker) or tr("Unattributed"),
                    f"« {short(shown(row.text), 90)} »",
                    badge_label("verdict", row.before),
                    badge_label("verdict", row.after),
                ]
            )
            item.setData(0, REVIEW_ROLE, row)
            item.setData(0, BADGE_ROLE, row.status)
            item.setData(3, BADGE_ROLE, row.before)
            item.setData(4, BADGE_ROLE, row.after)
            item.setToolTip(2, shown(row.text))
            self.tree.addTopLevelItem(item)
        self.tree.itemActivated.connect(lambda item, _c: self.open_review(item))
        self.tree.itemDoubleClicked.connect(lambda item, _c: self.open_review(item))
        self.open_button = QPushButton(tr("Show in the document"))
        self.open_button.clicked.connect(lambda: self.open_review(self.tree.currentItem()))
        self.reviewed_button = QPushButton(tr("Mark reviewed"))
        self.reviewed_button.clicked.connect(self.mark_reviewed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.reviewed_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        select_first(self.tree)
        close_on_lock(self, state)

    def open_review(self, item: QTreeWidgetItem | None) -> None:
        row: ReviewRow | None = item.data(0, REVIEW_ROLE) if item is not None else None
        if row is None or row.doc_id is None or not row.spans:
            return
        self.state.open_document(row.doc_id, row.spans[0].page_index, spans=row.spans)

    def mark_reviewed(self) -> None:
        current = self.tree.currentItem()
        items = self.tree.selectedItems() or ([current] if current is not None else [])
        case_id = ""
        for item in items:
            row: ReviewRow = item.data(0, REVIEW_ROLE)
            try:
                info = self.state.ws.quotes.update(row.quote_id, QuoteEdit(review=None))
            except DossierError as exc:
                show_error(self, exc)
                return
            case_id = info.case_id
            self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(item))
        if case_id:
            self.state.quotes_changed.emit(case_id)
        left = self.tree.topLevelItemCount()
        self.summary.setText(
            ntr("{k} quote left to review.", "{k} quotes left to review.", left).format(k=left)
            if left
            else tr("All reviewed.")
        )
