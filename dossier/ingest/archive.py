"""Zip archives: one document listing the archive's files, and each file a child document.

A zip a source hands over is hostile until proven otherwise. It is judged by the same rules
as a bundle (`dossier.zipsafe`: names that climb out, absolute names, links and special files,
encrypted members, bombs, overlapping members, sizes that lie), with a lower total since every
member is held in memory: one bad member and the whole archive is refused, nothing written.
Nested archives are read in turn, to the import's depth limit. Members are never extracted to
disk: each one's bytes go straight to the import.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from dossier.errors import InputRefused
from dossier.i18n import _, gettext
from dossier.ingest.email_parts import safe_name
from dossier.ingest.plaintext import text_pages
from dossier.text.lang import guess_language
from dossier.text.model import EmbeddedFile, ExtractedDocument
from dossier.zipsafe import SafeZip

ARCHIVE_EXTRACTOR_VERSION = "zip-1"
ZIP_MIME = "application/zip"
MAX_ARCHIVE_BYTES = 1024**3
"""Unpacked total of one archive, all held in memory during its import."""
_NOISE = ("__MACOSX/", ".DS_Store", "Thumbs.db", "desktop.ini")
"""What file managers add to an archive, never what a source meant to send."""


def extract_zip(data: bytes, name: str) -> ExtractedDocument:
    """The archive as a list of its files; each file is handed over in `embedded`."""
    with SafeZip(data, label=name) as archive:
        members = [m for m in archive.members if not m.name.endswith("/") and not is_noise(m.name)]
        total = sum(member.size for member in members)
        if total > MAX_ARCHIVE_BYTES:
            raise archive.refuse(
                _(
                    "its files add up to {n} MB once unpacked (at most {n2} MB in one import)"
                ).format(n=total // 1024**2, n2=MAX_ARCHIVE_BYTES // 1024**2)
            )
        if not members:
            raise InputRefused(gettext("{name} is an archive without any file.").format(name=name))
        entries = [(m.name, PurePosixPath(m.name).name, archive.read(m.name)) for m in members]
    return archive_document(entries, ZIP_MIME, ARCHIVE_EXTRACTOR_VERSION)


def archive_document(
    entries: list[tuple[str, str, bytes]], mime: str, version: str
) -> ExtractedDocument:
    """The listing of an archive's files, each (path inside, file name, bytes) handed over
    as a child in `embedded`."""
    embedded = [
        EmbeddedFile(safe_name(name, f"file-{n}"), data, "member", path=path)
        for n, (path, name, data) in enumerate(entries, start=1)
    ]
    lines = [f"{path} ({_size(len(data))})" for path, _, data in entries]
    text = f"Archive of {len(entries)} files\n\n" + "\n".join(lines)
    return ExtractedDocument(
        pages=text_pages(text),
        extractor_version=version,
        mime=mime,
        language=guess_language(text),
        metadata={"files": str(len(entries))},
        embedded=embedded,
    )


def is_noise(member: str) -> bool:
    base = PurePosixPath(member).name
    return member.startswith(_NOISE[0]) or base in _NOISE[1:] or base.startswith("._")


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024**2:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024**2:.1f} MB"
