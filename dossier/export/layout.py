"""A bundle's zip must be exactly its files: no byte outside what the signature covers.

The manifest's hashes cover each file's content and the signature covers the manifest; the zip
around them is only framing. A valid signature must not make anything else trustworthy, so the
framing is held to the one shape Dossier writes, field by field:

- the first file's header at byte 0, each file's header, name and data followed at once by the
  next, the central directory right after the last file, the end record (without a comment) as
  the last 22 bytes: nothing prepended, appended or hidden between;
- no extra fields, comments, data descriptors or directory entries;
- every local header saying exactly what its directory entry says (versions, flags, method,
  time, checksum, sizes, name), and both giving the one time stamp the manifest's creation time
  gives, regular-file permissions, zip 2.0 versions, no disk numbers;
- the end record counting exactly the entries and bytes of the directory.

So every byte of a bundle is either a signed file's name or content, the signature itself, or a
field whose only allowed value follows from them.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Sequence
from datetime import datetime

from dossier.i18n import _

_LOCAL = b"PK\x03\x04"
_CENTRAL = b"PK\x01\x02"
_END = b"PK\x05\x06"
_LOCAL_FMT = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL_FMT = struct.Struct("<4sBBBBHHHHIIIHHHHHII")
_END_FMT = struct.Struct("<4sHHHHIIH")
ZIP_VERSION = 20
"""Zip 2.0, what Python's zipfile writes for stored and deflated members."""
REGULAR_FILE = 0o100644 << 16
SYSTEMS = (0, 3)
"""MS-DOS and Unix, what zipfile records depending on the platform that wrote the bundle."""
FLAGS = (0, 0x800)
"""No flag, or names in UTF-8."""


def _shown(name: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in name)[:80]


def dos_time(stamp: Sequence[int]) -> tuple[int, int]:
    """(time, date) fields of a zip time stamp (year, month, day, hour, minute, second)."""
    year, month, day, hour, minute, second = stamp
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


def zip_time(created_at: str) -> tuple[int, int, int, int, int, int]:
    """The time stamp of every entry of a bundle created at `created_at` (ISO 8601)."""
    moment = datetime.fromisoformat(created_at)
    return (max(1980, moment.year), moment.month, moment.day, moment.hour, moment.minute, 0)


def layout_problems(data: bytes, stamp: Sequence[int] | None = None) -> list[str]:
    """What in the zip `data` lies outside its files' names and contents ([] when nothing);
    `stamp`: the time every entry must carry (from the signed manifest), when known."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = sorted(archive.infolist(), key=lambda i: i.header_offset)
            comment = archive.comment
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return ["it is not a readable zip file"]
    problems: list[str] = []
    if comment:
        problems.append(_("the zip carries a comment, which no signature covers"))
    if len({tuple(i.date_time) for i in infos}) > 1:
        problems.append(_("its entries carry different times (a bundle's all share one)"))
    position = 0
    for info in infos:
        name = _shown(info.filename)
        if info.header_offset != position:
            gap = info.header_offset - position
            where = "before the first file" if position == 0 else f"before “{name}”"
            return [*problems, f"{abs(gap)} bytes outside any file {where}"]
        if data[position : position + 4] != _LOCAL:
            return [*problems, f"“{name}” has no proper header"]
        problems += _entry(info, data, position, stamp)
        raw_name = info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437")
        position = info.header_offset + _LOCAL_FMT.size + len(raw_name) + info.compress_size
    if problems:
        return problems
    start_dir = position
    for info in infos:
        problems += _central(data, position, info)
        if problems:
            return problems
        name_len, extra_len, comment_len = struct.unpack(
            "<HHH", data[position + 28 : position + 34]
        )
        position += _CENTRAL_FMT.size + name_len + extra_len + comment_len
    return _end(data, position, start_dir, len(infos))


def _entry(
    info: zipfile.ZipInfo, data: bytes, position: int, stamp: Sequence[int] | None
) -> list[str]:
    name = _shown(info.filename)
    problems: list[str] = []
    header = data[position : position + _LOCAL_FMT.size]
    if len(header) < _LOCAL_FMT.size:
        return [f"“{name}” has no proper header"]
    (_sig, version, flags, method, time, date, crc, csize, usize, name_len, extra_len) = (
        _LOCAL_FMT.unpack(header)
    )
    local_name = data[position + _LOCAL_FMT.size : position + _LOCAL_FMT.size + name_len]
    expected_time = dos_time(info.date_time)
    if info.filename.endswith("/"):
        carrying = " carrying data" if info.file_size or info.compress_size else ""
        problems.append(
            _("“{name}” is a directory entry{carrying}").format(name=name, carrying=carrying)
        )
    if extra_len or info.extra:
        problems.append(_("“{name}” carries an extra field").format(name=name))
    if info.comment:
        problems.append(_("“{name}” carries a comment").format(name=name))
    if info.flag_bits not in FLAGS:
        problems.append(
            _("“{name}” has unexpected flags (a data descriptor or hidden bits)").format(name=name)
        )
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    if (version, flags, method, (time, date), crc, csize, usize, local_name) != (
        info.extract_version,
        info.flag_bits,
        info.compress_type,
        expected_time,
        info.CRC,
        info.compress_size,
        info.file_size,
        info.orig_filename.encode(encoding),
    ):
        problems.append(
            _("the header of “{name}” differs from its directory entry").format(name=name)
        )
    if stamp is not None and tuple(info.date_time) != tuple(stamp):
        problems.append(_("“{name}” carries another time than the bundle's").format(name=name))
    if (info.create_version, info.extract_version) != (ZIP_VERSION, ZIP_VERSION):
        problems.append(_("“{name}” names an unexpected zip version").format(name=name))
    if info.create_system not in SYSTEMS or info.external_attr != REGULAR_FILE:
        problems.append(_("“{name}” carries unexpected file attributes").format(name=name))
    if info.internal_attr or info.volume or info.reserved:
        problems.append(_("“{name}” carries unexpected directory fields").format(name=name))
    return problems


def _central(data: bytes, position: int, info: zipfile.ZipInfo) -> list[str]:
    entry = data[position : position + _CENTRAL_FMT.size]
    if len(entry) < _CENTRAL_FMT.size or entry[:4] != _CENTRAL:
        return ["there are bytes between the last file and the zip's directory"]
    fields = _CENTRAL_FMT.unpack(entry)
    if fields[-1] != info.header_offset:
        return ["the zip's directory is not in the order of its files"]
    return []


def _end(data: bytes, position: int, start_dir: int, count: int) -> list[str]:
    end = data[position : position + _END_FMT.size]
    if len(end) < _END_FMT.size or end[:4] != _END:
        return ["there are bytes between the zip's directory and its end record"]
    _sig, disk, disk_dir, here, total, size, offset, comment_len = _END_FMT.unpack(end)
    problems: list[str] = []
    if (disk, disk_dir, here, total, size, offset) != (
        0,
        0,
        count,
        count,
        position - start_dir,
        start_dir,
    ):
        problems.append(_("the zip's end record does not describe its directory exactly"))
    trailing = len(data) - position - _END_FMT.size
    if comment_len or trailing:
        problems.append(_("{trailing} bytes follow the end of the zip").format(trailing=trailing))
    return problems
