"""Locking never waits for the index workers, and what they had not handed back is redone.

Found by attack: with the workers stopped (SIGSTOP; a worker swapped out or stuck on a hostile
text would do the same), closing the index, so locking the vault, waited for them forever,
and so did the app's exit. And a document replaced while its new pages were with the workers
kept its old pages in the index after a crash: nothing told the next open to redo it.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from dossier.search import SearchIndex
from dossier.search import analysed as analysed_module
from dossier.search import facade as facade_module
from tests import killable
from tests.alongside import within
from tests.core.search.test_search_workers import KEY, _items
from tests.processes import still_running


@pytest.fixture
def stopped_workers() -> Iterator[list[int]]:
    analysed_module.shutdown()
    items = _items(40)
    list(analysed_module.in_workers([items[:20], items[20:]], None, [0]))
    pids = [p.pid for p in analysed_module._get_pool()._processes.values()]
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield pids
    finally:
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        analysed_module.shutdown()


def test_closing_the_index_does_not_wait_for_stuck_workers(
    tmp_path: Path, stopped_workers: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # That close gives up on workers that never answer, not how long it first gives them: the
    # 3 s a lock waits were 3 s of this test's wall time, for workers that cannot answer.
    monkeypatch.setattr(facade_module, "CLOSE_WAIT", 0.1)
    index = SearchIndex.open(tmp_path / "ix", KEY, "case-a")
    index.replace_documents_soon([], _items(60))
    within(120, index.close)
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        assert index.pending_since is not None  # the next open redoes those documents


def test_ending_the_workers_does_not_wait_for_a_stuck_one(stopped_workers: list[int]) -> None:
    within(120, analysed_module.shutdown)
    assert still_running(stopped_workers) == []


CRASH = """
import os, sys
from pathlib import Path
from dossier.search import SearchIndex
from tests.searchitems import KEY, items
index = SearchIndex.open(Path(sys.argv[1]), KEY, "case-a")
index.replace_documents_soon(["d0"], items(60))  # d0 replaced, with the workers
os._exit(0)  # the app killed before anything waited for them
"""


def test_a_replacement_with_the_workers_at_a_crash_is_redone_by_the_next_open(
    tmp_path: Path,
) -> None:
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        index.add(_items(3))
    code, _out, err = killable.run(CRASH, str(tmp_path / "ix"), timeout=120)
    assert code == 0, err
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        assert index.pending_since is not None
