"""What a JPEG inside a PDF says besides its pixels, removed from an export copy.

A PDF keeps a JPEG picture as the file its camera or scanner wrote (`/DCTDecode`): with its
EXIF (the owner's or artist's name, a description, the GPS position where it was taken, the
camera's serial number, a thumbnail of the picture as it was before any box), its XMP, its
Photoshop/IPTC block and its comments. A picture under a box is decoded and written again by
the redaction, without them; any other picture left the vault with them. Each is written again
here with only the segments decoding needs (JFIF, the colour profile, Adobe's colour transform,
the tables and frame, then the scan itself), byte for byte: the pixels are the same. A JPEG
2000 picture (`/JPXDecode`) likewise loses its XML, UUID (XMP, GeoJP2) and UUID-info boxes.
"""

from __future__ import annotations

from typing import Any

from dossier.pdf.mupdf import pymupdf

_KEPT_MARKERS = frozenset({0xE0, 0xE2, 0xEE})
"""APP0 (JFIF), APP2 (the ICC colour profile), APP14 (Adobe: how the colours are stored)."""
_START_OF_SCAN = 0xDA
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})
"""Markers without a length: TEM and the restart markers."""


def bare_jpeg(data: bytes) -> bytes:
    """`data` without the segments that describe a JPEG rather than encode it; `data` itself
    when it is not a JPEG this reads to its scan (a damaged one is left for the self-check)."""
    if data[:2] != b"\xff\xd8":
        return data
    kept = [data[:2]]
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return data
        marker = data[i + 1]
        if marker == 0xFF:  # fill bytes before a marker
            i += 1
            continue
        if marker in _STANDALONE:
            kept.append(data[i : i + 2])
            i += 2
            continue
        if marker == _START_OF_SCAN:
            kept.append(data[i:])
            return b"".join(kept)
        end = i + 2 + int.from_bytes(data[i + 2 : i + 4], "big")
        segment = data[i:end]
        describes = (0xE0 <= marker <= 0xEF and marker not in _KEPT_MARKERS) or marker == 0xFE
        # JFXX: an APP0 holding a thumbnail, not JFIF's own header.
        if not describes and not (marker == 0xE0 and segment[4:9] == b"JFXX\x00"):
            kept.append(segment)
        i = end
    return data


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
    codec = doc.xref_get_key(xref, "Filter")[1].strip("[] ")
    if codec not in _BARE:
        return 0
    raw = doc.xref_stream_raw(xref)
    bare = _BARE[codec](raw)
    if bare == raw:
        return 0
    parms = doc.xref_get_key(xref, "DecodeParms")
    doc.update_stream(xref, bare, compress=False)  # drops the filter: written back below
    doc.xref_set_key(xref, "Filter", codec)
    if parms[0] != "null":
        doc.xref_set_key(xref, "DecodeParms", parms[1])
    return 1
