"""Search results as a list model, and the delegate that draws them (icon, title, snippet)."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from dossier.services.dto import SearchHit
from ui.i18n import tr
from ui.widgets.icons import kind_icon, kind_label
from ui.widgets.outside_text import shown

HIT_ROLE = Qt.ItemDataRole.UserRole + 1


def snippet_html(snippet: str, highlights: list[tuple[int, int]]) -> str:
    """The snippet with its matched ranges in bold on yellow (escaped: snippets are data)."""
    parts: list[str] = []
    cursor = 0
    for start, end in sorted(highlights):
        start, end = max(start, cursor), min(end, len(snippet))
        if start >= end:
            continue
        parts.append(html.escape(shown(snippet[cursor:start], passage=True)))
        hit = html.escape(shown(snippet[start:end], passage=True))
        parts.append(f'<b style="background-color:#ffe066">{hit}</b>')
        cursor = end
    parts.append(html.escape(shown(snippet[cursor:], passage=True)))
    return "".join(parts).replace("\n", " ")


def page_text_label(hit: SearchHit) -> str:
    if hit.page_index is None:
        return ""
    label = hit.page_label or str(hit.page_index + 1)
    return tr("p. {label}").format(label=label)


class SearchResultsModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hits: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self.hits = list(hits)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.hits)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or index.row() >= len(self.hits):
            return None
        hit = self.hits[index.row()]
        if role == HIT_ROLE:
            return hit
        if role == Qt.ItemDataRole.DisplayRole:
            return shown(hit.title)
        if role == Qt.ItemDataRole.DecorationRole:
            return kind_icon(hit.kind)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{kind_label(hit.kind)} · {shown(hit.title)} {page_text_label(hit)}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{shown(hit.title)}, {page_text_label(hit)}: {shown(hit.snippet, passage=True)}"
        return None


class ResultDelegate(QStyledItemDelegate):
    """Two lines: kind icon, bold title and page label; then the snippet with highlights."""

    ICON = 22
    PAD = 6

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self.view = view

    def _document(
        self, hit: SearchHit, width: float, selected: bool, palette: QPalette
    ) -> QTextDocument:
        colour = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        page = html.escape(page_text_label(hit))
        muted = colour.name() if selected else "#777777"  # grey on the selection is unreadable
        snippet = snippet_html(hit.snippet, list(hit.highlights))
        doc.setHtml(
            f'<div style="color:{colour.name()}"><b>{html.escape(shown(hit.title))}</b>'
            f'&nbsp;&nbsp;<span style="color:{muted}">{page}</span><br/>'
            f'<span style="font-size:small">{snippet}</span></div>'
        )
        doc.setTextWidth(width)
        return doc

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        hit = index.data(HIT_ROLE)
        if hit is None:
            super().paint(painter, option, index)
            return
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(option.rect, option.palette.highlight())
        rect = option.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        kind_icon(hit.kind).paint(painter, rect.left(), rect.top(), self.ICON, self.ICON)
        text_left = rect.left() + self.ICON + self.PAD
        doc = self._document(hit, rect.right() - text_left, selected, option.palette)
        painter.translate(text_left, rect.top())
        doc.drawContents(painter, QRectF(0, 0, rect.right() - text_left, rect.height()))
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hit = index.data(HIT_ROLE)
        if hit is None:
            return super().sizeHint(option, index)
        width = max(120, self.view.viewport().width()) - self.ICON - 3 * self.PAD
        doc = self._document(hit, width, False, option.palette)
        height = min(int(doc.size().height()), 110) + 2 * self.PAD
        return QSize(width, max(height, self.ICON + 2 * self.PAD))
