"""The time a job of many files has left: its arithmetic, on a clock the test moves; and the
garbage collector's thresholds while a job reads a file."""

from __future__ import annotations

import gc
import threading

import pytest

from dossier import i18n
from dossier.jobs import (
    YOUNG_COLLECTION_EVERY,
    TimeLeft,
    fewer_collections,
    throttled,
    time_left_text,
)
from tests.alongside import alongside

MB = 1024 * 1024


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _steady(eta: TimeLeft, clock: Clock, files: int, seconds: float, nbytes: int = 0) -> None:
    """`files` finished evenly over `seconds`, each of `nbytes`."""
    for _ in range(files):
        clock.now += seconds / files
        eta.done(1, nbytes)


def _timed(files: int, done: int, seconds: float) -> tuple[TimeLeft, Clock]:
    """`files` queued, `done` of them finished evenly over `seconds`."""
    clock = Clock()
    eta = TimeLeft(clock)
    eta.add(files=files)
    _steady(eta, clock, done, seconds)
    return eta, clock


def test_no_estimate_before_it_means_something() -> None:
    clock = Clock()
    eta = TimeLeft(clock)
    assert eta.seconds() is None  # nothing queued
    eta.add(files=100)
    clock.now += 10
    assert eta.seconds() is None  # ten seconds and no file done: a first file's OCR, say
    eta = TimeLeft(clock)
    eta.add(files=100)
    _steady(eta, clock, 20, TimeLeft.SETTLING - 1)
    assert eta.seconds() is None  # fast, but too early to say
    _steady(eta, clock, 5, 2.0)
    assert eta.seconds() is not None


def test_a_steady_pace_gives_the_files_left_at_that_pace() -> None:
    eta, clock = _timed(1000, 100, 10.0)  # 10 files a second
    assert eta.seconds() == pytest.approx(90.0, rel=0.02)
    _steady(eta, clock, 400, 40.0)
    assert eta.seconds() == pytest.approx(50.0, rel=0.02)
    _steady(eta, clock, 500, 50.0)
    assert eta.seconds() == 0.0


def test_bytes_count_besides_files() -> None:
    """Five files of 1 MB took five seconds; five of 4 MB are left: about four times as long
    each, not five seconds."""
    clock = Clock()
    eta = TimeLeft(clock)
    eta.add(files=5, nbytes=5 * MB)
    eta.add(files=5, nbytes=20 * MB)
    _steady(eta, clock, 5, 6.0, nbytes=MB)
    per_second = (MB + TimeLeft.FILE_BYTES) / 1.2
    expected = 5 * (4 * MB + TimeLeft.FILE_BYTES) / per_second
    assert eta.seconds() == pytest.approx(expected, rel=0.02)
    assert expected > 3.5 * 6.0


def test_sizes_learnt_later_and_cancelled_files_move_the_estimate() -> None:
    eta, _clock = _timed(200, 100, 10.0)
    before = eta.seconds()
    assert before == pytest.approx(10.0, rel=0.02)
    eta.drop(files=50)  # half of what is left cancelled
    assert eta.seconds() == pytest.approx(before / 2, rel=0.02)
    eta.add(nbytes=50 * TimeLeft.FILE_BYTES)  # their sizes measured: twice the work
    assert eta.seconds() == pytest.approx(before, rel=0.02)


def test_a_change_of_pace_is_followed_smoothly() -> None:
    eta, clock = _timed(10_000, 600, 60.0)  # 10 a second for a minute
    fast = eta.seconds()
    assert fast is not None
    _steady(eta, clock, 5, 1.0)  # then 5 a second: one second of it moves the estimate a little
    slower = eta.seconds()
    assert slower is not None and fast - 1 < slower < 1.2 * fast
    _steady(eta, clock, 5 * int(TimeLeft.HALF_LIFE), TimeLeft.HALF_LIFE)
    halfway = eta.seconds()
    left = 10_000 - 605 - 5 * int(TimeLeft.HALF_LIFE)
    assert halfway is not None and left / 10 < halfway < left / 5  # between the two paces
    _steady(eta, clock, 5 * 120, 120.0)
    settled = eta.seconds()
    assert settled == pytest.approx((left - 600) / 5, rel=0.05)


