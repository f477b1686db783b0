"""While an import runs and the index's workers are up, its small batches are analysed by the
workers too, gathered into parts of `PARALLEL_MIN_BYTES`: the app's own threads (and the
window's, which waits for the GIL they hold) no longer analyse and write them. What is found,
and when, stays as before."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import wait
from pathlib import Path
from typing import Any

import pytest

from dossier.search import IndexItem, SearchIndex
from dossier.search import analysed as analysed_module
from dossier.search import built as built_module
from dossier.search import facade as facade_module
from dossier.search.pending import PENDING_NAME
from tests.core.search.test_search_workers import KEY, _items

BATCH = 5
"""Items a batch (an import's group): about 12 KB of text, below `PARALLEL_MIN_BYTES`."""


@pytest.fixture
def workers() -> Iterator[None]:
    wait(built_module.start_workers(), timeout=120)
    yield
    analysed_module.shutdown()


@pytest.fixture
def analysed_here(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The items this process analyses itself (the workers' own analysis is not seen)."""
    seen: list[str] = []
    real = analysed_module.analyse

    def counted(item: IndexItem) -> Any:
        seen.append(item.item_id)
        return real(item)

    monkeypatch.setattr(analysed_module, "analyse", counted)
    monkeypatch.setattr(built_module, "analyse", counted)
    return seen


def _batches(items: list[IndexItem]) -> Iterator[list[IndexItem]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _found(index: SearchIndex, word: str) -> list[str]:
    return [h.item_id for h in index.search_parsed(index.parse(word), None, 50, wait=False)]


def test_an_import_s_small_batches_are_analysed_by_the_workers(
    tmp_path: Path, workers: None, analysed_here: list[str]
) -> None:
    items = _items(60)
    assert sum(len(i.text) for i in items[:BATCH]) < analysed_module.PARALLEL_MIN_BYTES
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        index.small_to_workers = True  # a window shares the process
        index.importers += 1
        for batch in _batches(items):
            index.replace_documents_soon([], batch)
        index.replace_documents_soon(["d0"], items[:3])  # d0 again, after its first batch
        assert index._queued, "handed to the workers as the batches came"
        # Nothing of the import analysed here while it ran (the window waits for the GIL);
        # the wait for what is left after it takes the parts no worker has started.
        assert analysed_here == []
        index.importers -= 1
        index.flush()
        assert index.count() == 60  # d0 once, not twice
        assert _found(index, "mot45x") == ["d15:0"] and _found(index, "mot1x") == ["d0:1"]
        # A few segments of gathered batches, not one per batch.
        assert len(index._ix._segments()) < len(items) // BATCH


def test_a_small_batch_with_no_import_or_no_workers_is_written_at_once(
    tmp_path: Path, analysed_here: list[str]
) -> None:
    analysed_module.shutdown()
    items = _items(BATCH)
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        index.importers += 1  # an import, but no workers: analysed here, as before
        index.replace_documents_soon([], items)
        assert not index._queued and not index._gathered
        assert len(analysed_here) == BATCH
    assert analysed_module._pool is None  # nothing started them


def test_what_an_ended_import_left_gathered_is_found_by_the_next_search(
    tmp_path: Path, workers: None
) -> None:
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        index.small_to_workers = True
        index.importers += 1
        index.replace_documents_soon([], _items(BATCH))
        assert index._gathered  # less than a part: kept for the next batches
        assert index._storage.file_exists(PENDING_NAME), "a crash now redoes it at next open"
        assert _found(index, "mot1x") == []  # during the import: what is committed
        index.importers -= 1
        assert _found(index, "mot1x") == ["d0:1"]  # ended: waited for, found
        assert not index._gathered and not index._queued
        assert not index._storage.file_exists(PENDING_NAME)


def test_closing_writes_what_was_gathered_and_keeps_none_of_it(
    tmp_path: Path, workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(facade_module, "CLOSE_WAIT", 120.0)  # what is written, not how fast
    index = SearchIndex.open(tmp_path / "ix", KEY, "case-a")
    index.small_to_workers = True
    index.importers += 1
    index.replace_documents_soon([], _items(BATCH))
    index.close()
    assert index._gathered == [] and index._queued == []  # no page's text left in memory
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as again:
        assert again.count() == BATCH and again.pending_since is None


def test_without_a_window_an_import_s_small_batches_stay_in_the_app(
    tmp_path: Path, workers: None, analysed_here: list[str]
) -> None:
    # The `dossier` command: throughput first (the workers yield a core to the app).
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        assert not index.small_to_workers
        index.importers += 1
        index.replace_documents_soon([], _items(BATCH))
        assert not index._gathered and not index._queued
        assert len(analysed_here) == BATCH
