"""Which segments a commit keeps, and small segments merged in a worker process.

Each large batch adds whole segments built by the workers (`built.py`), so an import leaves
many. Whoosh's own policy (`MERGE_SMALL`) would merge them at a commit, in the app's process:
reading them back and writing them again, the very cost the workers took away. So a commit
merges in process only segments of a few documents (what single edits leave, as Whoosh
would), and when the index holds more than `MAX_SEGMENTS`, the smallest are sent to a worker,
decrypted in memory, to be merged into one; the result is swapped in at a later commit, only
if its segments are all still there with the same deleted documents (otherwise it is dropped,
and planned again).
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

from whoosh.writing import MERGE_SMALL

from dossier.search.analysed import Background
from dossier.search.built import BuiltSegment, merge_segments
from dossier.search.storage import EncryptedStorage

MAX_SEGMENTS = 8
"""Segments above which the smallest are merged in the background."""
SMALL_BYTES = 64 * 1024
"""Segments smaller than this (their files, sealed) are left to Whoosh's own policy, merged in
process: a few documents, cheap to merge."""
MERGE_BYTES = 32 * 1024 * 1024
"""Most segment bytes one merge takes (it reads them, decrypted, into the app's memory to hand
them to a worker): an index of hundreds of MB (136 segments after 50,000 pages) is merged in
rounds of the smallest, each result swapped in at a commit that plans the next. Segments that
no two of fit under it stay as they are, a few more than `MAX_SEGMENTS`: merging two segments of
48 MB took the quote bench's process from 434 to 540 MB."""


def _deleted(segment: Any) -> frozenset[int]:
    return frozenset(segment.deleted_docs())


def _size(storage: EncryptedStorage, segment: Any) -> int:
    return sum(storage.file_length(name) for name in segment.list_files(storage))


class Merger:
    """At most one merge of an index under way. Not thread-safe: the index serialises calls."""

    def __init__(self, storage: EncryptedStorage) -> None:
        self._storage = storage
        self._inputs: dict[str, frozenset[int]] = {}
        self._job: Background[list[BuiltSegment], BuiltSegment] | None = None
        self._future: Future[BuiltSegment] | None = None

    @property
    def ready(self) -> bool:
        future = self._future
        return future is not None and future.done() and not future.cancelled()

    def wanted(self, segments: list[Any]) -> bool:
        """Whether `plan` would start a merge of these segments."""
        return self._job is None and len(segments) > MAX_SEGMENTS

    def plan(self, segments: list[Any], on_done: Any) -> None:
        """After a commit: start merging the smallest segments if there are too many."""
        if not self.wanted(segments):
            return
        by_size = sorted((_size(self._storage, s), n, s) for n, s in enumerate(segments))
        chosen: list[Any] = []
        taken = 0
        for size, _n, segment in by_size[: len(segments) - MAX_SEGMENTS // 2 + 1]:
            if taken + size > MERGE_BYTES:
                break
            chosen.append(segment)
            taken += size
        if len(chosen) < 2:
            return
        inputs = []
        for segment in chosen:
            files = {}
            for name in segment.list_files(self._storage):
                with self._storage.open_file(name) as source:
                    files[name] = source.read()
            inputs.append(BuiltSegment(segment, files, frozenset(), 0))
        self._inputs = {s.segid: _deleted(s) for s in chosen}
        self._job = Background([inputs], merge_segments)
        self._future = self._job.future(0)
        if self._future is None:  # no pool: not worth merging in process now
            self.drop()
        else:
            # Only while it is still this merger's: one dropped at close or replaced called
            # back after its index was closed, and started a thread that outlived it.
            self._future.add_done_callback(lambda f: on_done() if f is self._future else None)

    def policy(self, writer: Any, segments: list[Any]) -> list[Any]:
        """The commit's merge policy: a finished merge swapped in, tiny segments merged as
        Whoosh would; the rest kept as they are."""
        segments = self._swap(segments)
        small = [s for s in segments if _size(self._storage, s) < SMALL_BYTES]
        kept = [s for s in segments if s not in small]
        return kept + list(MERGE_SMALL(writer, small))

    def _swap(self, segments: list[Any]) -> list[Any]:
        if not self.ready:
            return segments
        assert self._future is not None
        inputs, future = self._inputs, self._future
        self.drop()
        current = {s.segid: _deleted(s) for s in segments}
        if any(current.get(segid) != deleted for segid, deleted in inputs.items()):
            return segments  # merged away or changed meanwhile: planned again after commit
        try:
            merged = future.result()
        except Exception:  # a worker lost: the segments stay as they are
            return segments
        for name, data in sorted(merged.files.items()):
            with self._storage.create_file(name) as out:
                out.write(data)
        return [s for s in segments if s.segid not in inputs] + [merged.segment]

    def drop(self) -> None:
        if self._job is not None:
            self._job.cancel()
        self._job = None
        self._future = None
        self._inputs = {}
