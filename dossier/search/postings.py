"""Whole posting lists and length columns of one index segment, read a block at a time.

Whoosh hands postings out one at a time through matcher objects (`id()`, `weight()`, `next()`,
`skip_to()`): at 50,000 pages a common word has 50,000 postings and those calls cost more than
the rest of a search. Here a term's postings come out block by block (128 postings per block,
one unpickling each) as plain lists, and a field's per-document lengths as one `bytes` object;
`topk.py` scores them with list and dict operations.

This reads the Whoosh 3 codec's blocks (`W3LeafMatcher`) directly: Whoosh-Reloaded is pinned
(requirements/app.lock), and any other matcher (a rare term's postings inlined in the term
dictionary, a segment of another codec) is read through the ordinary matcher calls instead.
"""

from __future__ import annotations

import bisect
import itertools
import pickle
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, overload

from whoosh.codec import whoosh3
from whoosh.matching.wrappers import FilterMatcher
from whoosh.system import _INT_SIZE


@dataclass
class Postings:
    """A term's postings in one segment: document numbers ascending, their weights (term
    frequency times the field's boost) and, when asked for, their encoded positions."""

    ids: Sequence[int]
    weights: Sequence[float]
    values: Sequence[bytes] | None

    def packed(self) -> Postings:
        """The same postings in arrays and one blob (about 24 bytes a posting instead of
        about 120 in lists of Python objects): what the cache keeps."""
        # A field without positions (an ID) has a None value for every posting: nothing to keep.
        plain = self.values is None or (len(self.values) > 0 and self.values[0] is None)
        values = None if plain else PackedValues.of(self.values or ())
        return Postings(array("i", self.ids), array("d", self.weights), values)

    def nbytes(self) -> int:
        size = 12 * len(self.ids)
        if isinstance(self.values, PackedValues):
            size += len(self.values.blob) + 4 * len(self.values.offsets)
        elif self.values is not None:
            size += sum(48 + len(v) for v in self.values)
        return size


