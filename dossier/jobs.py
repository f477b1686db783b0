"""Progress and cancellation for long jobs, as plain callables (the UI adapts them to signals),
the time a job of many files has left, and fewer garbage collections while one runs."""

from __future__ import annotations

import gc
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

from dossier.errors import Cancelled
from dossier.i18n import _, ngettext

Progress = Callable[[float, str], None]
"""Called with a fraction in [0, 1] and a short status line."""

ChunkMap = Callable[[Callable[[Any], Any], Sequence[Any]], Iterator[Any]]
"""`work` applied to each part, the results in the parts' order: `map`, or a pool of processes
sharing the parts (the work must then be a module's function, its parts and results
picklable)."""


class CancelToken:
    """Set from any thread; the job checks it between steps and stops cleanly."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled(_("cancelled by the user; nothing was kept"))


_children: set[subprocess.Popen[bytes]] = set()
_children_lock = threading.Lock()


@contextmanager
def child_of_a_job(process: subprocess.Popen[bytes]) -> Iterator[None]:
    """While the block runs, `process` (a job's child, such as the OCR reader of a page) is
    one `end_children` ends: a token's cancel cannot reach a thread waiting on a child."""
    with _children_lock:
        _children.add(process)
    try:
        yield
    finally:
        with _children_lock:
            _children.discard(process)


def end_children() -> None:
    """Kill every job's child (`child_of_a_job`): the vault locks or the app quits, every job
    is abandoned, and a page's reading would hold its job, and what the job holds, for minutes.
    The jobs waiting on them fail, their outcomes dropped."""
    with _children_lock:
        live = list(_children)
    for process in live:
        with suppress(OSError):
            process.kill()  # polls first: a child already reaped is not signalled


def report(progress: Progress | None, fraction: float, message: str) -> None:
    if progress is not None:
        progress(max(0.0, min(1.0, fraction)), message)


def check(cancel: CancelToken | None) -> None:
    if cancel is not None:
        cancel.raise_if_cancelled()


YOUNG_COLLECTION_EVERY = 10_000
"""Allocations between two collections of the youngest generation while a job reads or stores
a file (Python's default: 700)."""
_heap_lock = threading.Lock()
_heap_jobs = 0
_young = gc.get_threshold()[0]


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the block with the garbage collector's youngest generation collected every
    `YOUNG_COLLECTION_EVERY` allocations instead of every 700, then as before.

    Reading a document makes a tuple per word, and storing it objects per page: the collector
    ran hundreds of times over a long PDF, each time going over all that was still young, for
    a fifth of its extraction's CPU (300 pages: 1.5 -> 1.2 ms a page), and dozens of times
    more while its rows were stored. Cycles made meanwhile are freed a little later; nothing
    else changes. Jobs on several threads share it: the young threshold is set back when the
    last one ends, and only it (the window sets the oldest generation's for an import)."""
    global _heap_jobs, _young
    with _heap_lock:
        if _heap_jobs == 0:
            _young, *older = gc.get_threshold()
            if _young:  # 0: automatic collection is off, and stays off
                gc.set_threshold(max(_young, YOUNG_COLLECTION_EVERY), *older)
        _heap_jobs += 1
    try:
        yield
    finally:
        with _heap_lock:
            _heap_jobs -= 1
            if _heap_jobs == 0:
                gc.set_threshold(_young, *gc.get_threshold()[1:])


def throttled(
    progress: Progress | None, seconds: float, clock: Callable[[], float] = time.monotonic
) -> Progress:
    """`progress` told at most once every `seconds` (and always of the end): a job of many
    small files reports several stages of each, hundreds a second, which a window would draw
    one by one, where the last of a moment is all that can be seen."""
    last = [-seconds]

    def inner(fraction: float, message: str) -> None:
        now = clock()
        if fraction >= 1.0 or now - last[0] >= seconds:
            last[0] = now
            report(progress, fraction, message)

    return inner


def scaled(progress: Progress | None, low: float, high: float) -> Progress | None:
    """`progress` for a step that covers [low, high] of the whole job (None for None: the
    step then makes none of the sentences nobody would read)."""
    if progress is None:
        return None

    def inner(fraction: float, message: str) -> None:
        report(progress, low + (high - low) * fraction, message)

    return inner


class TimeLeft:
    """How long a job of many files has left, from its pace so far; None until that means
    something.

    Work is counted in bytes, each file adding `FILE_BYTES` besides its own: a file's fixed cost
    (its rows, its share of a transaction, its notice) is what 10,000 notes of 300 bytes cost,
    and its size is what a few 50 MB scans cost. The pace is measured over a second or more at a
    time and smoothed (half of its weight is the last `HALF_LIFE` seconds'), so one slow file
    moves the estimate without throwing it about; while nothing finishes the pace decays, and
    the estimate grows instead of counting down to zero. There is none before `SETTLING`
    seconds, nor while no work is done: the first files (and the first file's OCR) say little
    about the rest.

    Files and bytes may be added while the job runs (a folder is listed and measured step by
    step), taken off (cancelled) or marked done; all in any thread, under one lock."""

    FILE_BYTES = 64 * 1024
    SAMPLE = 1.0
    """Least seconds between two measures of the pace."""
    HALF_LIFE = 15.0
    SETTLING = 5.0

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._total = 0
        self._done = 0
        self._started: float | None = None
        self._mark = (0.0, 0)
        """When the pace was last measured, and the work done then."""
        self._pace: float | None = None
        """Work per second, smoothed."""

    def add(self, files: int = 0, nbytes: int = 0) -> None:
        """More work to do (files queued, or the sizes of files queued before)."""
        with self._lock:
            if self._started is None:
                self._started = self._clock()
                self._mark = (self._started, self._done)
            self._total += files * self.FILE_BYTES + nbytes

    def done(self, files: int = 0, nbytes: int = 0) -> None:
        """Work finished (a file imported or refused: either took its time)."""
        with self._lock:
            self._done += files * self.FILE_BYTES + nbytes
            self._measure(self._clock())

    def drop(self, files: int = 0, nbytes: int = 0) -> None:
        """Work that will not be done (a file cancelled): off the total, not counted as pace."""
        with self._lock:
            self._total = max(self._done, self._total - files * self.FILE_BYTES - nbytes)

    @property
    def fraction(self) -> float:
        with self._lock:
            return self._done / self._total if self._total else 0.0

    def seconds(self) -> float | None:
        """The seconds left, or None when there is no meaningful estimate yet."""
        with self._lock:
            now = self._clock()
            self._measure(now)
            if self._started is None or now - self._started < self.SETTLING:
                return None
            if not self._done or not self._pace:
                return None
            return max(0.0, (self._total - self._done) / self._pace)

    def _measure(self, now: float) -> None:
        at, then = self._mark
        if self._started is None or now - at < self.SAMPLE:
            return
        pace = (self._done - then) / (now - at)
        if self._pace is None:
            self._pace = pace if self._done else None
        else:
            weight = 1 - 0.5 ** ((now - at) / self.HALF_LIFE)
            self._pace += weight * (pace - self._pace)
        self._mark = (now, self._done)


def time_left_text(seconds: float) -> str:
    """ "about 3 min left": rounded the more, the longer it is, so that it does not flicker."""
    if seconds < 60:
        return _("less than a minute left")
    minutes = seconds / 60
    step = 1 if minutes < 10 else 5 if minutes < 60 else 10
    minutes = max(1, round(minutes / step)) * step
    if minutes < 60:
        return ngettext("about {n} min left", "about {n} min left", minutes).format(n=minutes)
    hours, minutes = divmod(minutes, 60)
    return _("about {hours} h {minutes:02d} min left").format(hours=hours, minutes=minutes)
