"""The harness of concurrency tests fails them when what ran beside them failed or hung."""

from __future__ import annotations

import threading
import time

import pytest

from tests.alongside import Alongside, alongside, at_once, within


def _raising(message: str) -> None:
    raise ValueError(message)


def test_what_a_work_raised_is_raised_in_the_test() -> None:
    with (
        pytest.raises(ValueError, match="the work's own"),
        alongside(lambda: _raising("the work's own")),
    ):
        pass


def test_what_a_repeated_work_raised_ends_it_and_is_raised_in_the_test() -> None:
    calls: list[int] = []

    def failing_on_the_third() -> None:
        calls.append(1)
        if len(calls) == 3:
            raise ValueError("third call")

    with pytest.raises(ValueError, match="third call"):
        with alongside(failing_on_the_third, repeat=True) as run:
            while run.running:
                time.sleep(0.001)
    assert len(calls) == 3


def test_what_several_works_raised_is_raised_together() -> None:
    with pytest.raises(ExceptionGroup) as raised:
        with alongside(lambda: _raising("one"), lambda: None, lambda: _raising("two")):
            pass
    assert sorted(str(e) for e in raised.value.exceptions) == ["one", "two"]


def test_the_tests_own_failure_goes_first_with_what_the_work_raised() -> None:
    with pytest.raises(AssertionError, match="the test's own") as raised:
        with alongside(lambda: _raising("beside")):
            raise AssertionError("the test's own")
    assert raised.value.__notes__ == ["beside it, a work raised ValueError('beside')"]


def test_a_hung_work_fails_the_test_when_the_block_ends() -> None:
    release = threading.Event()

    def hanging() -> None:
        release.wait()

    try:
        began = time.monotonic()
        with pytest.raises(pytest.fail.Exception, match=r"ran past 0\.2 s: .*hanging"):
            with alongside(hanging, within=0.2):
                pass
        assert time.monotonic() - began < 60  # the deadline, not the work, ended the wait
    finally:
        release.set()


def test_a_hung_work_fails_a_test_waiting_for_it() -> None:
    release = threading.Event()
    try:
        with pytest.raises(pytest.fail.Exception, match=r"ran past 0\.2 s"):
            with alongside(release.wait, within=0.2) as run:
                while run.running:
                    time.sleep(0.01)
        with pytest.raises(pytest.fail.Exception, match="did not return 5 times"):
            with alongside(release.wait, within=0.2) as run:
                run.wait_rounds(5)
    finally:
        release.set()


def test_a_work_that_finished_early_is_seen_as_done() -> None:
    with alongside(lambda: None) as run:
        assert run.wait(60)
        assert run.done
        assert not run.running
        assert run.rounds == 1


def test_a_repeated_work_runs_until_the_block_ends_and_not_after() -> None:
    calls: list[int] = []
    with alongside(lambda: calls.append(1), repeat=True) as run:
        run.wait_rounds(20)
        assert run.running
    after = len(calls)
    assert after >= 20
    time.sleep(0.05)
    assert len(calls) == after
    assert not run.running


def test_works_started_together_all_run_before_any_begins() -> None:
    """With `together`, no work begins before every thread is ready: each finds the others
    alive (none can have ended: each waits for the others' check before it returns)."""
    alone: list[str] = []
    for _ in range(20):
        checked = threading.Barrier(3, timeout=60)
        runs: list[Alongside] = []

        def checking(runs: list[Alongside] = runs, checked: threading.Barrier = checked) -> None:
            if not all(thread.is_alive() for thread in runs[0].threads):
                alone.append(threading.current_thread().name)
            checked.wait()

        runs.append(alongside(checking, checking, checking, together=True))
        with runs[0]:
            pass
    assert alone == []


def test_works_run_at_once_are_all_waited_for_and_what_they_raised_raised() -> None:
    ended: list[int] = []
    at_once(*(lambda n=n: ended.append(n) for n in range(3)))
    assert sorted(ended) == [0, 1, 2]
    with pytest.raises(ValueError, match="at once"):
        at_once(lambda: None, lambda: _raising("at once"))


def test_a_call_within_a_deadline_returns_its_value_or_fails_by_name() -> None:
    assert within(60, lambda: 42) == 42
    release = threading.Event()

    def never_returning() -> None:
        release.wait()

    try:
        with pytest.raises(pytest.fail.Exception, match=r"ran past 0\.2 s: .*never_returning"):
            within(0.2, never_returning)
    finally:
        release.set()
