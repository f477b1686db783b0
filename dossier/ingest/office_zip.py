"""What a zip file is (Word, OpenDocument, something else) and whether it is safe to open.

Word and OpenDocument files are zips, and a hostile one is as dangerous as a hostile bundle:
its directory is judged by `dossier.zipsafe` before any member is inflated, with a lower total
than a bundle since an office document is read whole into memory.
"""

from __future__ import annotations

import io
import zipfile

from dossier.errors import InputRefused
from dossier.i18n import N_, _
from dossier.zipsafe import SafeZip

MAX_OFFICE_BYTES = 512 * 1024**2
"""Uncompressed total of an office document's parts; a real report with photos stays far below."""

DOCX = "docx"
ODT = "odt"
ZIP = "zip"

_ODT_MIMES = frozenset(
    {
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.text-template",
        "application/vnd.oasis.opendocument.text-master",
    }
)
_OTHER_OFFICE = {
    "xl/workbook.xml": N_("an Excel spreadsheet (.xlsx)"),
    "xl/workbook.bin": N_("an Excel spreadsheet (.xlsb)"),
    "ppt/presentation.xml": N_("a PowerPoint presentation (.pptx)"),
    "META-INF/container.xml": N_("an EPUB book"),
}


def sniffed_zip(data: bytes, name: str) -> tuple[str, zipfile.ZipFile]:
    """DOCX, ODT or ZIP for the bytes of a zip file, from the names and `mimetype` inside,
    and the zip read for it, open, its members unchecked: the caller closes it, or hands it
    to `checked_office_zip` (read again, its directory was a seventh of a small document's
    reading).

    Raises InputRefused for an Office format Dossier does not read yet.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        try:
            return _kind(archive, name), archive
        except BaseException:
            archive.close()
            raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, NotImplementedError):
        what = _DAMAGED.get(name.rsplit(".", 1)[-1].lower().rstrip("”\"'»\u00a0 "), N_("zip file"))
        raise InputRefused(
            _(
                "{name} is a damaged or truncated {what} and cannot be read;"
                " ask its sender for a new copy."
            ).format(name=name, what=_(what))
        ) from None


def _kind(archive: zipfile.ZipFile, name: str) -> str:
    names = set(archive.namelist())
    if "word/document.xml" in names:
        return DOCX
    if "mimetype" in names and "content.xml" in names:
        info = archive.getinfo("mimetype")
        if info.file_size < 200:
            mime = archive.read(info).decode("ascii", errors="replace").strip()
            if mime in _ODT_MIMES:
                return ODT
            raise InputRefused(
                _(
                    "{name} is an OpenDocument file of type {mime}, which Dossier cannot "
                    "import yet; save it as PDF first."
                ).format(name=name, mime=repr(mime))
            )
    for member, description in _OTHER_OFFICE.items():
        if member in names:
            raise InputRefused(
                _(
                    "{name} is {description}, which Dossier cannot import yet; save it as "
                    "PDF first."
                ).format(name=name, description=_(description))
            )
    return ZIP


_DAMAGED = {"docx": N_("Word file"), "odt": N_("OpenDocument file"), "zip": N_("zip archive")}


def checked_office_zip(data: bytes, name: str, opened: zipfile.ZipFile | None = None) -> SafeZip:
    """The office document's zip, open for its reader to read and close; refused if a bundle
    import would refuse it, or if it is too big. `opened`: as `sniffed_zip` left it."""
    archive = SafeZip(data, label=name, opened=opened)
    total = sum(member.size for member in archive.members)
    if total > MAX_OFFICE_BYTES:
        archive.close()
        raise InputRefused(
            _(
                "{name} was refused: its parts add up to {total} MB once unpacked (at "
                "most {MAX_OFFICE_BYTES} MB); nothing was written."
            ).format(
                name=name, total=total // 1024**2, MAX_OFFICE_BYTES=MAX_OFFICE_BYTES // 1024**2
            )
        )
    return archive
