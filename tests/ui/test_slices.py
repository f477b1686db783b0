"""Work the GUI thread does a slice at a time shares one budget: slices run back to back (the
import list's rows, its outcomes, the documents tree's rows, in the same turn of the event
loop) stop together at `BURST_SECONDS`, and a slice after a rest has the whole budget again."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer

from ui import slices


class Clock:
    def __init__(self) -> None:
        self.now = time.perf_counter() + 3600.0  # after any slice of an earlier test

    def __call__(self) -> float:
        return self.now


def test_slices_back_to_back_share_one_budget(monkeypatch) -> None:
    clock = Clock()
    monkeypatch.setattr(slices.time, "perf_counter", clock)
    first = slices.begin()
    assert first == clock.now + slices.BURST_SECONDS
    clock.now += 0.015  # the import list's outcomes took 15 ms
    slices.end()
    clock.now += 0.001
    assert slices.begin() == first  # the tree's rows right after: the 5 ms left, not 20 more
    clock.now = first + 0.0001
    slices.end()
    clock.now += slices.REST_SECONDS * 2  # the loop painted and answered input meanwhile
    assert slices.begin() == clock.now + slices.BURST_SECONDS


def test_a_slice_stopped_by_the_budget_comes_back_after_a_rest(qtbot) -> None:
    timer = QTimer()
    timer.setSingleShot(True)
    calls: list[int] = []
    timer.timeout.connect(lambda: calls.append(1))
    slices.begin()
    slices.end(timer)
    assert timer.isActive() and timer.interval() >= slices.REST_MS
    qtbot.waitUntil(lambda: calls == [1], timeout=2000)
