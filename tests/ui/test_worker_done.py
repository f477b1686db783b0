"""A background job is done once its result or failure reaches the GUI thread; one the lock
abandons lets go at once of what its work held, and of the read a view asked for after it."""

from __future__ import annotations

import gc
import threading
import time
import weakref
from collections.abc import Callable
from functools import partial

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from dossier.jobs import CancelToken
from ui.worker import Job, LatestRead, abandon_all, named_pool, run_in_background


def _done_when_told(qtbot, fn) -> list[bool]:
    seen: list[bool] = []
    job: list[Job] = []

    def told(_outcome: object) -> None:
        seen.append(job[0].done)

    # Assigned before the event loop runs again, so before any callback can.
    job.append(run_in_background(fn, on_success=told, on_error=told))
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    return seen


def test_a_job_is_done_when_its_result_arrives(qtbot) -> None:
    # A click between the result and the `finished` signal (Close on a dialog that already
    # said "Done") found the job still running and cancelled it.
    assert _done_when_told(qtbot, lambda _progress, _cancel: 42) == [True]


def test_a_job_is_done_when_its_failure_arrives(qtbot) -> None:
    def fails(_progress: object, _cancel: object) -> None:
        raise ValueError("refused")

    assert _done_when_told(qtbot, fails) == [True]


class _Held:
    """What a job's work refers to (the workspace, in the app)."""


def _held_until_cancelled(
    outcome: Callable[[_Held, CancelToken], object],
) -> tuple[Callable[[object, CancelToken], object], list[weakref.ref[_Held]]]:
    """Work that holds a session until cancelled, then returns `outcome(session, cancel)`;
    and where the weak reference to that session goes once the work has started."""
    held: list[weakref.ref[_Held]] = []

    def work(_progress: object, cancel: CancelToken) -> object:
        session = _Held()
        held.append(weakref.ref(session))
        while not cancel.cancelled:
            time.sleep(0.01)
        return outcome(session, cancel)

    return work, held


def _abandoned_at_lock(qtbot, outcome: Callable[[_Held, CancelToken], object]) -> bool:
    """Whether what `outcome` was given is still held once `abandon_all` has returned, the
    job having stopped at the lock's cancel."""
    work, held = _held_until_cancelled(outcome)
    run_in_background(work)
    qtbot.waitUntil(lambda: bool(held), timeout=10000)
    assert abandon_all()  # as the window's lock does, without turning the event loop first
    return held[0]() is not None


def test_a_job_cancelled_by_the_lock_holds_nothing_once_it_returns(qtbot) -> None:
    # The failure's traceback, queued for the GUI thread, held the work's frames and through
    # them the workspace after the lock (until the event loop dropped the outcome).
    def fails(_session: _Held, cancel: CancelToken) -> object:
        cancel.raise_if_cancelled()
        return None

    assert not _abandoned_at_lock(qtbot, fails)


def test_a_result_abandoned_at_the_lock_is_let_go_with_it(qtbot) -> None:
    assert not _abandoned_at_lock(qtbot, lambda session, _cancel: session)


def test_a_read_asked_again_when_the_lock_came_is_dropped_with_it(qtbot) -> None:
    """A view's read asked again while one ran (the second waits for the first) and the lock
    abandoning the first: the view is not reading any more, and what the second read would
    have read from (the workspace, in the app) is let go. The abandoned job, once collected,
    left the second ask waiting for good: the closed workspace held by it, and `reads_busy`
    true for ever (UI tests waiting for the reads to end waited out their patience)."""
    parent = QWidget()
    qtbot.addWidget(parent)
    read = LatestRead(parent)
    first_running, finish_first = threading.Event(), threading.Event()

    def first() -> None:
        first_running.set()
        finish_first.wait(60)

    session = _Held()
    held = weakref.ref(session)
    shown: list[object] = []
    read.ask(first, shown.append)
    assert first_running.wait(60)
    read.ask(partial(_Held.__repr__, session), shown.append)  # waits for the first
    del session
    finish_first.set()
    assert abandon_all()  # as the window's lock does, without turning the event loop first
    gc.collect()  # the abandoned job goes
    assert not read.busy
    assert held() is None
    QTest.qWait(50)  # what the first job had queued is delivered, and dropped
    assert shown == [] and not read.busy


def test_a_job_that_stopped_is_let_go_though_another_outlives_the_wait(qtbot) -> None:
    """A lock on a loaded machine: one job is inside a call the cancel cannot stop (a page's
    OCR, tens of seconds at load 14) past the lock's wait, another stopped at once. What the
    one that stopped held goes with the lock all the same: it stayed queued for the event
    loop, and the workspace with it (tests/ui/test_lock.py's "nothing of the session outlives
    the lock" failed so under load)."""
    unstoppable_running, let_it_end = threading.Event(), threading.Event()

    def unstoppable(_progress: object, _cancel: CancelToken) -> None:
        unstoppable_running.set()
        let_it_end.wait(60)

    run_in_background(unstoppable, pool=named_pool("unstoppable-test", 1))
    try:
        assert unstoppable_running.wait(60)
        stops, held = _held_until_cancelled(lambda session, _cancel: session)
        run_in_background(stops)
        qtbot.waitUntil(lambda: bool(held), timeout=10000)
        assert not abandon_all(wait_ms=3000)  # the unstoppable one is still running
        assert held[0]() is None
    finally:
        let_it_end.set()
    assert abandon_all()
