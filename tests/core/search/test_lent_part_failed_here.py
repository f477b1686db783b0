"""A part of a lent batch that the waiting thread took to do itself, and could not (a build
that raised: memory refused, a bug), fails every later wait for it as it failed: no worker
will ever have it, and the wait (an index closing, a search after an import) looped forever."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterator
from concurrent.futures import wait

import pytest

from dossier.search import analysed, built
from dossier.search.analysed import Lent
from tests.alongside import within


def slow_in_workers_fails_here(part: int) -> int:
    """Takes a while in a worker; raises in the app (the waiter's own attempt)."""
    if multiprocessing.parent_process() is None:
        raise ValueError(f"part {part} could not be done here")
    time.sleep(0.5)
    return part


@pytest.fixture
def workers() -> Iterator[None]:
    wait(built.start_workers(), timeout=120)
    yield
    analysed.shutdown()


def test_a_part_the_waiter_could_not_do_fails_each_wait_for_it(workers: None) -> None:
    parts = list(range(analysed.worker_count() + 1))
    batch = Lent(parts, slow_in_workers_fails_here)
    # Waiting for the first part, the app takes the last one, which no worker has (each
    # is busy with one of the others).
    with pytest.raises(ValueError, match=f"part {parts[-1]} "):
        within(60, lambda: list(batch.results()))
    with pytest.raises(ValueError, match=f"part {parts[-1]} "):
        within(60, lambda: list(batch.results()))
