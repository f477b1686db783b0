"""A failed background job lets go of what its work referred to before the GUI thread reads
its failure: a failure still queued at lock kept the workspace alive (found under load by
tests/ui/test_lock.py's "nothing of the session outlives the lock")."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable
from functools import partial

import pytest

from dossier.errors import Cancelled
from dossier.services.bugreport import bug_report
from ui.worker import named_pool, run_in_background


class Held:
    """Stands for the workspace a job's arguments lead to."""


def work(session: Held, exc: BaseException, _progress: object, _cancel: object) -> None:
    assert session is not None
    raise exc


def _work_raising(exc: BaseException) -> tuple[Callable[..., None], weakref.ref[Held]]:
    # Bound like a view's render job: partial(self._render_job, renderer, ...).
    held = Held()
    return partial(work, held, exc), weakref.ref(held)


@pytest.mark.parametrize("exc", [Cancelled("page no longer visible"), ValueError("a bug")])
def test_a_failure_waiting_in_the_queue_holds_nothing_of_the_work(qtbot, exc) -> None:
    job, held = _work_raising(exc)
    failures: list[BaseException] = []
    pool = named_pool("release-test", 1)
    run_in_background(job, on_error=failures.append, pool=pool)
    del job
    # The worker has run and queued its failure; the GUI thread has not read it yet.
    assert pool.waitForDone(30000)
    gc.collect()
    assert held() is None
    qtbot.waitUntil(lambda: bool(failures), timeout=30000)
    # A bug's report still names where it happened.
    assert "in work" in bug_report(failures[0])
