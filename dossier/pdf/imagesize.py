"""The size a picture claims, read from its header before any decoder allocates for it.

A 1.5 MB PNG can claim 40,000 × 40,000 pixels: MuPDF would then need gigabytes before it
found out. Each format's header says the size in a few bytes (PNG's IHDR, a JPEG's frame
marker, GIF's screen and frames, BMP's info header, each TIFF page's directory, WebP's canvas),
so a picture
too large, or a TIFF with too many pages or a loop in its chain of pages, is refused here in
one sentence, in bounded time, having decoded nothing.

The header also says where the picture's data lies, so a file cut short (an interrupted
download, a truncated attachment) is refused here as damaged: MuPDF decodes what it has and
only warns, showing the rest grey or black. A JPEG must reach its end marker (or, if its
writer left that out, lack nothing else, which a decoder confirms: `jpeg_unended`), a PNG its
end chunk, a BMP's rows and every strip or tile of every TIFF page must lie within the file.
(A GIF's, WebP's or HEIC's reader refuses a cut itself or is checked by `heifboxes`.)
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable, Iterator
from typing import NamedTuple

from dossier.errors import InputRefused
from dossier.i18n import _

MAX_PICTURE_PIXELS = 120_000_000
"""One picture (one page of a TIFF): a 108-megapixel phone photo, or an A3 scan at 600 dpi,
fits; decoding it takes at most a few hundred MB."""
MAX_IMAGE_PAGES = 500
"""Pages of one multi-page TIFF; a fax archive of more should be split."""
MAX_PAGES_PIXELS = 2_000_000_000
"""All the pages of one multi-page TIFF together: 500 fax pages (1728 × 2200), or 200 A4
pages scanned at 300 dpi, fit. Each page within `MAX_PICTURE_PIXELS`, 500 pages came to 60
billion pixels: a 15 KB file whose pages took minutes to make and hours to read by OCR."""

_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
_JPEG_SCAN_LIMIT = 16 * 1024**2
_JPEG_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_RESTART = re.compile(rb"\xff[\xd0-\xd7]")
_SEQUENTIAL_HUFFMAN = frozenset({0xC0, 0xC1})
"""Baseline and extended sequential JPEG with Huffman coding: what cameras and scanners write."""
"""The next marker after a scan's compressed data (0xFF 0x00 is a stuffed byte, 0xD0-0xD7 a
restart marker, 0xFF a fill byte)."""
_TIFF_DATA = ((273, 279), (324, 325))
"""(offsets, byte counts) tags of a TIFF page's strips, and of its tiles."""
_TIFF_FIELD = {3: "H", 4: "I"}
_TIFF_DECODING = {320: 2, 347: 1}
"""Other fields a page's decoding reads, with the size of their values: its palette
(ColorMap, SHORTs) and the tables of its JPEG strips (JPEGTables, bytes)."""


def check_picture(
    data: bytes, filetype: str, name: str, scan_whole: Callable[[bytes], bool] | None = None
) -> None:
    """Refuse a picture whose header claims more than `MAX_PICTURE_PIXELS` in one frame, or a
    TIFF of more than `MAX_IMAGE_PAGES` pages, of more than `MAX_PAGES_PIXELS` in all or
    whose pages loop, or one cut short.

    `scan_whole`: for a JPEG that ends inside its last scan (no end marker) but lacks nothing
    else, whether that scan's data is whole; only a decoder can say (see `jpeg_unended`).
    Without it such a JPEG is refused."""
    sizes = _sizes(data, filetype, name)
    for width, height in sizes:
        if width * height > MAX_PICTURE_PIXELS:
            raise too_large(name, width, height)
    pixels = sum(width * height for width, height in sizes)
    if pixels > MAX_PAGES_PIXELS:
        raise InputRefused(
            _(
                "{name} has {pages} pages of {millions} million pixels in all, more than "
                "Dossier reads from one file ({limit} million at most); split it."
            ).format(
                name=name,
                pages=len(sizes),
                millions=pixels // 1_000_000,
                limit=MAX_PAGES_PIXELS // 1_000_000,
            )
        )
    whole = {"jpg": _jpeg_ends, "png": _png_ends, "bmp": _bmp_whole}.get(filetype)
    if whole is None or whole(data):
        return
    if filetype == "jpg" and scan_whole is not None and jpeg_unended(data) and scan_whole(data):
        return
    raise damaged(name)


