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
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QWidget

from dossier.errors import Cancelled
from dossier.jobs import CancelToken
from ui.errors import show_error

log = logging.getLogger(__name__)

Work = Callable[[Callable[[float, str], None], CancelToken], Any]


class Job(QObject):
    """A handle on one background call: its signals, its cancel token."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(float, str)
    finished = Signal()

    def __init__(self, fn: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.fn = fn
        self.token = CancelToken()
        self.abandoned = False
        self.done = False

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
    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job
        self.setAutoDelete(True)

    def run(self) -> None:
        job = self.job
        try:
            if job.token.cancelled:
                raise Cancelled("cancelled before it started")
            result = job.fn(job._report, job.token)
        except BaseException as exc:  # every failure must reach the GUI thread, bugs included
            job.failed.emit(exc)
        else:
            job.succeeded.emit(result)
        finally:
            job.finished.emit()


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
    job = Job(fn)

    def succeeded(result: Any) -> None:
        if not job.abandoned and on_success is not None:
            on_success(result)

    def failed(exc: BaseException) -> None:
        if job.abandoned:
            log.debug("result of an abandoned job dropped (%s)", type(exc).__name__)
        elif on_error is not None:
            on_error(exc)
        else:
            show_error(parent, exc)

    def finished() -> None:
        job.done = True
        _running.discard(job)
        if not job.abandoned and on_finished is not None:
            on_finished()

    job.succeeded.connect(succeeded)
    job.failed.connect(failed)
    if on_progress is not None:
        job.progressed.connect(on_progress)
    job.finished.connect(finished)
    _running.add(job)
    (pool or _pool()).start(_Runnable(job))
    return job


def running_jobs() -> list[Job]:
    return list(_running)


def abandon_all(wait_ms: int = 15000) -> bool:
    """Abandon every job and wait for the workers to stop; False if some are still running."""
    for job in list(_running):
        job.abandon()
    stopped = True
    for pool in (_pool(), *_pools.values()):
        stopped = pool.waitForDone(wait_ms) and stopped
    return stopped