class PackedValues(Sequence[bytes]):
    """Encoded positions of many postings in one bytes object, cut out on demand."""

    def __init__(self, blob: bytes, offsets: array[int]) -> None:
        self.blob = blob
        self.offsets = offsets

    @classmethod
    def of(cls, values: Sequence[bytes]) -> PackedValues:
        offsets = array("I", [0])
        offsets.extend(itertools.accumulate(map(len, values)))
        return cls(b"".join(values), offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @overload
    def __getitem__(self, index: int) -> bytes: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[bytes]: ...

    def __getitem__(self, index: int | slice) -> bytes | Sequence[bytes]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        return self.blob[self.offsets[index] : self.offsets[index + 1]]


_MAX_EXPANSIONS = 4096
"""Expansions kept (a typed word in one segment and field each: a short list of words)."""
SPARSE = 16
"""Wanted documents fewer than one in this many: read only the blocks that hold them."""


class PostingsCache:
    """Decoded postings of the terms last searched, kept across searches up to a memory bound.

    A segment never changes once written (deletions are applied on top, at each use), so
    its postings stay valid under its segment id for as long as the index lives. Function
    words and a reporter's recurring names come back in search after search: decoding their
    blocks again (most of a search's time at 50,000 pages) is what this saves. The cache
    belongs to one open index and is dropped with it (when the vault locks).
    """

    def __init__(
        self, max_bytes: int = 96 * 1024 * 1024, max_bitmap_bytes: int = 48 * 1024 * 1024
    ) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple[str, str, bytes], tuple[Postings, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self._expansions: OrderedDict[tuple[Any, ...], list[bytes]] = OrderedDict()
        self.max_bitmap_bytes = max_bitmap_bytes
        self._bitmaps: OrderedDict[tuple[str, str, bytes], PositionBitmaps] = OrderedDict()
        self._bitmap_size = 0

    def bitmaps(self, key: tuple[str, str, bytes]) -> PositionBitmaps:
        """The position bitmaps of a term in one segment made so far (filled by the caller)."""
        with self._lock:
            found = self._bitmaps.get(key)
            if found is None:
                found = self._bitmaps[key] = PositionBitmaps(self)
            else:
                self._bitmaps.move_to_end(key)
            return found

    @property
    def bitmap_bytes(self) -> int:
        return self._bitmap_size

    def _grew(self, size: int) -> None:
        with self._lock:
            self._bitmap_size += size
            while self._bitmap_size > self.max_bitmap_bytes and self._bitmaps:
                _key, dropped = self._bitmaps.popitem(last=False)
                self._bitmap_size -= dropped.size
                dropped._cache = None  # a search still filling it no longer counts here

    def expansion(self, key: tuple[Any, ...], expand: Callable[[], list[bytes]]) -> list[bytes]:
        """The indexed words a stem, prefix, wildcard or fuzzy term stands for in a segment
        (`key` names both), found by `expand` the first time."""
        with self._lock:
            found = self._expansions.get(key)
            if found is not None:
                self._expansions.move_to_end(key)
                return found
        found = expand()
        with self._lock:
            self._expansions[key] = found
            while len(self._expansions) > _MAX_EXPANSIONS:
                self._expansions.popitem(last=False)
        return found

    def get(self, key: tuple[str, str, bytes], values: bool) -> Postings | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or (values and entry[0].values is None):
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: tuple[str, str, bytes], found: Postings) -> None:
        size = found.nbytes()
        if size > self.max_bytes // 4:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= old[1]
            self._entries[key] = (found, size)
            self._size += size
            while self._size > self.max_bytes:
                _key, (_found, dropped) = self._entries.popitem(last=False)
                self._size -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._expansions.clear()
            for dropped in self._bitmaps.values():
                dropped._cache = None
            self._bitmaps.clear()
            self._size = 0
            self._bitmap_size = 0


class PositionBitmaps:
    """A term's positions in the documents of one segment, each as one integer whose bit p is
    set when the term is the p-th word: a phrase's words follow each other where the AND of
    their bitmaps, each shifted by its place in the phrase, is not zero. One shift and one AND
    at C speed replace decoding a pickled position list, so a phrase of function words that
    must be checked in thousands of candidate pages is checked again in microseconds a page.
    Made a document at a time, as phrases need them, and kept with the postings cache."""

    def __init__(self, cache: PostingsCache | None) -> None:
        self._cache = cache
        self._bits: dict[int, int] = {}
        self.size = 0

    def get(self, doc: int, found: Postings) -> int:
        """The bitmap of `doc`, made from its positions in `found` the first time."""
        bits = self._bits.get(doc)
        if bits is None:
            bits = 0
            if found.values is not None:
                at = bisect.bisect_left(found.ids, doc)
                for position in decode_positions(found.values[at]):
                    bits |= 1 << position
            self._bits[doc] = bits
            size = 64 + bits.bit_length() // 8
            self.size += size
            if self._cache is not None:
                self._cache._grew(size)
        return bits


def read_postings(
    reader: Any,
    fieldname: str,
    btext: bytes,
    *,
    values: bool,
    within: Sequence[int] | None = None,
    cache: PostingsCache | None = None,
) -> Postings:
    """Every live posting of `btext` in `fieldname` of the segment `reader`; with `within`
    (document numbers, ascending), at least those of these documents: blocks holding none of
    them are skipped unread (the caller intersects)."""
    key = (segment_id(reader), fieldname, btext)
    # Kept postings are looked up before Whoosh makes a matcher: making one looks the term up
    # in the (sealed) term dictionary, a third of a repeated phrase's time.
    excluded: Any = getattr(reader, "deleted_docs_set", None)
    found = None
    if cache is not None and key[0] and excluded is not None:
        found = cache.get(key, values)
    if found is None:
        matcher = reader.postings(fieldname, btext)
        excluded = None
        if isinstance(matcher, FilterMatcher):
            # A segment with deleted documents wraps its postings in a filter excluding them.
            excluded = matcher._ids if matcher._exclude else None
            if excluded is None:
                return _one_by_one(matcher, values)
            matcher = matcher.child
        # Few wanted documents: skip blocks, and keep nothing (the list is partial).
        sparse = within is not None and len(within) * SPARSE < reader.doc_count_all()
        if isinstance(matcher, whoosh3.W3LeafMatcher):
            found = _by_blocks(matcher, values, within if sparse else None)
        else:
            found = _one_by_one(matcher, values)
        if cache is not None and key[0] and not sparse:
            found = found.packed()
            cache.put(key, found)
    if excluded:
        keep = [n for n, doc in enumerate(found.ids) if doc not in excluded]
        found = Postings(
            [found.ids[n] for n in keep],
            [found.weights[n] for n in keep],
            None if found.values is None else [found.values[n] for n in keep],
        )
    return found


def segment_id(reader: Any) -> str:
    """The segment's id ("" when it has none): what it holds never changes under it."""
    try:
        return str(reader.segment().segment_id())
    except AttributeError:
        return ""


def _by_blocks(matcher: Any, values: bool, within: Sequence[int] | None) -> Postings:
    ids: list[int] = []
    weights: list[float] = []
    encoded: list[bytes] | None = [] if values else None
    previous_max = -1
    while matcher.is_active():
        if within is not None:
            # The block holds documents previous_max + 1 .. its maximum id (read from its
            # header, its data still unread): skip it if no wanted document is in there.
            wanted = bisect.bisect_right(within, previous_max)
            if wanted == len(within):
                break
            block_max = matcher._maxid
            previous_max = block_max
            if within[wanted] > block_max:
                matcher._next_block()
                continue
        if matcher._data is None:
            matcher._read_data()
        block_ids = matcher._data[0]
        if matcher._byteids:
            ids.extend(block_ids)
        else:
            ids.extend(itertools.accumulate(block_ids))
        if matcher._weights is None:
            matcher._read_weights()
        weights.extend(matcher._weights)
        if encoded is not None:
            if matcher._values is None:
                matcher._read_values()
            encoded.extend(matcher._values)
        matcher._next_block()
    return Postings(ids, weights, encoded)


def _one_by_one(matcher: Any, values: bool) -> Postings:
    ids: list[int] = []
    weights: list[float] = []
    encoded: list[bytes] | None = [] if values else None
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if encoded is not None:
            encoded.append(matcher.value())
        matcher.next()
    return Postings(ids, weights, encoded)


def length_bytes(reader: Any, fieldname: str) -> bytes:
    """The encoded length (Whoosh's one-byte `length_to_byte`) of `fieldname` in each document
    of the segment, indexed by document number (0: the document has no such field)."""
    count = reader.doc_count_all()
    perdoc = getattr(reader, "_perdoc", None)
    column = None
    if isinstance(perdoc, whoosh3.W3PerDocReader):
        column = perdoc._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
    if column is None:
        return bytes(count)
    try:
        stored = int(column._count)
        raw = bytes(column._dbfile.get(column._basepos, stored))
    except AttributeError:  # another column reader: ask for each document
        return bytes(column[docnum] for docnum in range(count))
    return raw[:count] + bytes(max(0, count - len(raw)))


def decode_positions(value: bytes) -> list[int]:
    """The word positions of one posting of a `Positions`-format field: a 4-byte count, then
    the pickled position deltas, stored without pickle's final "." (as Whoosh decodes them; the
    index is authenticated, so this pickle is Dossier's own)."""
    body = value[_INT_SIZE:]
    if not body.endswith(b"."):
        body += b"."
    return list(itertools.accumulate(pickle.loads(body)))
