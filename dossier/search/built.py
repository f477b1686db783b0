"""Whole index segments built in worker processes, in memory, for the app to write sealed.

Writing a segment (sorting and encoding its postings) cost the app's process as much as
analysing the text did. So a large batch is cut into parts, and a worker builds each part's
whole segment in a Whoosh storage held in memory (its temporary files too: Whoosh's own
`RamStorage` spills to plain files in the system temp folder). It hands back the segment and
its files as bytes; the app writes them through the index's encrypted storage and adds the
segment to the table of contents at its next commit (`pending.py`). A worker still writes no
file and opens no connection. Small segments are merged the same way, in a worker
(`merge_segments`), their result swapped in at a commit (`merging.py`).
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from whoosh.filedb.filestore import RamStorage
from whoosh.reading import SegmentReader
from whoosh.util.numeric import byte_to_length, length_to_byte

from dossier.search.analysed import analyse, start, write
from dossier.search.codec import index_codec
from dossier.search.model import IndexItem
from dossier.search.schema import INDEX_NAME, build_schema

PART_BYTES = 2 * 1024 * 1024
"""Most text one segment is built from (bounds a worker's memory and the batch's tail)."""
WORKER_LIMIT_MB = 256
"""Memory a worker's posting pool may use before it spills (to memory as well)."""


class MemoryStorage(RamStorage):  # type: ignore[misc]  # whoosh is untyped
    """A Whoosh storage whose temporary storage is memory too: nothing reaches the disk."""

    def temp_storage(self, name: str | None = None) -> MemoryStorage:
        return MemoryStorage()


@dataclass(frozen=True)
class BuiltSegment:
    """A finished segment: Whoosh's segment object (pickled into the table of contents) and the
    bytes of its files, by name."""

    segment: Any
    files: dict[str, bytes]
    doc_ids: frozenset[str]
    size: int
    """Characters of text indexed into it."""

    @property
    def segid(self) -> str:
        return str(self.segment.segid)


def _ready(_nothing: None) -> None:
    """A worker's first task: unpickling it imports this module and all a build needs."""


def start_workers() -> list[Future[None]]:
    """Start the worker processes now if they are not running, without waiting for them: the
    batch about to come finds them ready (starting one costs it a second or more of CPU)."""
    return start(_ready)


def parts(items: list[IndexItem], workers: int) -> list[list[IndexItem]]:
    """The items cut into consecutive parts of about equal text, none over `PART_BYTES`, as
    many as a multiple of the workers (when there are enough items): each worker gets as much."""
    total = sum(len(item.text) for item in items)
    rounds = max(1, -(-total // (PART_BYTES * workers)))
    count = max(1, min(workers * rounds, len(items)))
    target = total / count
    cut: list[list[IndexItem]] = [[]]
    size = 0
    for item in items:
        if cut[-1] and size >= target * len(cut) and len(cut) < count:
            cut.append([])
        cut[-1].append(item)
        size += len(item.text)
    return cut


def _new_writer() -> tuple[MemoryStorage, Any]:
    """A writer of one segment in memory, built or merged in one go: its postings and its
    documents' lengths kept as `_Postings` and `_Lengths` keep them, for the same bytes."""
    storage = MemoryStorage()
    ix = storage.create_index(build_schema(), indexname=INDEX_NAME)
    writer = ix.writer(limitmb=WORKER_LIMIT_MB, procs=1, codec=index_codec())
    writer.pool = _Postings()
    lengths = _Lengths()
    writer.perdocwriter = _NotingLengths(writer.perdocwriter, lengths)
    writer.per_document_reader = lambda: lengths  # read by the commit, once
    return storage, writer


def _finish(
    storage: MemoryStorage, writer: Any, doc_ids: frozenset[str], size: int
) -> BuiltSegment:
    writer.commit(merge=False)
    segment = writer.get_segment()
    prefix = f"{segment.segment_id()}."
    files = {name: data for name, data in storage.files.items() if name.startswith(prefix)}
    return BuiltSegment(segment, files, doc_ids, size)


class _Postings:
    """A segment's postings pool: a list, sorted once as the segment is written. Whoosh's pool
    weighs each posting it is given, to spill them to files past its memory limit (here files
    in memory too), and checks their types: a tenth of building or merging a segment, whose
    size `PART_BYTES` and `merging.MERGE_BYTES` bound anyway."""

    def __init__(self) -> None:
        self.postings: list[tuple[str, bytes, int, float, bytes | None]] = []
        self.add = self.postings.append

    def iter_postings(self) -> list[tuple[str, bytes, int, float, bytes | None]]:
        return sorted(self.postings)  # as Whoosh's pool does when it never spilled

    def cleanup(self) -> None:
        pass


class _Lengths:
    """A segment's documents' lengths, as its postings writer asks for them, field by field, for
    each posting: noted as the documents are added (`_NotingLengths`), not read back from the
    columns just written, as Whoosh's per-document reader does (a fifth of building or merging
    a segment). The same answers: a length as its byte in the column encodes it, None for a
    document without one in a field that has them, 0 in a field that has none."""

    def __init__(self) -> None:
        self.fields: dict[str, dict[int, int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        lengths = self.fields.get(fieldname)
        return default if lengths is None else lengths.get(docnum)

    def close(self) -> None:
        pass


class _NotingLengths:
    """A segment's per-document writer, each document's lengths noted in `_Lengths` as they
    are written (by `write` for a built segment, by Whoosh's `add_reader` for a merge)."""

    def __init__(self, perdoc: Any, lengths: _Lengths) -> None:
        self._perdoc = perdoc
        self._fields = lengths.fields
        self._docnum = 0

    def start_doc(self, docnum: int) -> None:
        self._perdoc.start_doc(docnum)
        self._docnum = docnum

    def add_field(self, fieldname: str, fieldobj: Any, value: Any, length: int | None) -> None:
        self._perdoc.add_field(fieldname, fieldobj, value, length)
        if length:
            lengths = self._fields.setdefault(fieldname, {})
            lengths[self._docnum] = byte_to_length(length_to_byte(length))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._perdoc, name)


def build_segment(items: list[IndexItem]) -> BuiltSegment:
    """One segment holding `items`, in their order (run in a worker)."""
    storage, writer = _new_writer()
    for item in items:
        write(writer, analyse(item))
    return _finish(
        storage, writer, frozenset(item.doc_id for item in items), sum(len(i.text) for i in items)
    )


def merge_segments(built: list[BuiltSegment]) -> BuiltSegment:
    """One segment holding the live documents of `built`, in order (run in a worker): their
    deleted documents, carried by each segment object, are left out."""
    source = MemoryStorage()
    for part in built:
        source.files.update(part.files)
    storage, writer = _new_writer()
    schema = writer.schema
    for part in built:
        reader = SegmentReader(source, schema, part.segment)
        try:
            writer.add_reader(reader)
        finally:
            reader.close()
    doc_ids = frozenset().union(*(part.doc_ids for part in built))
    return _finish(storage, writer, doc_ids, sum(part.size for part in built))
