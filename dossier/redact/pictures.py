"""What a JPEG inside a PDF says besides its pixels, removed from an export copy.

A PDF keeps a JPEG picture as the file its camera or scanner wrote (`/DCTDecode`): with its
EXIF (the owner's or artist's name, a description, the GPS position where it was taken, the
camera's serial number, a thumbnail of the picture as it was before any box), its XMP, its
Photoshop/IPTC block and its comments. A picture under a box is decoded and written again by
the redaction, without them; any other picture left the vault with them. Each is written again
here with only the segments decoding needs (JFIF, the colour profile, Adobe's colour transform,
the tables and frame, then the scan itself), byte for byte: the pixels are the same. A JPEG
2000 picture (`/JPXDecode`) likewise loses its XML, UUID (XMP, GeoJP2) and UUID-info boxes.
Segments written between or after a JPEG's scans go too, and whatever follows its end (a
phone's second picture, with EXIF of its own); a bare JPEG 2000 codestream loses the comments
of its main header. A picture behind other filters ([/ASCII85Decode /FlateDecode /DCTDecode])
is taken out of them.
"""

from __future__ import annotations

import re
from typing import Any

from dossier.pdf.mupdf import pymupdf

_KEPT_MARKERS = frozenset({0xE0, 0xE2, 0xEE})
"""APP0 (JFIF), APP2 (the ICC colour profile), APP14 (Adobe: how the colours are stored)."""
_START_OF_SCAN = 0xDA
_END_OF_IMAGE = 0xD9
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})
"""Markers without a length: TEM and the restart markers."""
_MAX_PICTURE = 256 * 1024 * 1024
"""Largest JPEG taken out of a Flate layer (MuPDF decodes it whole to show it anyway)."""


def bare_jpeg(data: bytes) -> bytes:
    """`data` without the segments that describe a JPEG rather than encode it, wherever they
    stand, nor anything after its end; `data` itself when it is not a JPEG this reads to its
    first scan (a damaged one is left for the self-check)."""
    if data[:2] != b"\xff\xd8":
        return data
    kept = [data[:2]]
    i = 2
    scanned = False
    while i + 2 <= len(data):
        if data[i] != 0xFF:
            return data if not scanned else b"".join(kept)
        marker = data[i + 1]
        if marker == 0xFF:  # fill bytes before a marker
            i += 1
            continue
        if marker == _END_OF_IMAGE:
            kept.append(data[i : i + 2])
            break  # what follows the end is not this picture
        if marker in _STANDALONE:
            kept.append(data[i : i + 2])
            i += 2
            continue
        end = i + 2 + int.from_bytes(data[i + 2 : i + 4], "big")
        if i + 4 > len(data) or end > len(data):
            return data if not scanned else b"".join(kept)
        segment = data[i:end]
        if not _describes(marker, segment):
            kept.append(segment)
        i = end
        if marker == _START_OF_SCAN:
            scanned = True
            scan_end = _scan_end(data, i)
            kept.append(data[i:scan_end])
            i = scan_end
    return b"".join(kept) if scanned else data


def _describes(marker: int, segment: bytes) -> bool:
    """Whether a segment describes the picture (EXIF, XMP, IPTC, a comment, a thumbnail, an
    index of other pictures) rather than encodes it."""
    if marker == 0xFE:
        return True
    if not 0xE0 <= marker <= 0xEF:
        return False
    if marker == 0xE0:  # JFXX: an APP0 holding a thumbnail, not JFIF's own header
        return segment[4:9] == b"JFXX\x00"
    if marker == 0xE2:  # APP2 is the colour profile's, or an index of other pictures (MPF)
        return segment[4:16] != b"ICC_PROFILE\x00"
    return marker not in _KEPT_MARKERS


def _scan_end(data: bytes, i: int) -> int:
    """Where the entropy-coded data that starts at `i` ends: at the first marker that is not
    a stuffed 0xFF (FF 00), a restart marker or a fill byte."""
    while True:
        j = data.find(b"\xff", i)
        if j < 0 or j + 1 >= len(data):
            return len(data)
        following = data[j + 1]
        if following == 0 or 0xD0 <= following <= 0xD7:
            i = j + 2
        elif following == 0xFF:
            i = j + 1
        else:
            return j


_JP2_SIGNATURE = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
_JP2_DESCRIBING = frozenset({b"xml ", b"uuid", b"uinf"})


