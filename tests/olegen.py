"""Minimal OLE2 compound files made at test time: a `.doc`, `.xls` or encrypted Office file is
told apart by the names of its streams, and nothing in Python's standard library writes one."""

from __future__ import annotations

import struct

_SECTOR = 512
_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_STREAM_BYTES = 4096
"""At the mini-stream cutoff, so each stream lives in ordinary sectors (no mini FAT needed)."""


def ole_file(*stream_names: str) -> bytes:
    """A compound file holding one 4 KiB stream per name (at most three)."""
    assert 1 <= len(stream_names) <= 3
    per_stream = _STREAM_BYTES // _SECTOR
    fat = [_FATSECT, _END]
    for number in range(len(stream_names)):
        first = 2 + number * per_stream
        fat += [*range(first + 1, first + per_stream), _END]
    fat += [_FREE] * (_SECTOR // 4 - len(fat))
    entries = [_entry("Root Entry", 5, _END, 0, child=1)]
    for number, name in enumerate(stream_names):
        right = number + 2 if number + 1 < len(stream_names) else _NOSTREAM
        entries.append(_entry(name, 2, 2 + number * per_stream, _STREAM_BYTES, right=right))
    entries += [bytes(128)] * (4 - len(entries))
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, _STREAM_BYTES, _END, 0, _END, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", _FREE) * 108
    body = struct.pack(f"<{len(fat)}I", *fat) + b"".join(entries)
    body += b"\x00" * (_STREAM_BYTES * len(stream_names))
    return header + body


def _entry(
    name: str, kind: int, start: int, size: int, *, child: int = _NOSTREAM, right: int = _NOSTREAM
) -> bytes:
    encoded = (name + "\x00").encode("utf-16-le")
    raw = encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1)
    raw += struct.pack("<III", _NOSTREAM, right, child) + bytes(16 + 4 + 16)
    return raw + struct.pack("<IQ", start, size)
