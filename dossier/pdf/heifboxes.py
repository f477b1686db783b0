"""Whether a HEIC file holds all of its picture's data: read from its boxes, before any decoder.

libheif decodes a tiled photo (an iPhone's is 48 tiles of 512 × 512) whose tiles are missing
with grey where they were, and says so only in warnings that pi-heif does not pass on: a photo
cut short by an interrupted transfer would be imported as a partial picture, silently. The
file's `iloc` box says where each item's data lies (each tile's coded picture, in the `mdat`
box or the `meta` box's own `idat`), so a file that does not reach the end of every item's
data, or whose boxes do not fit in it, is damaged, whatever its `mdat` box says of its own
length (0, "to the end of the file", hides a cut).
"""

from __future__ import annotations

_MEDIA = 0
"""`iloc` construction method: offsets in the file."""
_IDAT = 1
"""`iloc` construction method: offsets in the `meta` box's `idat`."""


class _Short(Exception):
    """A box or field runs past its end."""


def all_data_present(data: bytes) -> bool:
    """Whether the file's top-level boxes, and every item's data its `iloc` box locates, lie
    within it (a file without `meta` or `iloc` holds no picture: not present either)."""
    try:
        top = _children(data, 0, len(data))
        meta = next(((start, end) for kind, start, end in top if kind == b"meta"), None)
        if meta is None:
            return False
        inner = _children(data, meta[0] + 4, meta[1])  # FullBox
        boxes = {kind: (start, end) for kind, start, end in reversed(inner)}
        if b"iloc" not in boxes:
            return False
        idat = boxes.get(b"idat")
        idat_length = idat[1] - idat[0] if idat else None
        return all(
            _within(method, end, len(data), idat_length)
            for method, end in _extent_ends(data, *boxes[b"iloc"])
        )
    except _Short:
        return False


def _within(method: int, end: int, file_length: int, idat_length: int | None) -> bool:
    if method == _MEDIA:
        return end <= file_length
    if method == _IDAT:
        return idat_length is not None and end <= idat_length
    return True  # an offset in another item's data, itself located and checked


def _children(data: bytes, at: int, end: int) -> list[tuple[bytes, int, int]]:
    """(type, start of content, end) of each box between `at` and `end`; a few bytes too few
    for a box header at the end are left, as libheif does."""
    boxes = []
    while at + 8 <= end:
        size = int.from_bytes(data[at : at + 4], "big")
        header = 8
        if size == 1:
            if at + 16 > end:
                raise _Short
            size = int.from_bytes(data[at + 8 : at + 16], "big")
            header = 16
        elif size == 0:
            size = end - at  # "to the end": what it holds is checked through `iloc`
        if size < header or at + size > end:
            raise _Short
        boxes.append((data[at + 4 : at + 8], at + header, at + size))
        at += size
    return boxes


class _Reader:
    """Big-endian fields of one box, never past its end."""

    def __init__(self, data: bytes, at: int, end: int) -> None:
        self.data, self.at, self.end = data, at, end

    def take(self, size: int) -> int:
        if self.at + size > self.end:
            raise _Short
        value = int.from_bytes(self.data[self.at : self.at + size], "big")
        self.at += size
        return value


def _extent_ends(data: bytes, start: int, end: int) -> list[tuple[int, int]]:
    """(construction method, end offset) of every extent of every item of an `iloc` box
    (ISO/IEC 14496-12, 8.11.3)."""
    field = _Reader(data, start, end)
    version = field.take(4) >> 24
    if version > 2:
        raise _Short  # no other version exists; libheif refuses it too
    sizes = field.take(2)
    offset_size, length_size = sizes >> 12, (sizes >> 8) & 15
    base_size, index_size = (sizes >> 4) & 15, sizes & 15 if version else 0
    if any(size not in (0, 4, 8) for size in (offset_size, length_size, base_size, index_size)):
        raise _Short
    id_size = 4 if version == 2 else 2
    ends = []
    for _ in range(field.take(id_size)):
        field.take(id_size)  # item_ID
        method = field.take(2) & 15 if version else _MEDIA
        field.take(2)  # data_reference_index: 0, this file (libheif reads no other)
        base = field.take(base_size)
        for _ in range(field.take(2)):
            field.take(index_size)
            offset = field.take(offset_size)
            ends.append((method, base + offset + field.take(length_size)))
    return ends
