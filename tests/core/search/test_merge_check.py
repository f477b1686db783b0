"""The first search's check for a fragmented index reads the index's table of contents under
the writer's lock, as every other reader of the segments does: read beside a commit, the table
listed can be deleted before it is opened, and the search failed with "the search index is
missing" although it had its answer."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from types import MethodType
from typing import Any

import pytest

from dossier.search import SearchIndex
from dossier.search import merging as merging_module
from tests.core.search.test_search_workers import _items

KEY = bytes(range(32))


def test_the_first_search_lists_the_segments_only_under_the_writers_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(merging_module, "MAX_SEGMENTS", 2)
    monkeypatch.setattr(merging_module.Merger, "plan", lambda *_args: None)  # left fragmented
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        for start in range(0, 12, 3):
            index.add(_items(12)[start : start + 3])
            index.flush()
    listed: list[tuple[str, bool]] = []
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        with index._write_lock:
            assert len(index._ix._segments()) > 2  # fragmented: the check wants a merge
        own = index._ix._segments

        def spy() -> Any:
            listed.append((threading.current_thread().name, index._write_lock.locked()))
            return own()

        index._ix._segments = spy
        assert index.search("mot1x", limit=5)
        deadline = time.monotonic() + 30
        while not listed and time.monotonic() < deadline:
            time.sleep(0.01)
    assert listed, "the check for a fragmented index was made"
    unlocked = [name for name, locked in listed if not locked]
    assert not unlocked, f"segments listed outside the writer's lock by {unlocked}"


def test_a_first_search_of_an_index_in_few_segments_starts_no_thread(tmp_path: Path) -> None:
    """The check is made in the search's own thread (the writer's lock free): a thread waiting
    for the lock outlived the test whose index it was, and read a folder since removed."""
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        index.add(_items(3))
        index.flush()
    planned: list[str] = []
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        # This index's own thread, not all threads named so: an earlier test's merge may end
        # meanwhile and start one of its own. A bound method, as the thread is given one (a
        # plain function made the search fail at once, not the thread be seen).
        index._plan_merge = MethodType(  # type: ignore[method-assign]
            lambda _index: planned.append(threading.current_thread().name), index
        )
        before = set(threading.enumerate())
        assert index.search("mot1x", limit=5)
        assert index._merge_checked
        # A thread the search started has run once joined (a fixed 0.2 s was not always enough
        # for it to be given a core on a loaded machine).
        for thread in set(threading.enumerate()) - before:
            if thread.name == "index-merge":
                thread.join(60)
    assert planned == []


def test_the_check_waits_for_no_writer_and_is_made_at_a_later_search(tmp_path: Path) -> None:
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        index.add(_items(3))
        index.flush()
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        with index._write_lock:
            index.merge_if_fragmented()  # returns at once: a writer is busy
            assert not index._merge_checked
        assert index.search("mot1x", limit=5)
        assert index._merge_checked
