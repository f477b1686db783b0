"""Tar archives (plain, gzip, bzip2, xz) and single compressed files, read in memory.

A tarball is judged by the same rules as a zip (`dossier.zipsafe`): names that climb out or
are absolute, links (symbolic and hard), devices, FIFOs and sparse files, two members whose
names collide, too many members, members or totals above the limits. The compressed stream is
inflated by hand, in bounded steps, so a bomb is stopped by its ratio before it fills memory.
One bad member and the whole archive is refused, nothing written. Nothing is extracted to
disk: each member's bytes go straight to the import, as a zip's do.

A compressed file that is not a tarball ("minutes.pdf.gz") is one member: the file inside.
"""

from __future__ import annotations

import bz2
import io
import lzma
import tarfile
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath

from dossier.errors import InputRefused
from dossier.i18n import _, gettext
from dossier.ingest.archive import MAX_ARCHIVE_BYTES, archive_document, is_noise
from dossier.text.model import ExtractedDocument
from dossier.zipsafe import MAX_MEMBERS, MAX_RATIO, RATIO_FLOOR, check_name, printable

TAR_EXTRACTOR_VERSION = "tar-1"
TAR_MIME = "application/x-tar"
GZIP_MIME = "application/gzip"
BZIP2_MIME = "application/x-bzip2"
XZ_MIME = "application/x-xz"

_COMPRESSED: tuple[tuple[bytes, str, str], ...] = (
    (b"\x1f\x8b", "gzip", GZIP_MIME),
    (b"BZh", "bzip2", BZIP2_MIME),
    (b"\xfd7zXZ\x00", "xz", XZ_MIME),
)
_SUFFIXES = {"gzip": (".gz",), "bzip2": (".bz2",), "xz": (".xz",)}
MAX_TAR_RATIO = 500
"""Up to this ratio below `LARGE_FLOOR` (5,000 empty files are 10 MB of tar at about 300:1)."""
LARGE_FLOOR = 64 * 1024**2
"""Above this unpacked size, the zip rule (`zipsafe.MAX_RATIO`) holds."""
_FEED = 8 * 1024
_BLOCK = tarfile.BLOCKSIZE
"""Compressed bytes fed at a time: a bomb is seen within a few MB of output."""
_STEP = 1 << 20
_TAR_ERRORS = (tarfile.TarError, EOFError, ValueError, OverflowError, UnicodeError, KeyError)


def is_tar(head: bytes) -> bool:
    """A POSIX or GNU tar: "ustar" at offset 257 of the first header block."""
    return head[257:262] == b"ustar"


def compression(head: bytes) -> str | None:
    """ "gzip", "bzip2" or "xz" for a compressed stream, from its first bytes; else None."""
    for signature, method, _suffix in _COMPRESSED:
        if head.startswith(signature):
            if method == "bzip2" and (len(head) < 4 or head[3:4] not in b"123456789"):
                continue  # "BZh" then a block size digit; plain text may begin with "BZh"
            return method
    return None


def extract_tar(data: bytes, name: str, filename: str) -> ExtractedDocument:
    """The archive (or compressed file) as a list of its files, each handed over in `embedded`.

    `filename` is the file's own name: a lone "minutes.pdf.gz" holds "minutes.pdf".
    """
    refuse = _refuser(name)
    method = compression(data[:8])
    mime = TAR_MIME
    if method is not None:
        mime = next(m for _, label, m in _COMPRESSED if label == method)
        data = inflate(data, method, refuse)
        if not data:
            raise InputRefused(gettext("{name} is an empty compressed file.").format(name=name))
        if not is_tar(data[:512]):
            inner = _inner_name(filename, method)
            return archive_document([(inner, inner, data)], mime, TAR_EXTRACTOR_VERSION)
    entries = read_tar(data, refuse, ended=method is not None)
    if not entries:
        raise InputRefused(gettext("{name} is an archive without any file.").format(name=name))
    return archive_document(entries, mime, TAR_EXTRACTOR_VERSION)


def _refuser(name: str) -> Callable[[str], InputRefused]:
    def refuse(reason: str) -> InputRefused:
        return InputRefused(
            gettext("{name} was refused: {reason}; nothing was written.").format(
                name=name, reason=reason
            )
        )

    return refuse


def inflate(data: bytes, method: str, refuse: Callable[[str], InputRefused]) -> bytes:
    """The whole decompressed stream (concatenated members too), never more than the
    archive limit, and refused as a bomb as soon as it outgrows the compressed bytes read so
    far as only a bomb does (see `_bomb`)."""
    out = bytearray()
    view = memoryview(data)
    start = 0  # where the current compressed member begins
    while start < len(data):
        decoder = _Decoder(method)
        offset = start
        while not decoder.eof:
            if offset >= len(data):
                raise refuse(_("its {method} data is truncated").format(method=method))
            chunk = bytes(view[offset : offset + _FEED])
            offset += len(chunk)
            try:
                for produced in decoder.steps(chunk):
                    out += produced
                    if len(out) > MAX_ARCHIVE_BYTES:
                        raise refuse(
                            _("it holds more than {n} MB once unpacked").format(
                                n=MAX_ARCHIVE_BYTES // 1024**2
                            )
                        )
                    if _bomb(len(out), offset):
                        raise refuse(
                            _("it expands {n} times or more (a compression bomb)").format(
                                n=len(out) // offset
                            )
                        )
            except (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError):
                raise refuse(_("its {method} data is damaged").format(method=method)) from None
        start = offset - len(decoder.unused)
        if not any(view[start:]):
            break  # zero padding after the last member (tape blocks), as gzip allows
    return bytes(out)


