"""Opening a PDF safely: the one place that turns MuPDF's failures into clear refusals.

Import, export and the viewer all open PDFs here (`open_pdf`, `open_pdf_bytes`, and the
`load_*` forms whose caller closes the document), so a file is refused with the same sentence
wherever it is met. Every call holds the MuPDF lock (`dossier.pdf.mupdf`). The file is opened
from its path: MuPDF reads it in place, so a 500 MB scan never has to sit in Python memory. An
original already in the vault exists on disk only encrypted, so it is opened from the decrypted
bytes instead (`open_pdf_bytes`; `dossier.pdf.render.open_stored_pdf` for display).

MuPDF writes its warnings and errors to stderr, where a desktop user never sees them and where
they clutter the CLI. We turn that printing off once, on import of this module. Nothing is
hidden by it: an error that stops MuPDF still raises, and is mapped below to a `DossierError`
chained to the original exception; warnings (a repaired cross-reference table, a damaged
content stream) stay in PyMuPDF's message store, which `drain_mupdf_messages` hands to the
debug log, and a repaired file is flagged by `Document.is_repaired`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dossier.errors import EnvironmentFailure, InputRefused, NotFoundError, PasswordRequired
from dossier.errors import quoted as quoted_name
from dossier.i18n import _
from dossier.pdf.mupdf import MUPDF_LOCK, exclusive, pymupdf

log = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
HEADER_WINDOW = 1024
"""Readers accept the `%PDF-` header anywhere in the first KiB (some producers put junk first)."""

with MUPDF_LOCK:
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)

# What MuPDF raises for a file it cannot read: several unrelated types for one cause.
MUPDF_ERRORS: tuple[type[BaseException], ...] = (
    RuntimeError,
    ValueError,
    pymupdf.mupdf.FzErrorBase,
)


def quoted(path: Path) -> str:
    """The file's name as messages show it (escaped: it comes from outside)."""
    return quoted_name(path.name)


def has_pdf_header(head: bytes) -> bool:
    """Whether the first bytes of a file announce a PDF."""
    return PDF_MAGIC in head[:HEADER_WINDOW]


def read_head(path: Path, size: int = HEADER_WINDOW) -> bytes:
    """The first `size` bytes of a file, with file-system failures as clear errors."""
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except FileNotFoundError:
        raise NotFoundError(_("{path} does not exist.").format(path=quoted(path))) from None
    except IsADirectoryError:
        raise InputRefused(_("{path} is a folder, not a file.").format(path=quoted(path))) from None
    except PermissionError:
        raise EnvironmentFailure(
            _("Dossier is not allowed to read {path}.").format(path=quoted(path))
        ) from None
    except OSError as exc:
        raise EnvironmentFailure(
            _("{path} cannot be read: {strerror}.").format(path=quoted(path), strerror=exc.strerror)
        ) from exc


@exclusive
def drain_mupdf_messages() -> None:
    """Move MuPDF's stored warnings to the debug log and empty the store (it only grows)."""
    messages = pymupdf.TOOLS.mupdf_warnings(reset=True)
    if messages:
        log.debug("MuPDF: %s", messages.replace("\n", " | "))


@exclusive
def load_pdf(path: Path, password: str | None = None) -> Any:
    """Open `path` as a PDF, authenticated and with at least one page; the caller closes it.

    Raises InputRefused (not a PDF, empty, damaged beyond repair, no pages), PasswordRequired
    (encrypted and no or a wrong password), NotFoundError or EnvironmentFailure.
    """
    head = read_head(path)
    if not head:
        raise InputRefused(_("{path} is empty.").format(path=quoted(path)))
    if not has_pdf_header(head):
        raise InputRefused(
            _("{path} is not a PDF file (it has no PDF header).").format(path=quoted(path))
        )
    try:
        # filetype="pdf": never let MuPDF guess another format (XPS, EPUB, images) from the name.
        doc = pymupdf.open(str(path), filetype="pdf")
    except pymupdf.FileNotFoundError:
        raise NotFoundError(_("{path} does not exist.").format(path=quoted(path))) from None
    except MUPDF_ERRORS as exc:
        drain_mupdf_messages()
        raise InputRefused(
            _(
                "{path} is damaged and cannot be read as a PDF; ask its sender for a new copy."
            ).format(path=quoted(path))
        ) from exc
    return _checked(doc, path, password)


@exclusive
def load_pdf_bytes(data: bytes, name: str, password: str | None = None) -> Any:
    """`load_pdf` for a file held in memory, e.g. an original the blob store decrypted: it is
    read from there and never written to disk in clear. `name` is only used in messages."""
    path = Path(name)
    if not data:
        raise InputRefused(_("{path} is empty.").format(path=quoted(path)))
    if not has_pdf_header(data[:HEADER_WINDOW]):
        raise InputRefused(
            _("{path} is not a PDF file (it has no PDF header).").format(path=quoted(path))
        )
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except MUPDF_ERRORS as exc:
        drain_mupdf_messages()
        raise InputRefused(
            _(
                "{path} is damaged and cannot be read as a PDF; ask its sender for a new copy."
            ).format(path=quoted(path))
        ) from exc
    return _checked(doc, path, password)


def _checked(doc: Any, path: Path, password: str | None) -> Any:
    """The opened document once unlocked and known to have pages; closed if it is refused."""
    try:
        _unlock(doc, path, password)
        try:
            # A page tree may claim any count (`/Count 99999999` in 209 bytes): MuPDF checks
            # it here and raises, which is a damaged file, not a bug.
            pages = doc.page_count
        except MUPDF_ERRORS as exc:
            raise InputRefused(
                _("{path} is damaged: its page tree is invalid.").format(path=quoted(path))
            ) from exc
        if pages < 1:
            raise InputRefused(_("{path} is a PDF without any page.").format(path=quoted(path)))
    except BaseException:
        doc.close()
        raise
    finally:
        drain_mupdf_messages()
    return doc


def _unlock(doc: Any, path: Path, password: str | None) -> None:
    # A file encrypted with only an owner password (the corpus' DMCA memo, the DD 293 form)
    # opens without one: `needs_pass` is false for it and we read it like any other.
    if not doc.needs_pass:
        return
    if password is None:
        raise PasswordRequired(
            _("{path} is protected by a password; enter it to open it.").format(path=quoted(path))
        )
    if not doc.authenticate(password):
        raise PasswordRequired(_("The password for {path} is wrong.").format(path=quoted(path)))


@exclusive
def close_pdf(doc: Any) -> None:
    """Close a document `load_pdf` or `load_pdf_bytes` returned, under the MuPDF lock."""
    doc.close()


@contextmanager
def open_pdf(path: Path, password: str | None = None) -> Iterator[Any]:
    """`with open_pdf(path) as doc:` — `load_pdf` that closes the document afterwards.

    The caller holds the lock (`with mupdf():` or `@exclusive`) while it uses `doc`.
    """
    doc = load_pdf(path, password)
    try:
        yield doc
    finally:
        close_pdf(doc)


@contextmanager
def open_pdf_bytes(data: bytes, name: str, password: str | None = None) -> Iterator[Any]:
    """`with open_pdf_bytes(data, name) as doc:` — `load_pdf_bytes` that closes it afterwards."""
    doc = load_pdf_bytes(data, name, password)
    try:
        yield doc
    finally:
        close_pdf(doc)
