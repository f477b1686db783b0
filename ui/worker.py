"""The one background helper: run a service call off the GUI thread, deliver the outcome on it.

`run_in_background(fn, on_success=...)` calls `fn(progress, cancel)` in a thread pool. The
core's plain callables (`dossier.jobs`) are adapted here, and only here, to Qt signals: the
`Job` object lives on the GUI thread, so its signals emitted from the worker are queued back
to it. A failure goes to `on_error`, or by default to `ui.errors.show_error` (a sentence for
expected failures, the crash dialog for a bug). Locking the vault abandons every job: their
results are dropped, not shown.
"""

from __future__ import annotations

import logging
import sys
import traceback
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QRunnable,
    QThreadPool,
    Signal,
    SignalInstance,
)
from PySide6.QtWidgets import QWidget

from dossier.errors import Cancelled, DossierError
from dossier.jobs import CancelToken, end_children
from ui.errors import show_error

log = logging.getLogger(__name__)

Work = Callable[[Callable[[float, str], None], CancelToken], Any]

SWITCH_SECONDS = 0.001
"""Longest a thread running Python keeps the GIL once the GUI thread asks for it (Python's
default: 5 ms). The GUI thread gives the GIL up each time it waits for events, and asks for it
again at each timer, input or signal from a worker: through an import, every one of those
waited up to 5 ms for the import's threads, frames of 50-130 ms from a few milliseconds of the
GUI thread's own work. Measured over 10,000 small files (bench_gui_import, three runs each,
taken in turns on the same machine at load 11-13): 30 to 65 frames over 50 ms instead of 60 to
100, and the import no slower (36 to 38 s, against 37 to 43)."""


def prefer_the_window() -> None:
    """The window's thread gets the GIL within `SWITCH_SECONDS` of asking (see there)."""
    sys.setswitchinterval(SWITCH_SECONDS)


class Job(QObject):
    """A handle on one background call: its signals, its cancel token."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(float, str)
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.token = CancelToken()
        self.abandoned = False
        self.done = False
        self.returned = False
        """Set by the worker once the work has returned and its outcome is queued."""
        self._slots: list[tuple[SignalInstance, Callable[..., None]]] = []

    def link(self, signal: SignalInstance, slot: Callable[..., None]) -> None:
        signal.connect(slot)
        self._slots.append((signal, slot))

    def release(self) -> None:
        """Let go of the callbacks: Qt holds them and they hold the job, and through it and
        them the views and the workspace, a cycle the collector cannot see."""
        for signal, slot in self._slots:
            signal.disconnect(slot)
        self._slots.clear()

    def cancel(self) -> None:
        self.token.cancel()

    def abandon(self) -> None:
        """Cancel and drop the outcome: used when the vault locks under a running job."""
        self.abandoned = True
        self.token.cancel()

    # Called on the worker thread: only emits, never touches widgets.
    def _report(self, fraction: float, message: str) -> None:
        if not self.abandoned:
            self.progressed.emit(fraction, message)


class _Runnable(QRunnable):
    def __init__(self, job: Job, fn: Work) -> None:
        super().__init__()
        self.job = job
        self.fn: Work | None = fn
        self.setAutoDelete(True)

    def run(self) -> None:
        # What the work refers to (the workspace, often) is let go once it has run.
        job, fn, self.fn = self.job, self.fn, None
        try:
            if job.token.cancelled or fn is None:
                raise Cancelled("cancelled before it started")
            result = fn(job._report, job.token)
        except BaseException as exc:  # every failure must reach the GUI thread, bugs included
            fn = None
            _let_go_of_locals(exc)
            job.failed.emit(exc)
        else:
            job.succeeded.emit(result)
        finally:
            job.finished.emit()
            job.returned = True


def _let_go_of_locals(exc: BaseException) -> None:
    """Empty the finished frames of a failure's tracebacks (its chain's too): the failure
    waits in the GUI thread's queue until delivered, and through its frames' locals it kept
    the work's arguments (a renderer, so the workspace) alive past a lock. The code
    positions a bug report shows stay."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)
        current = current.__cause__ or current.__context__


_running: set[Job] = set()
_pools: dict[str, QThreadPool] = {}


def _pool() -> QThreadPool:
    return QThreadPool.globalInstance()


def named_pool(name: str, threads: int = 1) -> QThreadPool:
    """A pool of its own for a kind of work (page rendering must not wait behind an import)."""
    pool = _pools.get(name)
    if pool is None:
        pool = QThreadPool()
        pool.setMaxThreadCount(threads)
        _pools[name] = pool
    return pool


