"""Coloured badges: a quote's verdict, a re-check outcome, a letter's or a question's state.

One table of (label, colour) per family, so a list, a dialog and a tooltip say the same word in
the same colour. `BadgeDelegate` paints the badge of a cell whose `BADGE_ROLE` holds a key;
`badge_html` gives the same badge for rich text (the diff panes).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ui.i18n import N_, tr

BADGE_ROLE = Qt.ItemDataRole.UserRole + 20
"""A cell's badge key (a verdict, a state); the cell's text is its translated label."""

Badge = tuple[str, str]

VERDICTS: dict[str, Badge] = {
    "verbatim": (N_("verbatim"), "#1b7f3b"),
    "normalized": (N_("normalized"), "#3b7dd8"),
    "trimmed": (N_("trimmed"), "#7a5cc4"),
    "altered": (N_("altered"), "#d9822b"),
    "not_found": (N_("not found"), "#c62828"),
    "unchecked": (N_("unchecked"), "#7b8088"),
}
VERDICT_ORDER = tuple(VERDICTS)
"""Best first, as the core ranks them: sorting by verdict uses this order, not the alphabet."""

REVIEWS: dict[str, Badge] = {
    "unchanged": (N_("unchanged"), "#7b8088"),
    "moved": (N_("moved"), "#3b7dd8"),
    "degraded": (N_("degraded"), "#d9822b"),
    "lost": (N_("lost"), "#c62828"),
    "found": (N_("found"), "#1b7f3b"),
}

# Colours say where a letter stands: done (green), waiting (grey, amber), late (red). A partial
# answer is not done: it waits in amber, or turns red once questions are past the deadline.
DONE, WAITING, PENDING, LATE, GREY = "#1b7f3b", "#c29b00", "#d9822b", "#c62828", "#7b8088"

LETTER_STATES: dict[str, Badge] = {
    "draft": (N_("draft"), GREY),
    "sent": (N_("sent"), "#607d8b"),
    "awaiting": (N_("awaiting"), WAITING),
    "overdue": (N_("overdue"), LATE),
    "replied": (N_("replied"), DONE),
    "partly_answered": (N_("partly answered"), PENDING),
    "partly_overdue": (N_("partly, overdue"), LATE),
    "declined": (N_("declined"), "#8e3b8e"),
    "no_reply_by_publication": (N_("no reply by publication"), "#8b1a1a"),
}

QUESTION_STATES: dict[str, Badge] = {
    "unanswered": (N_("unanswered"), WAITING),
    "overdue": (N_("overdue"), LATE),
    "answered": (N_("answered"), DONE),
    "partly": (N_("partly"), PENDING),
    "declined": (N_("declined"), "#8e3b8e"),
}

FAMILIES: dict[str, dict[str, Badge]] = {
    "verdict": VERDICTS,
    "review": REVIEWS,
    "letter": LETTER_STATES,
    "question": QUESTION_STATES,
}


def badge(family: str, key: str) -> Badge:
    """(translated label, colour) of `key`; an unknown key is shown as itself, in grey."""
    label, colour = FAMILIES[family].get(key, (key, "#7b8088"))
    return tr(label), colour


def badge_label(family: str, key: str) -> str:
    return badge(family, key)[0]


def badge_html(family: str, key: str) -> str:
    label, colour = badge(family, key)
    return (
        f'<span style="background-color:{colour}; color:white; font-weight:bold;">'
        f"&nbsp;{html.escape(label)}&nbsp;</span>"
    )


def paint_badge(
    painter: QPainter, option: QStyleOptionViewItem, family: str, key: str, left: int
) -> int:
    """Draw `key`'s rounded badge `left` pixels into the cell, centred on its height; returns
    the badge's width (what follows it starts after)."""
    label, colour = badge(family, key)
    metrics = QFontMetrics(option.font)
    width = metrics.horizontalAdvance(label) + 2 * BadgeDelegate.PAD_X
    height = metrics.height() + 2 * BadgeDelegate.PAD_Y
    rect = option.rect
    box = QRectF(rect.left() + left, rect.center().y() - height / 2 + 1, width, height)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawRoundedRect(box, height / 2, height / 2)
    painter.setPen(QColor("white"))
    painter.setFont(option.font)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label)
    return width


class BadgeDelegate(QStyledItemDelegate):
    """Paints the cell's `BADGE_ROLE` key as a rounded, coloured badge with its label."""

    PAD_X = 7
    PAD_Y = 2

    def __init__(self, family: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.family = family

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        key = index.data(BADGE_ROLE)
        if not key:
            super().paint(painter, option, index)
            return
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        paint_badge(painter, option, self.family, str(key), left=4)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        key = index.data(BADGE_ROLE)
        hint = super().sizeHint(option, index)
        if not key:
            return hint
        metrics = QFontMetrics(option.font)
        width = metrics.horizontalAdvance(badge_label(self.family, str(key))) + 2 * self.PAD_X + 10
        return QSize(max(hint.width(), width), max(hint.height(), metrics.height() + 8))


class LeadingBadgeDelegate(QStyledItemDelegate):
    """A badge, then the cell's text: for rows spanning the whole width (a letter's questions
    under it), where a separate badge column would leave no room for the words."""

    GAP = 8

    def __init__(self, family: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.family = family
        self._badge = BadgeDelegate(family)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        key = index.data(BADGE_ROLE)
        if not key or not index.parent().isValid():
            super().paint(painter, option, index)
            return
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(option.rect, option.palette.highlight())
        width = paint_badge(painter, option, self.family, str(key), left=2)
        metrics = QFontMetrics(option.font)
        text_rect = option.rect.adjusted(int(width) + 2 + self.GAP, 0, 0, 0)
        role = (
            option.palette.ColorRole.HighlightedText if selected else option.palette.ColorRole.Text
        )
        painter.setPen(option.palette.color(role))
        text = metrics.elidedText(
            str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
            Qt.TextElideMode.ElideRight,
            text_rect.width(),
        )
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text
        )
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), max(hint.height(), QFontMetrics(option.font).height() + 8))
