"""Work lent to the index's worker processes (a mailbox's messages read in parts): the parts
come back in order, the app takes the parts no worker has started, a worker killed or a cancel
costs nothing but the parts themselves."""

from __future__ import annotations

import multiprocessing
import os
import signal
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import wait
from functools import partial
from pathlib import Path

import pytest

from dossier.errors import Cancelled
from dossier.jobs import CancelToken
from dossier.search import analysed, built


@pytest.fixture
def workers() -> Iterator[None]:
    wait(built.start_workers())
    _gate(os.getpid()).unlink(missing_ok=True)
    yield
    analysed.shutdown()
    _gate(os.getpid()).unlink(missing_ok=True)


def _tagged(part: int) -> tuple[int, int]:
    """Run in a worker or in the app: who did the part, and its result."""
    time.sleep(0.02)
    return os.getpid(), part * 2


def _gate(app: int) -> Path:
    return Path(tempfile.gettempdir()) / f"dossier-shared-work-{app}"


def _after_the_app(part: int) -> tuple[int, int]:
    """`_tagged`, a worker starting its part only once the app has started one of its own:
    the app's first part is then always the last one (a test thread kept off its core while
    the workers ran could otherwise find every part done by them)."""
    parent = multiprocessing.parent_process()
    gate = _gate(os.getpid() if parent is None else parent.pid)
    if parent is None:
        gate.touch()
    deadline = time.monotonic() + 120
    while not gate.exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    return _tagged(part)


def test_parts_come_back_in_order_from_the_workers_and_the_app(workers: None) -> None:
    results = list(analysed.shared(_after_the_app, range(40)))
    assert [value for _pid, value in results] == [part * 2 for part in range(40)]
    pids = {pid for pid, _value in results}
    # The app took the parts no worker had started, from the back, while the workers ran.
    assert results[-1][0] == os.getpid()
    assert pids - {os.getpid()}, "no part went to a worker"


def test_a_worker_killed_leaves_its_parts_to_the_app(workers: None) -> None:
    results = analysed.shared(_tagged, range(40))
    first = [next(results)]
    for process in list(analysed._get_pool()._processes.values()):
        os.kill(process.pid, signal.SIGKILL)
    rest = list(results)
    assert [value for _pid, value in first + rest] == [part * 2 for part in range(40)]


def _counted(folder: Path, part: int) -> tuple[int, int]:
    """`_tagged`, leaving a file in `folder` for each part done, by a worker or the app."""
    result = _tagged(part)
    (folder / str(part)).touch()
    return result


def test_a_cancel_stops_the_parts(workers: None, tmp_path: Path) -> None:
    cancel = CancelToken()
    results = analysed.shared(partial(_counted, tmp_path), range(200), cancel)
    next(results)
    before = len(list(tmp_path.iterdir()))
    cancel.cancel()
    with pytest.raises(Cancelled):
        list(results)
    analysed.shutdown()  # no worker left to finish a part after the count
    # Counted, not timed: the 199 parts left take 1.3 s at three at a time, under the 2 s the
    # cancel was given. Only the parts handed to the workers may still have been done.
    done_after = len(list(tmp_path.iterdir())) - before
    assert done_after <= analysed.worker_count() + 2, done_after


def test_a_batch_lent_to_the_workers_is_finished_by_whoever_waits_for_it(workers: None) -> None:
    lent = analysed.Lent(list(range(12)), _after_the_app)
    results = list(lent.results())
    assert [value for _pid, value in results] == [part * 2 for part in range(12)]
    # Two parts were handed at once (one per worker), the next as each worker was free; the
    # wait took the last ones, which no worker had.
    assert results[-1][0] == os.getpid()
    assert results[0][0] != os.getpid()


def test_a_batch_lent_to_workers_that_die_is_finished_by_whoever_waits(workers: None) -> None:
    lent = analysed.Lent(list(range(12)), _tagged)
    for process in list(analysed._get_pool()._processes.values()):
        os.kill(process.pid, signal.SIGKILL)
    assert [value for _pid, value in lent.results()] == [part * 2 for part in range(12)]


def test_a_batch_lent_in_the_background_is_ready_once_the_workers_have_it_all(
    workers: None,
) -> None:
    lent = analysed.Lent(list(range(6)), _tagged)
    assert lent.ready(10.0)
    assert {pid for pid, _value in lent.results()} - {os.getpid()}


def test_a_batch_lent_behind_another_is_handed_as_workers_free_and_taken_by_the_wait(
    workers: None,
) -> None:
    """Batches written while an import goes on queue up (one per group of files): a later
    one's parts wait for a free worker instead of queueing in the pool behind the first's, so
    that whoever waits for the first, whose parts the workers all hold, builds the later
    one's meanwhile (it waited idle on workers that yield the core to the app)."""
    first = analysed.Lent(list(range(analysed.worker_count())), _after_the_app)
    second = analysed.Lent(list(range(6)), _after_the_app)
    assert all(second.future(number) is None for number in range(6))
    firsts = list(first.results())
    assert [value for _pid, value in firsts] == [part * 2 for part in range(len(firsts))]
    assert os.getpid() not in {pid for pid, _value in firsts}
    seconds = list(second.results())
    assert [value for _pid, value in seconds] == [part * 2 for part in range(6)]
    assert seconds[-1][0] == os.getpid()
