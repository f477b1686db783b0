"""Reading a zip that may be hostile: every member judged before a byte of it is used.

Refused, with one clear sentence and nothing written: names that climb out of the bundle
(`..`), absolute names (`/x`, `C:x`, `\\\\host`), backslashes, control characters, empty
parts; symlinks and other special files; two members with the same name (also when they differ
only by case or Unicode normalisation, which collide on macOS and Windows); encrypted members
and unknown compression methods; members or totals above the size limits; compression ratios
only a zip bomb reaches; members whose data overlap (the "overlapping files" bomb); and any
member whose real size differs from what the directory claims (read with a hard cap).
"""

from __future__ import annotations

import io
import stat
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from dossier.errors import InputRefused
from dossier.i18n import _

MAX_MEMBERS = 5000
MAX_MEMBER_BYTES = 1024**3
MAX_TOTAL_BYTES = 4 * 1024**3
MAX_RATIO = 100
"""PDFs and text compress at most about 10:1; a bomb needs thousands."""
RATIO_FLOOR = 1024**2
"""Below this uncompressed size a high ratio is harmless (a short CSV of repeated commas)."""
MAX_NAME = 255
_READ_CHUNK = 1 << 20


@dataclass(frozen=True)
class Member:
    name: str
    size: int
    info: zipfile.ZipInfo


class SafeZip:
    """A zip whose directory passed every check; members are read with hard caps."""

    def __init__(
        self, data: bytes, *, label: str = "the bundle", opened: zipfile.ZipFile | None = None
    ) -> None:
        """`opened`: `data` as a `zipfile.ZipFile` already (its directory read to sniff what
        it is), whose directory is judged here as a new one would be, and closed with this."""
        self.label = label
        try:
            self._zip = opened or zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            raise InputRefused(
                _("{label} is not a readable zip file.").format(label=label)
            ) from None
        try:
            self.members = self._check_directory(len(data))
        except BaseException:
            self._zip.close()
            raise
        self.by_name = {m.name: m for m in self.members}

    def refuse(self, reason: str) -> InputRefused:
        return InputRefused(
            _("{label} was refused: {reason}; nothing was written.").format(
                label=self.label, reason=reason
            )
        )

    def _check_directory(self, archive_size: int) -> list[Member]:
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise self.refuse(
                _("it holds {count} files (at most {limit})").format(
                    count=len(infos), limit=MAX_MEMBERS
                )
            )
        members: list[Member] = []
        seen: dict[str, str] = {}
        total = 0
        for info in infos:
            name = info.filename
            check_name(name, self.refuse)
            kind = stat.S_IFMT(info.external_attr >> 16)
            if kind == stat.S_IFLNK:
                raise self.refuse(_("“{name}” is a symbolic link").format(name=name))
            if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
                raise self.refuse(_("“{name}” is not a regular file").format(name=name))
            if info.flag_bits & 0x1:
                raise self.refuse(_("“{name}” is encrypted inside the zip").format(name=name))
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise self.refuse(
                    _("“{name}” uses an unsupported compression method").format(name=name)
                )
            collision = unicodedata.normalize("NFC", name).casefold()
            if collision in seen:
                raise self.refuse(
                    _("two files are named “{collision}”").format(collision=seen[collision])
                )
            seen[collision] = name
            if name.endswith("/"):
                continue
            if info.file_size > MAX_MEMBER_BYTES:
                raise self.refuse(
                    _("“{name}” is larger than {n} MB").format(
                        name=name, n=MAX_MEMBER_BYTES // 1024**2
                    )
                )
            ratio = info.file_size / max(1, info.compress_size)
            if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
                raise self.refuse(
                    _("“{name}” expands {ratio:.0f} times (a zip bomb)").format(
                        name=name, ratio=ratio
                    )
                )
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise self.refuse(
                    _("its files add up to more than {n} GB").format(n=MAX_TOTAL_BYTES // 1024**3)
                )
            members.append(Member(name, info.file_size, info))
        _check_overlaps(infos, archive_size, self.refuse)
        return members

    def read(self, name: str, limit: int = MAX_MEMBER_BYTES) -> bytes:
        """The member's bytes, never more than its declared size nor `limit`."""
        member = self.by_name.get(name)
        if member is None:
            raise self.refuse(_("“{name}” is missing").format(name=name))
        cap = min(member.size, limit)
        if member.size > limit:
            raise self.refuse(_("“{name}” is larger than allowed for it").format(name=name))
        out = bytearray()
        try:
            with self._zip.open(member.info) as stream:
                while True:
                    chunk = stream.read(_READ_CHUNK)
                    if not chunk:
                        break
                    out += chunk
                    if len(out) > cap:
                        raise self.refuse(
                            _("“{name}” is larger than its directory entry says").format(name=name)
                        )
        except (
            zipfile.BadZipFile,
            OSError,
            ValueError,
            EOFError,
            zlib.error,
            NotImplementedError,
        ) as exc:
            raise self.refuse(
                _("“{name}” is damaged ({error})").format(name=name, error=exc.__class__.__name__)
            ) from None
        if len(out) != member.size:
            raise self.refuse(
                _("“{name}” is shorter than its directory entry says").format(name=name)
            )
        return bytes(out)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def check_name(name: str, refuse: Callable[[str], InputRefused]) -> None:
    """Refuse member names that could escape the archive or confuse a file system."""

    def no(reason: str) -> None:
        raise refuse(
            _("the file name “{name}” {reason}").format(name=printable(name), reason=reason)
        )

    if not name or len(name) > MAX_NAME:
        no(_("is empty or too long"))
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        no(_("contains control characters"))
    if "\\" in name:
        no(_("contains a backslash"))
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        no(_("is an absolute path"))
    parts = name.rstrip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        no(_("climbs out of the archive or has an empty part"))


def printable(name: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in name)[:80]


_LOCAL_HEADER = 30


def _check_overlaps(
    infos: list[zipfile.ZipInfo], archive_size: int, refuse: Callable[[str], InputRefused]
) -> None:
    """Each member's data must lie in its own range of the archive.

    A member occupies at least its local header, its name and its compressed data; the
    extra field's length is only known from the local header, so this is a lower bound, and
    zipfile checks the rest when the member is opened.
    """
    previous_end = 0
    for info in sorted(infos, key=lambda i: i.header_offset):
        start = info.header_offset
        end = start + _LOCAL_HEADER + len(info.orig_filename.encode()) + info.compress_size
        if start < previous_end:
            raise refuse(
                _("“{n}” overlaps another file (a zip bomb)").format(n=printable(info.filename))
            )
        if end > archive_size:
            raise refuse(
                _("“{n}” extends past the end of the archive").format(n=printable(info.filename))
            )
        previous_end = end
