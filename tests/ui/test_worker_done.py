"""A background job is done once its result or failure reaches the GUI thread."""

from __future__ import annotations

from ui.worker import Job, run_in_background


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
