"""The timeline drawn on a horizontal time axis: one dot per item, its label in a lane below.

Scale: at first the whole span fills the pane's width (`fit`); Ctrl+wheel or the zoom buttons
multiply that (`zoom_factor`). The axis runs along the top, where it stays in sight however many
lanes there are, with ticks as fine as the scale allows (days, weeks, months, quarters, years).
Labels are laid out in lanes so none overlaps another, and drawn over the connector lines so no
line crosses a label. Clicking a label or a dot emits `item_activated`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QScrollArea, QWidget

from dossier.services.dto import TimelineItem
from ui.widgets.outside_text import shown

KIND_COLOURS = {
    "document": "#2e6bd1",
    "letter": "#b5651d",
    "deadline": "#c62828",
    "reply": "#7a4fb8",
    "quote": "#1b8a5a",
    "note": "#c29b00",
    "publication": "#222222",
}
OTHER_COLOUR = "#5b6770"
MARGIN = 40
LANE = 24
AXIS_Y = 34
"""The axis line, under its tick labels."""
AXIS_GAP = 16
MAX_LABEL = 260
TICK_ROOM = 78
"""Least pixels between two ticks: an ISO date fits between them."""


def kind_colour(kind: str) -> QColor:
    return QColor(KIND_COLOURS.get(kind, OTHER_COLOUR))


@dataclass
class _Placed:
    item: TimelineItem
    x: float
    lane: int
    label: QRectF


class TimelineAxis(QWidget):
    item_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[TimelineItem] = []
        self.px_per_day = 6.0
        self.zoom_factor = 1.0
        """1: the whole span fills the pane's width."""
        self.room = 600
        """The width the pane gives (its viewport's)."""
        self.first = date.today()
        self.last = date.today()
        self._placed: list[_Placed] = []
        self._lanes = 1
        self.setMouseTracking(True)
        self.setMinimumHeight(160)

    def set_items(self, items: list[TimelineItem]) -> None:
        self.items = [i for i in items if _day(i.date) is not None]
        days = [_day(i.date) for i in self.items]
        known = [d for d in days if d is not None]
        self.first = min(known, default=date.today()) - timedelta(days=3)
        self.last = max(known, default=date.today()) + timedelta(days=3)
        self._scale()

    def zoom(self, factor: float) -> None:
        self.zoom_factor = max(0.05, min(40.0, self.zoom_factor * factor))
        self._scale()

    def fit(self, room: int) -> None:
        """The pane is `room` pixels wide: at zoom 1 the span fills it."""
        if room != self.room:
            self.room = room
            self._scale()

    def _scale(self) -> None:
        days = max(1, (self.last - self.first).days)
        fitted = max(0.2, (self.room - 2 * MARGIN) / days)
        self.px_per_day = max(0.05, min(200.0, fitted * self.zoom_factor))
        self._layout()

    def x_of(self, day: date) -> float:
        return MARGIN + (day - self.first).days * self.px_per_day

    def _layout(self) -> None:
        metrics = QFontMetrics(self.font())
        lane_ends: list[float] = []
        self._placed = []
        for item in self.items:
            day = _day(item.date)
            assert day is not None  # undated items were left out in set_items
            x = self.x_of(day)
            text = metrics.elidedText(shown(item.title), Qt.TextElideMode.ElideRight, MAX_LABEL)
            width = metrics.horizontalAdvance(text) + 12
            # Near the right end a label stands left of its dot: the axis may fill the pane.
            left = x - 4 if x - 4 + width <= self.room - 8 else max(4.0, x + 4 - width)
            lane = next((n for n, end in enumerate(lane_ends) if end < left - 4), len(lane_ends))
            if lane == len(lane_ends):
                lane_ends.append(0.0)
            lane_ends[lane] = left + width
            self._placed.append(_Placed(item, x, lane, QRectF(left, 0, width, LANE - 4)))
        self._lanes = max(1, len(lane_ends))
        right = max([p.label.right() for p in self._placed], default=0.0)
        width = int(max(self.x_of(self.last), right) + MARGIN)
        height = AXIS_Y + AXIS_GAP + self._lanes * LANE + 10
        self.setMinimumSize(width, height)
        self.resize(max(width, self.room), height)
        for placed in self._placed:
            placed.label.moveTop(AXIS_Y + AXIS_GAP + placed.lane * LANE)
        self.update()

    def _axis_y(self) -> float:
        return AXIS_Y

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        axis = self._axis_y()
        painter.setPen(QPen(QColor("#444444"), 2))
        painter.drawLine(MARGIN - 10, int(axis), int(self.x_of(self.last)), int(axis))
        self._paint_ticks(painter, axis)
        metrics = QFontMetrics(self.font())
        # Lines and dots first, labels over them: no connector crosses a label.
        for placed in self._placed:
            colour = kind_colour(placed.item.kind)
            painter.setPen(QPen(colour.lighter(130), 1, Qt.PenStyle.DotLine))
            painter.drawLine(int(placed.x), int(axis), int(placed.x), int(placed.label.top()))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawEllipse(QRectF(placed.x - 5, axis - 5, 10, 10))
        for placed in self._placed:
            colour = kind_colour(placed.item.kind)
            painter.setBrush(colour.lighter(185))
            painter.setPen(QPen(colour, 1))
            painter.drawRoundedRect(placed.label, 4, 4)
            painter.setPen(QColor("#111111"))
            title = shown(placed.item.title)
            text = metrics.elidedText(title, Qt.TextElideMode.ElideRight, MAX_LABEL)
            painter.drawText(placed.label.adjusted(6, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, text)
        painter.end()

    def _paint_ticks(self, painter: QPainter, axis: float) -> None:
        painter.setPen(QColor("#666666"))
        for day, label in self.ticks():
            x = self.x_of(day)
            painter.drawLine(int(x), int(axis - 6), int(x), int(axis + 6))
            painter.drawText(int(x) + 3, int(axis - 9), label)

    def ticks(self) -> list[tuple[date, str]]:
        """Where the ticks stand and what they read: the finest step that leaves room."""
        days = [(1, "%Y-%m-%d"), (7, "%Y-%m-%d")]
        for step, pattern in days:
            if self.px_per_day * step >= TICK_ROOM:
                day = self.first
                if step == 7:  # weeks start on Monday
                    day += timedelta(days=(7 - day.weekday()) % 7)
                found = []
                while day <= self.last:
                    found.append((day, day.strftime(pattern)))
                    day += timedelta(days=step)
                return found
        months = next((m for m in (1, 3, 12) if self.px_per_day * 30.4 * m >= TICK_ROOM), 60)
        found = []
        day = self.first.replace(day=1)
        while day <= self.last:
            if day >= self.first and (day.month - 1) % min(months, 12) == 0:
                found.append((day, day.strftime("%Y" if months >= 12 else "%Y-%m")))
            month = day.month
            day = date(day.year + month // 12, month % 12 + 1, 1)
        if months > 12:
            found = [(d, t) for d, t in found if d.year % (months // 12) == 0]
        return found

    def item_at(self, x: float, y: float) -> TimelineItem | None:
        axis = self._axis_y()
        for placed in reversed(self._placed):
            if placed.label.contains(x, y) or (abs(x - placed.x) <= 6 and abs(y - axis) <= 6):
                return placed.item
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        item = self.item_at(event.position().x(), event.position().y())
        if item is not None and event.button() == Qt.MouseButton.LeftButton:
            self.item_activated.emit(item)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        item = self.item_at(event.position().x(), event.position().y())
        self.setCursor(
            Qt.CursorShape.PointingHandCursor if item is not None else Qt.CursorShape.ArrowCursor
        )
        self.setToolTip(
            f"{item.date} · {shown(item.title)}\n{shown(item.detail)}".strip() if item else ""
        )

    def placed_rect(self, item: TimelineItem) -> QRectF | None:
        return next((p.label for p in self._placed if p.item is item), None)


class TimelineScroll(QScrollArea):
    """The axis in a scroll area; Ctrl+wheel zooms the time scale."""

    def __init__(self, axis: TimelineAxis, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.axis = axis
        self.setWidget(axis)
        self.setWidgetResizable(False)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.axis.fit(self.viewport().width())

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.axis.zoom(1.25 if event.angleDelta().y() > 0 else 0.8)
            event.accept()
            return
        super().wheelEvent(event)


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
