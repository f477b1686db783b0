"""What a crash or a refused commit leaves in an index folder that no table of contents names
(the segments a killed commit wrote, a merge's result whose commit the disk refused) is deleted
by the next open, not left with its words until a commit that a session only searching never
makes; the index opens with what it held, each item once."""

from __future__ import annotations

import collections
import random
from pathlib import Path

import pytest

from dossier.errors import DossierError
from dossier.search import SearchIndex
from dossier.search import analysed as analysed_module
from dossier.search import built as built_module
from dossier.search import merging as merging_module
from tests import killable
from tests.core.search.test_search_segments import KILLED_COMMIT, _segments, workers
from tests.faults import FullDisk
from tests.searchitems import KEY, items

__all__ = ["workers"]


def _orphans(index: SearchIndex) -> set[str]:
    named = {name for s in _segments(index) for name in s.list_files(index._storage)}  # type: ignore[attr-defined]
    on_disk = {p.name for p in index.folder.iterdir() if p.name.startswith("MAIN_")}
    return on_disk - named


def _items_held(index: SearchIndex) -> collections.Counter[str]:
    with index._read_lock:
        searcher = index._current_searcher()
        return collections.Counter(f["item_id"] for f in searcher.all_stored_fields())


def test_the_segments_a_killed_commit_wrote_are_deleted_by_the_next_open(
    tmp_path: Path, workers: None
) -> None:
    folder = tmp_path / "ix"
    with SearchIndex.open(folder, KEY, "case-a") as index:
        index.add(items(120)[:30])
    code, _out, err = killable.run(KILLED_COMMIT, str(folder), timeout=120)
    assert code == 0, err
    segments = {p.name for p in folder.iterdir() if p.name.endswith(".seg")}
    assert len(segments) > 1, "the killed commit wrote its segments"
    index = SearchIndex.open(folder, KEY, "case-a")
    try:
        assert _orphans(index) == set()
        assert not [p.name for p in folder.iterdir() if ".toc." in p.name]
        assert not index.needs_rebuild
        held = _items_held(index)
        assert len(held) == 30 and set(held.values()) == {1}
    finally:
        index.close()


EVERY_RUN_FSYNCS = (0, 3)
"""The fsyncs `make test` refuses the merge's commit after (its first, one in the middle); the
slow sweep (`make check`, CI) refuses each of the six in turn, ~0.5 CPU-s apiece."""


@pytest.mark.parametrize(
    "fsyncs",
    [n if n in EVERY_RUN_FSYNCS else pytest.param(n, marks=pytest.mark.slow) for n in range(6)],
)
def test_a_merge_whose_commit_the_disk_refused_leaves_nothing_after_the_next_open(
    tmp_path: Path, workers: None, monkeypatch: pytest.MonkeyPatch, fsyncs: int
) -> None:
    monkeypatch.setattr(analysed_module, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(built_module, "PART_BYTES", 32 * 1024)
    monkeypatch.setattr(merging_module, "SMALL_BYTES", 0)
    monkeypatch.setattr(merging_module, "MAX_SEGMENTS", 4)
    monkeypatch.setattr(SearchIndex, "_merge_done", lambda self: None)  # swapped in below
    folder = tmp_path / "ix"
    index = SearchIndex.open(folder, KEY, "case-a")
    try:
        index.add(items(90))
        index.flush()
        merge = index._merger._future
        assert merge is not None, "more than 4 segments: a merge is under way"
        merge.result(timeout=60)
        with FullDisk(random.Random(fsyncs)).armed(None, fsyncs):
            try:
                index._pending.writer()
                index._commit_pending()  # what `_apply_merge` does, its failure kept
            except DossierError as exc:
                assert "\n" not in str(exc)
    finally:
        index.close()
    index = SearchIndex.open(folder, KEY, "case-a")
    try:
        assert _orphans(index) == set()
        assert not index.needs_rebuild
        held = _items_held(index)
        assert len(held) == 90 and set(held.values()) == {1}
    finally:
        index.close()
