"""A background job is done once its result or failure reaches the GUI thread; one the lock
abandons lets go at once of what its work held."""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable

from dossier.jobs import CancelToken
from ui.worker import Job, abandon_all, run_in_background


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


def _abandoned_at_lock(qtbot, outcome: Callable[[_Held, CancelToken], object]) -> bool:
    """Whether what `outcome` was given is still held once `abandon_all` has returned, the
    job having stopped at the lock's cancel."""
    held: list[weakref.ref[_Held]] = []

    def work(_progress: object, cancel: CancelToken) -> object:
        session = _Held()
        held.append(weakref.ref(session))
        while not cancel.cancelled:
            time.sleep(0.01)
        return outcome(session, cancel)

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
