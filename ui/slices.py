"""One budget for the work the GUI thread does a slice at a time.

The import list's new rows, its files' outcomes and the documents tree's new rows each came in
slices of 20-25 ms, each on a timer of its own: when they fell in the same turn of the event
loop they added up (frames with 60-80 ms of the GUI thread's own time through a 10,000-file
import). Now a slice that starts right after another (less than `REST_SECONDS` later) continues
its burst, and a burst stops at `BURST_SECONDS`: what is left comes back after a rest, once
the window has painted and answered input.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer

BURST_SECONDS = 0.02
REST_SECONDS = 0.005
REST_MS = 5


class _Burst:
    started = 0.0
    ended = float("-inf")


_burst = _Burst()


def begin() -> float:
    """A slice starts: the time (`time.perf_counter`) at which it must stop, maybe passed
    already (the slices just before it spent the burst)."""
    now = time.perf_counter()
    if now - _burst.ended > REST_SECONDS:
        _burst.started = now
    return _burst.started + BURST_SECONDS


def end(rest_of: QTimer | None = None) -> None:
    """A slice ends; `rest_of` (a single-shot timer) brings its work back after a rest."""
    _burst.ended = time.perf_counter()
    if rest_of is not None:
        rest_of.start(REST_MS)