def damaged(name: str) -> InputRefused:
    return InputRefused(
        _("{name} is a damaged image and cannot be read; ask its sender for a new copy.").format(
            name=name
        )
    )


def too_large(name: str, width: int, height: int) -> InputRefused:
    return InputRefused(
        _(
            "{name} is a picture of {width} × {height} pixels, more than Dossier reads "
            "({millions} million pixels at most)."
        ).format(name=name, width=width, height=height, millions=MAX_PICTURE_PIXELS // 1_000_000)
    )


def _sizes(data: bytes, filetype: str, name: str) -> list[tuple[int, int]]:
    try:
        if filetype == "png":
            return [struct.unpack(">II", data[16:24])]
        if filetype == "gif":
            return _gif(data)
        if filetype == "bmp":
            width, height = struct.unpack("<ii", data[18:26])
            return [(abs(width), abs(height))]
        if filetype == "jpg":
            return _jpeg(data)
        if filetype == "tif":
            return _tiff(data, name)
        if filetype == "webp":
            return _webp(data)
    except (struct.error, IndexError):
        return []  # too short to say: the decoder will call it damaged
    return []


def _gif(data: bytes) -> list[tuple[int, int]]:
    """The logical screen (what MuPDF allocates), and the first frame's own size."""
    sizes = [struct.unpack("<HH", data[6:10])]
    flags = data[10]
    at = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    while at < len(data) and data[at] == 0x21:  # extension blocks before the first image
        at += 2
        while at < len(data) and data[at]:
            at += data[at] + 1
        at += 1
    if at < len(data) and data[at] == 0x2C:
        sizes.append(struct.unpack("<HH", data[at + 5 : at + 9]))
    return sizes


def _webp(data: bytes) -> list[tuple[int, int]]:
    """The canvas of an extended WebP, or the size of a lossless or lossy one (libwebp
    allocates the canvas as soon as its decoder is made)."""
    chunk = data[12:16]
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return [(width, height)]
    if chunk == b"VP8L" and data[20] == 0x2F:
        (bits,) = struct.unpack("<I", data[21:25])
        return [((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)]
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return [(width & 0x3FFF, height & 0x3FFF)]
    return []


def _jpeg(data: bytes) -> list[tuple[int, int]]:
    at = 2
    end = min(len(data), _JPEG_SCAN_LIMIT)
    while at + 9 <= end:
        if data[at] != 0xFF:
            return []
        marker = data[at + 1]
        if marker == 0xFF:
            at += 1  # fill byte
            continue
        if marker in _SOF:
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return [(width, height)]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        at += 2 + length
    return []


def _jpeg_segments(data: bytes) -> Iterator[tuple[int, bytes, int, int | None]]:
    """(marker, header, start, end) of each segment after the start marker, in order, the end
    marker (EOI) last: `header` is the segment's own bytes, `start` where they end; a scan's
    compressed data runs from there to `end`, the next marker, or None when the file ends in
    it. Stops early at bytes that are not a marker or at a header the file cuts."""
    at = 2
    while at + 2 <= len(data):
        if data[at] != 0xFF:
            return
        marker = data[at + 1]
        if marker == 0xFF:
            at += 1  # fill byte
            continue
        if marker == 0xD9:
            yield marker, b"", at + 2, at + 2
            return
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            at += 2
            continue
        if at + 4 > len(data):
            return
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        header = data[at + 4 : at + 2 + length]
        if length < 2 or len(header) != length - 2:
            return
        at += 2 + length
        if marker != 0xDA:
            yield marker, header, at, at
            continue
        following = _JPEG_MARKER.search(data, at)
        yield marker, header, at, None if following is None else following.start()
        if following is None:
            return
        at = following.start()


def _jpeg_ends(data: bytes) -> bool:
    """Whether a JPEG reaches its end marker (EOI), segment by segment and over each scan's
    compressed data; bytes after it (a camera's own) do not matter."""
    return any(marker == 0xD9 for marker, _, _, _ in _jpeg_segments(data))


def jpeg_unended(data: bytes) -> bool:
    """Whether a JPEG without its end marker lacks nothing but, perhaps, the end of its last
    scan's data: sequential (each scan codes its components whole, so no later scan could
    refine it), every component of the frame scanned, and the file ending in the last scan
    after every restart marker its blocks call for. Whether that scan's data ends too needs
    a decoder (`check_picture`'s `scan_whole`). A progressive JPEG is not judged: its last
    scan may refine the picture only slightly, so a decoder can hardly tell it cut."""
    if data.endswith(b"\xff"):
        return False  # cut between a data byte 0xFF and the zero that follows it
    frame, interval = None, 0
    scanned: set[int] = set()
    for marker, header, start, end in _jpeg_segments(data):
        if marker in _SOF:
            frame = _jpeg_frame(header) if marker in _SEQUENTIAL_HUFFMAN else None
            if frame is None:
                return False
        elif marker == 0xDD and len(header) >= 2:
            (interval,) = struct.unpack(">H", header[:2])
        elif marker == 0xDA:
            if frame is None or not header:
                return False
            components = list(header[1 : 1 + 2 * header[0] : 2])
            if header[1 + 2 * header[0] : 4 + 2 * header[0]] != b"\x00\x3f\x00":
                return False  # not a whole sequential scan (Ss 0, Se 63, Ah Al 0)
            scanned.update(components)
            if end is None:  # the file ends in this scan
                restarts = len(_RESTART.findall(data, start))
                expected = _restarts(frame, components, interval)
                return scanned >= frame.factors.keys() and restarts == expected
    return False


class _Frame(NamedTuple):
    """A sequential JPEG frame: its size in pixels, and each component's sampling factors."""

    width: int
    height: int
    factors: dict[int, tuple[int, int]]
    """Component id -> (H, V)."""


def _jpeg_frame(segment: bytes) -> _Frame | None:
    if len(segment) < 6:
        return None
    height, width = struct.unpack(">HH", segment[1:5])
    count = segment[5]
    if height == 0 or width == 0 or count == 0 or len(segment) < 6 + 3 * count:
        return None  # a height given later (DNL marker): not judged
    factors = {
        segment[6 + 3 * n]: (segment[7 + 3 * n] >> 4, segment[7 + 3 * n] & 15) for n in range(count)
    }
    if any(h == 0 or v == 0 for h, v in factors.values()):
        return None
    return _Frame(width, height, factors)


def _restarts(frame: _Frame, scan: list[int], interval: int) -> int:
    """Restart markers a whole scan of these components holds: one after every `interval`
    MCUs but the last. A scan of one component has one block per MCU, over that component's
    own size; in an interleaved one an MCU covers H_max x V_max blocks' worth of the picture
    (ITU T.81, A.1.1 and A.2)."""
    if interval == 0:
        return 0
    h_max = max(h for h, _ in frame.factors.values())
    v_max = max(v for _, v in frame.factors.values())
    if len(scan) == 1:
        h, v = frame.factors.get(scan[0], (h_max, v_max))
        across = _ceil(_ceil(frame.width * h, h_max), 8)
        down = _ceil(_ceil(frame.height * v, v_max), 8)
    else:
        across, down = _ceil(frame.width, 8 * h_max), _ceil(frame.height, 8 * v_max)
    return _ceil(across * down, interval) - 1


def _ceil(a: int, b: int) -> int:
    return -(-a // b)


def _png_ends(data: bytes) -> bool:
    """Whether a PNG's chunks reach its end chunk (IEND) within the file, or, for an encoder
    that leaves it out, whether its pixels' compressed stream ends (with its own checksum) in
    whole chunks."""
    idat: list[memoryview] = []
    view = memoryview(data)
    at = 8
    while at + 12 <= len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        kind = data[at + 4 : at + 8]
        if kind == b"IDAT":
            idat.append(view[at + 8 : at + 8 + length])
        at += 12 + length
        if kind == b"IEND":
            return at <= len(data)
    return at == len(data) and _stream_ends(idat)


def _stream_ends(pieces: list[memoryview]) -> bool:
    """Whether a zlib stream split in `pieces` reaches its end (its output dropped a megabyte at
    a time; a damaged stream never ends)."""
    stream = zlib.decompressobj()
    try:
        for piece in pieces:
            rest: bytes | memoryview = piece
            while rest and not stream.eof:
                stream.decompress(rest, 1 << 20)
                rest = stream.unconsumed_tail
    except zlib.error:
        return False
    return stream.eof


def _bmp_whole(data: bytes) -> bool:
    """Whether a BMP's pixel rows (or its compressed pixels, when it says their size) lie
    within the file."""
    try:
        (pixels_at, header) = struct.unpack("<II", data[10:18])
        if header == 12:  # OS/2 1.x: 16-bit sizes, no compression
            width, height, _planes, bits = struct.unpack("<HHHH", data[18:26])
            compression = size = 0
        else:
            width, height, _planes, bits, compression, size = struct.unpack("<iiHHII", data[18:38])
    except struct.error:
        return False
    if compression in (0, 3, 6):  # rows as they are (colour masks apart)
        size = (abs(width) * bits + 31) // 32 * 4 * abs(height)
    return bool(pixels_at + size <= len(data))


def _tiff(data: bytes, name: str) -> list[tuple[int, int]]:
    order = "<" if data[:2] == b"II" else ">"
    (offset,) = struct.unpack(order + "I", data[4:8])
    seen: set[int] = set()
    sizes: list[tuple[int, int]] = []
    while offset:
        if offset in seen:
            raise InputRefused(
                _("{name} is a damaged TIFF image: its pages loop back.").format(name=name)
            )
        seen.add(offset)
        if len(seen) > MAX_IMAGE_PAGES:
            raise InputRefused(
                _("{name} has more than {limit} pages (at most {limit}); split it.").format(
                    name=name, limit=MAX_IMAGE_PAGES
                )
            )
        (count,) = struct.unpack(order + "H", data[offset : offset + 2])
        width = height = 0
        fields: dict[int, list[int]] = {}
        for n in range(count):
            entry = data[offset + 2 + 12 * n : offset + 14 + 12 * n]
            tag, kind = struct.unpack(order + "HH", entry[:4])
            if tag in (256, 257):
                value = (
                    struct.unpack(order + "H", entry[8:10])[0]
                    if kind == 3
                    else struct.unpack(order + "I", entry[8:12])[0]
                )
                width, height = (value, height) if tag == 256 else (width, value)
            elif any(tag in pair for pair in _TIFF_DATA):
                fields[tag] = _tiff_values(data, order, entry, name)
            elif tag in _TIFF_DECODING:
                (values, at) = struct.unpack(order + "II", entry[4:12])
                if values * _TIFF_DECODING[tag] > 4 and at + values * _TIFF_DECODING[tag] > len(
                    data
                ):
                    raise damaged(name)
        for starts, lengths in _TIFF_DATA:
            for start, length in zip(fields.get(starts, ()), fields.get(lengths, ()), strict=False):
                if start + length > len(data):
                    raise damaged(name)  # cut short: this page's data runs past the end
        sizes.append((width, height))
        (offset,) = struct.unpack(
            order + "I", data[offset + 2 + 12 * count : offset + 6 + 12 * count]
        )
    return sizes


def _tiff_values(data: bytes, order: str, entry: bytes, name: str) -> list[int]:
    """The numbers of a TIFF field (in its entry, or where the entry points when they do not
    fit in four bytes)."""
    kind, count = struct.unpack(order + "HI", entry[2:8])
    field = _TIFF_FIELD.get(kind)
    if field is None:
        return []
    size = struct.calcsize(field) * count
    if size <= 4:
        raw = entry[8 : 8 + size]
    else:
        (at,) = struct.unpack(order + "I", entry[8:12])
        raw = data[at : at + size]
        if len(raw) < size:
            raise damaged(name)  # the list itself runs past the end
    return list(struct.unpack(order + field * count, raw))
