"""Old Microsoft compound files (OLE2): what they are, read with olefile from memory.

The same container holds a Word 97-2003 document, an Excel workbook, an Outlook message and a
password-protected modern Office file. Only the names of the streams inside tell them apart.
"""

from __future__ import annotations

from dossier.errors import InputRefused
from dossier.i18n import _

OUTLOOK = "msg"

_CONVERT = (
    "open it in Word or LibreOffice and save it as .docx or PDF "
    "(or run: soffice --headless --convert-to docx FILE), then import that"
)


def ole_kind(data: bytes, name: str) -> str:
    """OUTLOOK for an Outlook message; InputRefused with the way forward for anything else."""
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=True)}
    except (OSError, ValueError, IndexError, TypeError, NotImplementedError, RecursionError):
        # olefile raises OSError for what is not, or is no longer, a compound file, and
        # RecursionError for a directory that holds itself: it lists it as a tree, forever.
        raise InputRefused(
            _(
                "{name} is a damaged Microsoft Office file and cannot be read;"
                " ask its sender for a new copy."
            ).format(name=name)
        ) from None
    if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
        raise InputRefused(
            _(
                "{name} is a password-protected Office document; open it with its "
                "password, save a copy without one (File › Info › Protect Document), "
                "then import that."
            ).format(name=name)
        )
    if "__properties_version1.0" in streams or any(s.startswith("__substg1.0_") for s in streams):
        return OUTLOOK
    if "WordDocument" in streams:
        raise InputRefused(
            _(
                "{name} is an old Word document (.doc), which Dossier does not read: {CONVERT}."
            ).format(name=name, CONVERT=_CONVERT)
        )
    if "Workbook" in streams or "Book" in streams:
        raise InputRefused(
            _(
                "{name} is an old Excel workbook (.xls), which Dossier does not read; "
                "save it as PDF first."
            ).format(name=name)
        )
    if "PowerPoint Document" in streams:
        raise InputRefused(
            _(
                "{name} is an old PowerPoint presentation (.ppt), which Dossier does "
                "not read; save it as PDF first."
            ).format(name=name)
        )
    raise InputRefused(
        _(
            "{name} is an old Microsoft Office file of a kind Dossier does not "
            "read; save it as PDF first."
        ).format(name=name)
    )
