"""Quotes as a table: speaker, words, date, verdict badge, source, pending review.

Sorting goes through `SORT_ROLE`: verdicts sort best first (the core's order), dates
chronologically with undated quotes last, names without regard to case or accents.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from dossier.services.people.service import fold
from dossier.services.quotes.dto import QuoteInfo
from ui.i18n import N_, tr
from ui.widgets.outside_text import shown
from ui.widgets.verdict_badge import BADGE_ROLE, VERDICT_ORDER, badge_label

QUOTE_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

SPEAKER, TEXT, SAID_ON, VERDICT, SOURCE, REVIEW = range(6)
HEADERS = (N_("Speaker"), N_("Quote"), N_("Said on"), N_("Verdict"), N_("Source"), N_("Review"))
SHORT = 140


def short(text: str, limit: int = SHORT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class QuotesModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.quotes: list[QuoteInfo] = []

    def set_quotes(self, quotes: list[QuoteInfo]) -> None:
        self.beginResetModel()
        self.quotes = list(quotes)
        self.endResetModel()

    def quote_at(self, row: int) -> QuoteInfo | None:
        return self.quotes[row] if 0 <= row < len(self.quotes) else None

    def row_of(self, quote_id: str) -> int:
        return next((i for i, q in enumerate(self.quotes) if q.id == quote_id), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.quotes)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(HEADERS[section])
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or index.row() >= len(self.quotes):
            return None
        quote = self.quotes[index.row()]
        column = index.column()
        if role == QUOTE_ROLE:
            return quote
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(quote, column)
        if role == BADGE_ROLE and column == VERDICT:
            return quote.verdict
        if role == BADGE_ROLE and column == REVIEW:
            return quote.review or None
        if role == SORT_ROLE:
            return self._sort_key(quote, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == TEXT:
            return shown(quote.text)
        return None

    def _text(self, quote: QuoteInfo, column: int) -> str:
        if column == SPEAKER:
            return shown(quote.speaker) or tr("Unattributed")
        if column == TEXT:
            return f"« {short(shown(quote.text))} »"
        if column == SAID_ON:
            return quote.said_on or ""
        if column == VERDICT:
            return badge_label("verdict", quote.verdict)
        if column == SOURCE:
            return shown(quote.source_title)
        if column == REVIEW:
            return badge_label("review", quote.review) if quote.review else ""
        return ""

    def _sort_key(self, quote: QuoteInfo, column: int) -> str:
        if column == VERDICT:
            rank = VERDICT_ORDER.index(quote.verdict) if quote.verdict in VERDICT_ORDER else 99
            return f"{rank:02d}{1 - quote.score:.4f}"
        if column == SAID_ON:
            return quote.said_on or "9999"
        if column == SPEAKER:
            return fold(quote.speaker or "~")
        return fold(self._text(quote, column))


class QuotesProxy(QSortFilterProxyModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)