def _bomb(produced: int, read: int) -> bool:
    """A tar of many small files is mostly headers and padding: it may expand a few hundred
    times over a few MB, never like a bomb (a thousand times and more) nor for long."""
    if produced > LARGE_FLOOR:
        return produced > MAX_RATIO * read
    return produced > RATIO_FLOOR and produced > MAX_TAR_RATIO * read


class _Decoder:
    """One compressed member, decoded in steps of at most `_STEP` bytes out."""

    def __init__(self, method: str) -> None:
        self._gzip = method == "gzip"
        self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._other: bz2.BZ2Decompressor | lzma.LZMADecompressor = (
            bz2.BZ2Decompressor() if method == "bzip2" else lzma.LZMADecompressor(lzma.FORMAT_XZ)
        )

    def steps(self, chunk: bytes) -> Iterator[bytes]:
        """What `chunk` decodes to, in bounded steps (the caller checks between them)."""
        if self._gzip:
            yield self._zlib.decompress(chunk, _STEP)
            while self._zlib.unconsumed_tail and not self._zlib.eof:
                yield self._zlib.decompress(self._zlib.unconsumed_tail, _STEP)
            return
        yield self._other.decompress(chunk, _STEP)
        while not self._other.eof and not self._other.needs_input:
            yield self._other.decompress(b"", _STEP)

    @property
    def eof(self) -> bool:
        return self._zlib.eof if self._gzip else self._other.eof

    @property
    def unused(self) -> bytes:
        return self._zlib.unused_data if self._gzip else self._other.unused_data


def _inner_name(filename: str, method: str) -> str:
    """ "minutes.pdf" for "minutes.pdf.gz"; a ".tgz" that holds no tarball keeps its name."""
    path = PurePosixPath(filename.replace("\\", "/")).name or "file"
    for suffix in _SUFFIXES[method]:
        if path.lower().endswith(suffix) and len(path) > len(suffix):
            return path[: -len(suffix)]
    return path


def read_tar(
    data: bytes, refuse: Callable[[str], InputRefused], *, ended: bool = False
) -> list[tuple[str, str, bytes]]:
    """Every regular file of the tarball `data`, judged before any is used. `ended`: the data
    is known whole (a compressed stream read to its own end)."""
    entries: list[tuple[str, str, bytes]] = []
    seen: dict[str, str] = {}
    total = 0
    count = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:", errors="replace") as tar:
            while True:
                info = tar.next()
                if info is None:
                    break
                count += 1
                if count > MAX_MEMBERS:
                    raise refuse(_("it holds more than {limit} files").format(limit=MAX_MEMBERS))
                member = info.name
                check_name(member, refuse)
                if info.issym() or info.islnk():
                    raise refuse(_("“{member}” is a link").format(member=printable(member)))
                if info.isdir():
                    continue
                if not info.isreg() or info.issparse():
                    raise refuse(
                        _("“{member}” is not a regular file").format(member=printable(member))
                    )
                collision = unicodedata.normalize("NFC", member).casefold()
                if collision in seen:
                    raise refuse(
                        _("two files are named “{n}”").format(n=printable(seen[collision]))
                    )
                seen[collision] = member
                total += info.size
                if total > MAX_ARCHIVE_BYTES:
                    raise refuse(
                        _("its files add up to more than {n} MB once unpacked").format(
                            n=MAX_ARCHIVE_BYTES // 1024**2
                        )
                    )
                stream = tar.extractfile(info)
                body = stream.read(info.size + 1) if stream is not None else b""
                if len(body) != info.size:
                    raise refuse(
                        _("“{member}” is shorter than its header says").format(
                            member=printable(member)
                        )
                    )
                if not is_noise(member):
                    entries.append((member, PurePosixPath(member).name, body))
            # `tarfile` ends the archive at the first header it cannot read; a whole one ends
            # with a block of zeros, one cut short (or damaged) at a part of a header. Some
            # writers leave the zeros out: a compressed stream's end vouches for its last file.
            if ended and tar.offset >= len(data):
                return entries
            if data[tar.offset : tar.offset + _BLOCK] != bytes(_BLOCK):
                raise refuse(_("it is cut short or damaged: its end is missing"))
    except InputRefused:
        raise
    except _TAR_ERRORS as exc:
        raise refuse(
            _("it is not a readable tar archive ({error})").format(error=exc.__class__.__name__)
        ) from None
    return entries
