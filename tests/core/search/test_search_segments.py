"""A large batch's segments are built whole by the worker processes and written sealed by the
app, with the app's codec: searches find what the in-process writer would have found, with the
same scores; a kill
while such a batch is committed leaves the index as it was; too many segments are merged in a
worker, and a document deleted meanwhile stays deleted."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import whoosh.index as toc

from dossier.search import SearchIndex
from dossier.search import analysed as analysed_module
from dossier.search import built as built_module
from dossier.search import merging as merging_module
from dossier.search.codec import InliningCodec
from tests import killable
from tests.core.search.test_search_workers import _items

KEY = bytes(range(32))
QUERIES = [
    "préfecture",
    "Léonard témoin",
    '"de Villepin"',
    "mot1*",
    "enquête OR e-mail",
    "mot17x",
    "menu",
]


@pytest.fixture
def workers() -> Iterator[None]:
    yield
    analysed_module.shutdown()


def _answers(index: SearchIndex) -> dict[str, list[tuple[str, float]]]:
    return {
        q: sorted((h.item_id, round(h.score, 9)) for h in index.search(q, limit=500))
        for q in QUERIES
    }


def _found(index: SearchIndex) -> dict[str, list[str]]:
    return {q: [item for item, _score in found] for q, found in _answers(index).items()}


def _segments(index: SearchIndex) -> list[object]:
    # Under the writer's lock, as the index reads them: a merge committed in the background
    # meanwhile deletes the table of contents being read (full run: "_MAIN_2.toc is missing").
    with index._write_lock:
        return list(index._ix._segments())


def test_segments_built_by_workers_answer_as_the_app_writing_alone(
    tmp_path: Path, workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = _items(150)
    monkeypatch.setattr(analysed_module, "PARALLEL_MIN_BYTES", 10**12)
    with SearchIndex.open(tmp_path / "alone", KEY, "case-a") as index:
        index.add(items[:40])
        index.add(items[40:])
        alone = _answers(index)
        # Written by the app: a segment per commit (the workers would have cut it in parts).
        assert len(_segments(index)) <= 2
    monkeypatch.setattr(analysed_module, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(built_module, "PART_BYTES", 64 * 1024)
    with SearchIndex.open(tmp_path / "built", KEY, "case-a") as index:
        index.add(items[:40])
        index.replace_documents_soon([], items[40:])
        built = _answers(index)
        assert len(_segments(index)) > 4  # several segments, each built by a worker
        assert all(isinstance(s.codec(), InliningCodec) for s in _segments(index))  # type: ignore[attr-defined]
    assert all(alone[q] for q in QUERIES), "every query finds something"
    assert built == alone


KILLED_COMMIT = """
import os, sys
from pathlib import Path
from dossier.search import SearchIndex, analysed, storage
from tests.searchitems import KEY, items
analysed.PARALLEL_MIN_BYTES = 0

def killed(self, old, new, safe=False):
    os._exit(0)  # killed as the new table of contents is put in place

