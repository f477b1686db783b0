"""A worker killed while it writes its answer (out of memory, a user's kill) must not leave the
import waiting forever: the pool's own thread then waits for the rest of the message, and
every future with it (seen once in the whole suite: test_a_worker_killed_mid_batch hung 600 s)."""

from __future__ import annotations

import os
import signal
import struct
import sys
import threading
from collections.abc import Iterator

import pytest

from dossier.search import analysed
from dossier.search.analysed import Background
from tests.alongside import within


def dies_writing_its_answer(_part: int) -> int:
    """In the worker: the length of a long answer and a few of its bytes, then death."""
    frame = sys._getframe()
    while frame is not None and "result_queue" not in frame.f_locals:
        frame = frame.f_back
    assert frame is not None, "called by concurrent.futures' worker loop"
    writer = frame.f_locals["result_queue"]._writer
    os.write(writer.fileno(), struct.pack("!i", 1 << 20) + b"\x80\x04")
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("killed")


def in_process(part: int) -> int:
    return part * 10


@pytest.fixture
def workers() -> Iterator[None]:
    analysed.shutdown()
    yield
    analysed.shutdown()


def test_a_batch_whose_worker_dies_answering_is_finished_in_process(
    workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # That the wait ends, not how long the pool is given to notice the death itself: this
    # pool never does, and the 5 s were this test's wall time.
    monkeypatch.setattr(analysed, "_DEATH_NOTICED", 0.1)
    batch = Background([1], dies_writing_its_answer)
    # What a broken pool could not do is done in process (here by the same function, so a
    # stand-in that can run in the app: the test is about the wait ending).
    batch._work = in_process  # type: ignore[assignment]
    assert within(120, lambda: list(batch.results())) == [10]
    # The pool was stopped and its thread ended (or the app could not exit: Python joins it);
    # the next batch starts a new one.
    assert analysed._pool is None
    assert not [t for t in threading.enumerate() if type(t).__name__ == "_ExecutorManagerThread"]
    assert within(120, lambda: list(Background([2], in_process).results())) == [20]