CODESTREAM = b"\xff\x4f\xff\x51"
"""How a bare JPEG 2000 codestream starts: SOC, then SIZ."""
_START_OF_TILE = b"\xff\x90"
_COMMENT = b"\xff\x64"


def codestream_header(data: bytes) -> list[bytes]:
    """The marker segments of a JPEG 2000 codestream's main header (to its first tile), or []
    if they do not read to a tile."""
    segments: list[bytes] = []
    i = 2
    while i + 4 <= len(data):
        if data[i : i + 2] == _START_OF_TILE:
            return segments
        end = i + 2 + int.from_bytes(data[i + 2 : i + 4], "big")
        if data[i] != 0xFF or end <= i + 2 or end > len(data):
            return []
        segments.append(data[i:end])
        i = end
    return []


def bare_jp2(data: bytes) -> bytes:
    """A JPEG 2000 file without its top-level XML and UUID boxes, a bare codestream without
    the comments of its main header; `data` itself when it is neither one that reads to its
    end."""
    if data.startswith(CODESTREAM):
        segments = codestream_header(data)
        if not segments:
            return data
        rest = data[2 + sum(len(segment) for segment in segments) :]
        return data[:2] + b"".join(s for s in segments if s[:2] != _COMMENT) + rest
    if not data.startswith(_JP2_SIGNATURE):
        return data
    kept: list[bytes] = []
    i = 0
    while i < len(data):
        if i + 8 > len(data):
            return data
        length = int.from_bytes(data[i : i + 4], "big")
        header = 8
        if length == 1:  # the length in the next eight bytes
            length = int.from_bytes(data[i + 8 : i + 16], "big")
            header = 16
        elif length == 0:  # the last box, to the end of the file
            length = len(data) - i
        if length < header or i + length > len(data):
            return data
        kind = data[i + 4 : i + 8]
        if kind == b"jp2c" and header == 8:  # its codestream's comments go too
            body = bare_jp2(data[i + 8 : i + length])
            kept.append((len(body) + 8).to_bytes(4, "big") + kind + body)
        elif kind not in _JP2_DESCRIBING:
            kept.append(data[i : i + length])
        i += length
    return b"".join(kept)


_BARE = {"/DCTDecode": bare_jpeg, "/JPXDecode": bare_jp2}


def bare_pictures(doc: Any) -> int:
    """Write every JPEG and JPEG 2000 picture of `doc` again without what describes it and
    without the filters around it; return how many changed."""
    changed = 0
    for xref in range(1, doc.xref_length()):
        try:
            changed += _bare_picture(doc, xref)
        except (RuntimeError, ValueError, pymupdf.mupdf.FzErrorBase):
            continue  # an object MuPDF cannot read: no reader gets it; the self-check looks
    return changed


def picture_file(doc: Any, xref: int) -> tuple[str, bytes]:
    """(codec, file) of picture `xref`: the JPEG or JPEG 2000 file the last filter decodes, the
    filters before it undone by MuPDF (Flate with a predictor, LZW, ASCII85 too); ("", b"") for
    another picture."""
    written = doc.xref_get_key(xref, "Filter")[1]
    filters = re.findall(r"/\w+", written)
    if not filters or filters[-1] not in _BARE:
        return "", b""
    if len(filters) == 1:
        return filters[-1], doc.xref_stream_raw(xref) or b""
    # MuPDF pairs each filter with its parameters in order: the outer ones decode alone.
    doc.xref_set_key(xref, "Filter", "[" + " ".join(filters[:-1]) + "]")
    try:
        return filters[-1], doc.xref_stream(xref) or b""
    finally:
        doc.xref_set_key(xref, "Filter", written)


def _bare_picture(doc: Any, xref: int) -> int:
    if not doc.xref_is_image(xref):
        return 0
    layered = "[" in doc.xref_get_key(xref, "Filter")[1]
    codec, raw = picture_file(doc, xref)
    if not raw or len(raw) > _MAX_PICTURE:
        return 0
    bare = _BARE[codec](raw)
    if bare == raw and not layered:
        return 0
    parms = doc.xref_get_key(xref, "DecodeParms")
    doc.update_stream(xref, bare, compress=False)  # drops the filter: written back below
    doc.xref_set_key(xref, "Filter", codec)
    # The codec's own parameters stand last in an array: a lone dictionary is its own.
    doc.xref_set_key(xref, "DecodeParms", parms[1] if parms[0] == "dict" else "null")
    return 1
