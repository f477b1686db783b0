"""The timeline drawn on a horizontal time axis: one dot per item, its label stacked above.

Scale: days become pixels (`px_per_day`, changed with Ctrl+wheel or the zoom buttons), at least
wide enough to fill the view. Labels are laid out in lanes so none overlaps another; month
ticks run along the axis. Clicking a label or a dot emits `item_activated`.
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
AXIS_GAP = 30
MAX_LABEL = 260


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
        self._layout()

    def zoom(self, factor: float) -> None:
        self.px_per_day = max(0.2, min(80.0, self.px_per_day * factor))
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
            lane = next((n for n, end in enumerate(lane_ends) if end < x - 4), len(lane_ends))
            if lane == len(lane_ends):
                lane_ends.append(0.0)
            lane_ends[lane] = x + width
            self._placed.append(_Placed(item, x, lane, QRectF(x - 4, 0, width, LANE - 4)))
        self._lanes = max(1, len(lane_ends))
        width = int(self.x_of(self.last) + MARGIN + MAX_LABEL)
        height = self._lanes * LANE + AXIS_GAP + 40
        self.setMinimumSize(width, height)
        self.resize(max(width, self.width()), height)
        for placed in self._placed:
            placed.label.moveTop(self._axis_y() - AXIS_GAP - (placed.lane + 1) * LANE)
        self.update()

    def _axis_y(self) -> float:
        return self._lanes * LANE + AXIS_GAP + 10

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
        for placed in self._placed:
            colour = kind_colour(placed.item.kind)
            painter.setPen(QPen(colour.lighter(130), 1, Qt.PenStyle.DotLine))
            painter.drawLine(int(placed.x), int(placed.label.bottom()), int(placed.x), int(axis))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawEllipse(QRectF(placed.x - 5, axis - 5, 10, 10))
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
        day = self.first.replace(day=1)
        step_months = 1 if self.px_per_day * 30 >= 60 else (3 if self.px_per_day * 90 >= 60 else 12)
        while day <= self.last:
            if day >= self.first:
                x = self.x_of(day)
                painter.drawLine(int(x), int(axis), int(x), int(axis + 6))
                painter.drawText(int(x) + 3, int(axis + 20), day.strftime("%Y-%m"))
            month = day.month - 1 + step_months
            day = date(day.year + month // 12, month % 12 + 1, 1)

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
