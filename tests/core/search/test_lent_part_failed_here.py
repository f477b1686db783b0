"""A part of a lent batch that the waiting thread took to do itself, and could not (a build
that raised: memory refused, a bug), fails every later wait for it as it failed: no worker
will ever have it, and the wait (an index closing, a search after an import) looped forever."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterator
from concurrent.futures import wait
from pathlib import Path

import pytest

from dossier.search import analysed, built
from dossier.search.analysed import Lent
from tests.alongside import within


def held_in_workers_fails_here(part: tuple[int, str]) -> int:
    """In a worker, waits until the file `part[1]` exists (the test's go); raises in the app
    (the waiter's own attempt)."""
    number, go = part
    if multiprocessing.parent_process() is None:
        raise ValueError(f"part {number} could not be done here")
    deadline = time.monotonic() + 120
    while not Path(go).exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    return number


@pytest.fixture
def workers() -> Iterator[None]:
    wait(built.start_workers(), timeout=120)
    yield
    analysed.shutdown()


def test_a_part_the_waiter_could_not_do_fails_each_wait_for_it(
    workers: None, tmp_path: Path
) -> None:
    go = tmp_path / "go"
    parts = [(number, str(go)) for number in range(analysed.worker_count() + 1)]
    batch = Lent(parts, held_in_workers_fails_here)
    # Waiting for the first part, the app takes the last one, which no worker has: each
    # holds one of the others until the go, however slow this thread is to get there (a
    # worker done first was handed the last part, and the app had nothing to take).
    with pytest.raises(ValueError, match=f"part {parts[-1][0]} "):
        within(60, lambda: list(batch.results()))
    go.touch()
    with pytest.raises(ValueError, match=f"part {parts[-1][0]} "):
        within(60, lambda: list(batch.results()))
