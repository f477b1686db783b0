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
phone's second picture, with EXIF of its own); a picture inside a Flate layer is taken out of
it.
"""

from __future__ import annotations

import re
import zlib
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


def bare_jp2(data: bytes) -> bytes:
    """A JPEG 2000 file without its top-level XML and UUID boxes; `data` itself when it is not
    a JP2 file whose boxes read to their end (a bare codestream has none)."""
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
        if data[i + 4 : i + 8] not in _JP2_DESCRIBING:
            kept.append(data[i : i + length])
        i += length
    return b"".join(kept)


_BARE = {"/DCTDecode": bare_jpeg, "/JPXDecode": bare_jp2}


def bare_pictures(doc: Any) -> int:
    """Write every JPEG and JPEG 2000 picture of `doc` again without what describes it; return
    how many changed. Only a picture stored as such alone (no other filter around it)."""
    changed = 0
    for xref in range(1, doc.xref_length()):
        try:
            changed += _bare_picture(doc, xref)
        except (RuntimeError, ValueError, pymupdf.mupdf.FzErrorBase):
            continue  # an object MuPDF cannot read: no reader gets it; the self-check looks
    return changed


def _bare_picture(doc: Any, xref: int) -> int:
    if not doc.xref_is_image(xref):
        return 0
    filters = re.findall(r"/\w+", doc.xref_get_key(xref, "Filter")[1])
    parms = doc.xref_get_key(xref, "DecodeParms")
    raw = doc.xref_stream_raw(xref)
    codec = filters[-1] if filters else ""
    if codec not in _BARE or filters[:-1] not in ([], ["/FlateDecode"]):
        return 0
    if len(filters) == 2:  # a picture inside a Flate layer: taken out of it
        if "Predictor" in parms[1]:
            return 0
        raw = _inflated(raw)
        if not raw:
            return 0  # not zlib, or larger than any picture: left for the self-check
        parms = ("null", "null")
    bare = _BARE[codec](raw)
    if bare == raw and len(filters) == 1:
        return 0
    doc.update_stream(xref, bare, compress=False)  # drops the filter: written back below
    doc.xref_set_key(xref, "Filter", codec)
    doc.xref_set_key(xref, "DecodeParms", parms[1] if parms[0] != "null" else "null")
    return 1


def _inflated(raw: bytes) -> bytes:
    """`raw` through zlib, up to `_MAX_PICTURE` bytes; b"" if it is not zlib or longer."""
    inflate = zlib.decompressobj()
    try:
        data = inflate.decompress(raw, _MAX_PICTURE)
    except zlib.error:
        return b""
    return b"" if inflate.unconsumed_tail else data
