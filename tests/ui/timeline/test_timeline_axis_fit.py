"""The time axis fills its pane at first, with ticks as fine as the scale allows, the axis in
sight at the top, and labels that never overlap, also at the right end and when zoomed."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from dossier.services.dto import TimelineItem
from ui.timeline.timeline_axis import AXIS_Y, TICK_ROOM, TimelineAxis, TimelineScroll

START = date(2023, 11, 14)


def _items(days: list[int]) -> list[TimelineItem]:
    return [
        TimelineItem(
            (START + timedelta(days=d)).isoformat(),
            "document",
            f"Pièce {n} du dossier",
            "document",
            str(n),
        )
        for n, d in enumerate(days)
    ]


def test_the_axis_fills_its_pane_and_labels_never_overlap(qtbot) -> None:
    axis = TimelineAxis()
    scroll = TimelineScroll(axis)
    qtbot.addWidget(scroll)
    scroll.resize(520, 400)
    scroll.show()
    axis.set_items(_items([0, 1, 3, 6, 7, 7, 8, 10, 27]))
    qtbot.waitUntil(lambda: axis.room == scroll.viewport().width(), timeout=5000)
    span = axis.x_of(axis.last) - axis.x_of(axis.first)
    assert span >= 0.8 * scroll.viewport().width()  # not packed into a corner
    ticks = axis.ticks()
    assert len(ticks) >= 3
    xs = [axis.x_of(day) for day, _label in ticks]
    assert all(b - a >= TICK_ROOM for a, b in pairwise(xs))
    for factor in (1.0, 0.2, 6.0):
        axis.zoom(factor)
        placed = [axis.placed_rect(i) for i in axis.items]
        assert all(rect is not None and rect.top() > AXIS_Y for rect in placed)
        for a in placed:
            for b in placed:
                assert a is b or not a.intersects(b)  # type: ignore[union-attr]
        last = placed[-1]
        assert last is not None and last.right() <= max(axis.width(), axis.room)
