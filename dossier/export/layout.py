"""A bundle's zip must be exactly its files: no byte outside what the signature covers.

The manifest's hashes cover each file's content and the signature covers the manifest; the zip
around them is only framing. A valid signature must not make anything else trustworthy, so the
framing is held to the one shape Dossier writes: the first file's header at byte 0, each file's
header, name and data followed at once by the next, no extra fields, comments or data
descriptors, no directory entries, the central directory right after the last file and the
end record, without a comment, as the last 22 bytes. Data prepended or appended, a zip
comment, a directory entry carrying data, bytes hidden between files: each is named.
"""

from __future__ import annotations

import io
import struct
import zipfile

_LOCAL = b"PK\x03\x04"
_CENTRAL = b"PK\x01\x02"
_END = b"PK\x05\x06"
_LOCAL_SIZE = 30
_CENTRAL_SIZE = 46
_END_SIZE = 22


def _shown(name: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in name)[:80]


def layout_problems(data: bytes) -> list[str]:
    """What in the zip `data` lies outside its files' names and contents ([] when nothing)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = sorted(archive.infolist(), key=lambda i: i.header_offset)
            comment = archive.comment
            start_dir = int(getattr(archive, "start_dir", -1))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return ["it is not a readable zip file"]
    problems: list[str] = []
    if comment:
        problems.append("the zip carries a comment, which no signature covers")
    position = 0
    for info in infos:
        name = _shown(info.filename)
        if info.header_offset != position:
            gap = info.header_offset - position
            where = "before the first file" if position == 0 else f"before “{name}”"
            problems.append(f"{abs(gap)} bytes outside any file {where}")
        header = data[info.header_offset : info.header_offset + _LOCAL_SIZE]
        if len(header) < _LOCAL_SIZE or header[:4] != _LOCAL:
            problems.append(f"“{name}” has no proper header")
            return problems
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        if info.filename.endswith("/"):
            carrying = " carrying data" if info.file_size or info.compress_size else ""
            problems.append(f"“{name}” is a directory entry{carrying}")
        if extra_len or info.extra:
            problems.append(f"“{name}” carries an extra field")
        if info.comment:
            problems.append(f"“{name}” carries a comment")
        if info.flag_bits & 0x08:
            problems.append(f"“{name}” is followed by a data descriptor")
        position = info.header_offset + _LOCAL_SIZE + name_len + extra_len + info.compress_size
    if start_dir != position:
        problems.append("there are bytes between the last file and the zip's directory")
        return problems
    for _ in infos:
        entry = data[position : position + _CENTRAL_SIZE]
        if len(entry) < _CENTRAL_SIZE or entry[:4] != _CENTRAL:
            problems.append("the zip's directory is malformed")
            return problems
        name_len, extra_len, comment_len = struct.unpack("<HHH", entry[28:34])
        position += _CENTRAL_SIZE + name_len + extra_len + comment_len
    end = data[position : position + _END_SIZE]
    if end[:4] != _END:
        problems.append("there are bytes between the zip's directory and its end record")
    elif len(data) != position + _END_SIZE:
        problems.append(f"{len(data) - position - _END_SIZE} bytes follow the end of the zip")
    return problems