def test_while_nothing_finishes_the_estimate_grows() -> None:
    eta, clock = _timed(100, 50, 10.0)
    first = eta.seconds()
    clock.now += 30  # a long file
    later = eta.seconds()
    assert first is not None and later is not None and later > 2 * first


@pytest.mark.parametrize(
    ("seconds", "english", "french"),
    [
        (20, "less than a minute left", "moins d’une minute restante"),
        (61, "about 1 min left", "environ 1\u00a0min restante"),
        (179, "about 3 min left", "environ 3\u00a0min restantes"),
        (14 * 60 + 10, "about 15 min left", "environ 15\u00a0min restantes"),
        (4000, "about 1 h 10 min left", "environ 1\u00a0h\u00a010\u00a0min restantes"),
        (2 * 3600 + 4 * 60, "about 2 h 00 min left", "environ 2\u00a0h\u00a000\u00a0min restantes"),
    ],
)
def test_the_time_left_is_said_roughly(seconds: float, english: str, french: str) -> None:
    """Rounded more the longer it is (it must not flicker); in French a number keeps its unit
    on its line."""
    before = i18n.current_language()
    try:
        i18n.set_language("en")
        assert time_left_text(seconds) == english
        i18n.set_language("fr")
        assert time_left_text(seconds) == french
    finally:
        i18n.set_language(before)


def test_throttled_progress_tells_a_few_times_a_second_and_always_the_end() -> None:
    clock = Clock()
    told: list[tuple[float, str]] = []
    progress = throttled(lambda f, m: told.append((f, m)), 0.05, clock)
    for step in range(100):  # 100 reports in a tenth of a second
        progress(step / 200, f"file {step}")
        clock.now += 0.001
    progress(1.0, "done")
    assert [message for _f, message in told] in (
        ["file 0", "file 50", "done"],
        ["file 0", "file 51", "done"],  # 50 steps of 1 ms may add up to a hair under 50 ms
    )


# -- fewer collections while a job reads a file -----------------------------------------------


def test_a_job_collects_less_often_and_leaves_the_thresholds_as_they_were() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] == max(before[0], YOUNG_COLLECTION_EVERY)
        assert gc.get_threshold()[1:] == before[1:]
    assert gc.get_threshold() == before
    with pytest.raises(ZeroDivisionError), fewer_collections():
        _ = 1 / 0
    assert gc.get_threshold() == before


def test_jobs_on_several_threads_set_the_thresholds_back_when_the_last_one_ends() -> None:
    before = gc.get_threshold()
    entered, release = threading.Event(), threading.Event()

    def other_job() -> None:
        with fewer_collections():
            entered.set()
            release.wait(10)

    with alongside(other_job):
        assert entered.wait(10)
        with fewer_collections():
            pass
        assert gc.get_threshold()[0] == max(before[0], YOUNG_COLLECTION_EVERY)  # the other runs on
        release.set()
    assert gc.get_threshold() == before


def test_automatic_collection_turned_off_by_threshold_stays_off() -> None:
    before = gc.get_threshold()
    gc.set_threshold(0, *before[1:])
    try:
        with fewer_collections():
            assert gc.get_threshold()[0] == 0
        assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)


def test_a_job_sets_back_only_the_young_threshold_others_changed_meanwhile_stay() -> None:
    """The window stops full collections for an import (generation 2's threshold) and gives
    them back when it ends, maybe while a job still reads a file, maybe after."""
    before = gc.get_threshold()
    try:
        with fewer_collections():
            gc.set_threshold(gc.get_threshold()[0], before[1], 1_000_000)  # the import starts
        assert gc.get_threshold() == (before[0], before[1], 1_000_000)
        with fewer_collections():
            gc.set_threshold(gc.get_threshold()[0], before[1], before[2])  # the import ends
        assert gc.get_threshold() == before
    finally:
        gc.set_threshold(*before)