def run_in_background(
    fn: Work,
    *,
    on_success: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[float, str], None] | None = None,
    on_finished: Callable[[], None] | None = None,
    parent: QWidget | None = None,
    pool: QThreadPool | None = None,
) -> Job:
    """Start `fn(progress, cancel)` in a worker thread; callbacks run on the GUI thread."""
    job = Job()

    # The work has returned when its result or failure arrives: `done` then, not at the
    # `finished` signal delivered after it, or a click in between (Close on a dialog that
    # already says "Done") still found the job running and cancelled it.
    def succeeded(result: Any) -> None:
        job.done = True
        if not job.abandoned and on_success is not None:
            on_success(result)

    def failed(exc: BaseException) -> None:
        job.done = True
        if job.abandoned:
            log.debug("result of an abandoned job dropped (%s)", type(exc).__name__)
        elif on_error is not None:
            on_error(exc)
        else:
            show_error(parent, exc)

    def finished() -> None:
        job.done = True
        _running.discard(job)
        try:
            if not job.abandoned and on_finished is not None:
                on_finished()
        finally:
            job.release()

    job.link(job.succeeded, succeeded)
    job.link(job.failed, failed)
    if on_progress is not None:
        job.link(job.progressed, on_progress)
    job.link(job.finished, finished)
    _running.add(job)
    (pool or _pool()).start(_Runnable(job, fn))
    return job


_Ask = tuple[Callable[[], Any], Callable[[Any], None], Callable[[DossierError], None] | None]


class LatestRead(QObject):
    """A view's read of the catalog, off the GUI thread, one at a time: asked again while one
    runs, it reads once more when that one ends, for the newest ask only, and shows only an
    answer no newer ask has overtaken. A notice a second through an import (counts, hints)
    read on the GUI thread waited there for the catalog and the import's thread: frames of
    50-150 ms each."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self._job: weakref.ref[Job] | None = None
        """The read under way (weakly: an abandoned one's closure holds a closed workspace)."""
        self._asked: _Ask | None = None
        _reads.add(self)

    def _running(self) -> Job | None:
        job = self._job() if self._job is not None else None
        if job is None or job.abandoned:
            # Abandoned at lock (gone since, or still here): nothing more to read. A read that
            # ended otherwise started the one asked meanwhile as it ended (`on_finished`).
            self._asked = None
        return None if job is None or job.done or job.abandoned else job

    @property
    def busy(self) -> bool:
        return self._running() is not None or self._asked is not None

    def ask(
        self,
        read: Callable[[], Any],
        show: Callable[[Any], None],
        refused: Callable[[DossierError], None] | None = None,
    ) -> None:
        """`read()` in a worker, then `show(answer)` on the GUI thread. An expected failure
        (the document deleted meanwhile, the vault locking) goes to `refused`, or shows
        nothing; a bug is reported."""
        running = self._running()
        self._asked = (read, show, refused)
        if running is None:
            self._start()

    def drop(self) -> None:
        """Forget what was asked and abandon the read under way (its answer is old)."""
        self._asked = None
        running = self._running()
        if running is not None:
            running.abandon()

    def _start(self) -> None:
        if self._asked is None:
            return
        read, show, refused = self._asked
        self._asked = None

        def shown(answer: Any) -> None:
            if self._asked is None:  # a newer ask reads again: this answer is already old
                show(answer)

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, DossierError):
                show_error(self._parent, exc)
            elif refused is not None and self._asked is None:
                refused(exc)

        job = run_in_background(
            lambda _progress, _cancel: read(),
            on_success=shown,
            on_error=failed,
            on_finished=self._start,
            parent=self._parent,
        )
        self._job = weakref.ref(job)


_reads: weakref.WeakSet[LatestRead] = weakref.WeakSet()


def reads_busy() -> bool:
    """Whether a view is still reading what changed (tests wait for it)."""
    return any(read.busy for read in _reads)


def running_jobs() -> list[Job]:
    return list(_running)


def abandon_all(wait_ms: int = 15000) -> bool:
    """Abandon every job and wait for the workers to stop; False if some are still running."""
    abandoned = list(_running)
    for job in abandoned:
        job.abandon()
    end_children()  # a page's OCR reader, which the cancel cannot reach
    stopped = True
    for pool in (_pool(), *_pools.values()):
        stopped = pool.waitForDone(wait_ms) and stopped
    # Their outcomes would be dropped: what the callbacks hold goes now, with the lock, not
    # once the event loop has delivered them; so do the outcomes queued for the GUI thread (a
    # cancelled job's failure holds its traceback, whose frames hold the workspace). Each job
    # that has returned, though another is still inside a call the cancel cannot stop: that one
    # alone keeps what it holds until it returns.
    for job in abandoned:
        if job.returned:
            job.done = True
            _running.discard(job)
            job.release()
            QCoreApplication.removePostedEvents(job, QEvent.Type.MetaCall)
    return stopped