index = SearchIndex.open(Path(sys.argv[1]), KEY, "case-a")
storage.EncryptedStorage.rename_file = killed
index.add(items(120)[30:])
index.flush()
"""


def test_a_kill_while_built_segments_are_committed_leaves_the_index_as_it_was(
    tmp_path: Path, workers: None
) -> None:
    folder = tmp_path / "ix"
    items = _items(120)
    with SearchIndex.open(folder, KEY, "case-a") as index:
        index.add(items[:30])
        before = _answers(index)
    code, _out, err = killable.run(KILLED_COMMIT, str(folder), timeout=120)
    assert code == 0, err
    with SearchIndex.open(folder, KEY, "case-a") as index:
        assert not index.needs_rebuild
        assert index.pending_since is not None  # the search service redoes it from the catalog
        assert index.count() == 30
        assert _answers(index) == before
        index.verify()
        index.add(items[30:])
        assert index.count() == 120
    names = {path.name for path in folder.iterdir()}
    with SearchIndex.open(folder, KEY, "case-a") as index:
        live = {name for s in _segments(index) for name in s.list_files(index._storage)}  # type: ignore[attr-defined]
    orphans = {n for n in names if n.startswith("MAIN_") and n.endswith(".seg")} - live
    assert orphans == set(), "the killed commit's segment files were deleted by the next one"


def test_too_many_segments_are_merged_by_a_worker_deletions_kept(
    tmp_path: Path, workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(analysed_module, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(built_module, "PART_BYTES", 32 * 1024)
    monkeypatch.setattr(merging_module, "SMALL_BYTES", 0)
    monkeypatch.setattr(merging_module, "MAX_SEGMENTS", 4)
    # Swapped in only when the test says so (the app does it as soon as the worker is done).
    monkeypatch.setattr(SearchIndex, "_merge_done", lambda self: None)
    items = _items(150)
    gone = {"d3", "d15", "d27"}  # pages 9-11, 45-47, 81-83: in different segments
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        index.add(items[:90])
        index.flush()
        assert len(_segments(index)) > 4
        planned = index._merger._future
        assert planned is not None, "more than 4 segments: a merge is under way"
        index.remove(sorted(gone))  # deleted while the worker merges: not revived by it
        planned.result(timeout=60)
        deadline = time.monotonic() + 60
        while len(_segments(index)) > 4 and time.monotonic() < deadline:
            future = index._merger._future
            if future is not None:
                future.result(timeout=60)
            index._apply_merge()
            index.flush()
        assert len(_segments(index)) <= 4
        assert all(isinstance(s.codec(), InliningCodec) for s in _segments(index))  # type: ignore[attr-defined]
        assert index.count() == 81
        assert index.search("mot9x") == []  # d3's first page
        index.add(items[90:])
        assert index.count() == 141
    monkeypatch.setattr(analysed_module, "PARALLEL_MIN_BYTES", 10**12)
    with SearchIndex.open(tmp_path / "alone", KEY, "case-a") as alone:
        alone.add([item for item in items if item.doc_id not in gone])
        expected = _answers(alone)
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        # The same items found (scores differ: Whoosh counts a deleted document in its
        # statistics until a merge drops it).
        assert _found(index) == {q: [i for i, _score in found] for q, found in expected.items()}


def test_an_index_opened_with_too_many_segments_is_merged_in_bounded_rounds(
    tmp_path: Path, workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import closed before its merges were done (`dossier import` of 50,000 pages left 136
    segments, and every later unlock searched them all: 0.4 s of CPU for the first result) is
    merged from its first search on, in a session that never writes; each merge takes at most
    `MERGE_BYTES` of segments into memory, so that an index of hundreds of MB is never read
    whole into the app to be merged."""
    monkeypatch.setattr(analysed_module, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(built_module, "PART_BYTES", 32 * 1024)
    monkeypatch.setattr(merging_module, "SMALL_BYTES", 0)
    monkeypatch.setattr(merging_module, "MAX_SEGMENTS", 4)
    items = _items(90)
    planned = merging_module.Merger.plan
    monkeypatch.setattr(merging_module.Merger, "plan", lambda *_args: None)  # closed at once
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        index.add(items)
        index.flush()
        before = len(_segments(index))
        sizes = sorted(merging_module._size(index._storage, s) for s in _segments(index))
        expected = _answers(index)
    assert before > 4
    bound = sum(sizes) // 3 + sizes[-1]  # about a third of the index at a time
    monkeypatch.setattr(merging_module, "MERGE_BYTES", bound)
    monkeypatch.setattr(merging_module.Merger, "plan", planned)
    taken: list[int] = []

    def spy(self: merging_module.Merger, segments: list[object], on_done: object) -> None:
        planned(self, segments, on_done)
        if self._inputs:
            chosen = [s for s in segments if s.segid in self._inputs]  # type: ignore[attr-defined]
            taken.append(sum(merging_module._size(self._storage, s) for s in chosen))

    monkeypatch.setattr(merging_module.Merger, "plan", spy)
    found = {q: [i for i, _score in answers] for q, answers in expected.items()}
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        assert _found(index) == found
        deadline = time.monotonic() + 120
        while len(_segments(index)) > 4 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(_segments(index)) <= 4, "merged in the background from the first search"
        # The same items (scores move a little: merged lengths are encoded anew).
        assert _found(index) == found
    assert len(taken) >= 2 and max(taken) <= bound, taken
    # Never more than the bound, even for the last two: they stay apart instead.
    monkeypatch.setattr(merging_module, "MERGE_BYTES", sizes[0] + sizes[1] - 1)
    with SearchIndex.open(tmp_path / "small", KEY, "case-a") as index:
        index.add(items)
        index.flush()
        merger = merging_module.Merger(index._storage)
        merger.plan(_segments(index), lambda: None)
        assert merger._future is None and not merger._inputs


def test_a_commit_plans_its_merges_from_the_segments_it_wrote(
    tmp_path: Path, workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table of contents is read by the writer as it opens, not again by its commit (nor
    read back for the merges planned after it), and the merge planned is one of the segments
    on disk."""
    monkeypatch.setattr(analysed_module, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(built_module, "PART_BYTES", 32 * 1024)
    monkeypatch.setattr(merging_module, "SMALL_BYTES", 0)
    monkeypatch.setattr(merging_module, "MAX_SEGMENTS", 4)
    monkeypatch.setattr(SearchIndex, "_merge_done", lambda self: None)
    read = toc.FileIndex._read_toc
    reads: list[int] = []

    def counted(ix: toc.FileIndex) -> object:
        reads.append(1)
        return read(ix)

    monkeypatch.setattr(toc.FileIndex, "_read_toc", counted)
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        index.add(_items(90))
        index._drain()
        reads.clear()
        index._commit_pending()
        assert reads == []
        planned = index._merger._inputs
        on_disk = _segments(index)
        assert len(on_disk) > 4
        assert planned, "more than 4 segments: a merge is under way"
        assert set(planned) <= {segment.segid for segment in on_disk}  # type: ignore[attr-defined]
