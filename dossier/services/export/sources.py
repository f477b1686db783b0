"""What an export redacts for each kind of document: always a PDF, with the pages it addresses.

A PDF is its original. A photo or scan is the PDF page its import read (the same page the
viewer shows, so its drawn boxes and OCR words land where they were drawn), rebuilt from its
pixels. A text document (Word, OpenDocument, RTF, e-mail, web page, plain text, Markdown) is
typeset from its extracted text and read back, so its marks are found in the typeset words and
truly removed from the PDF that leaves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from dossier.errors import UsageError
from dossier.i18n import _
from dossier.ingest.image_file import turns_of
from dossier.ingest.plaintext import MARKDOWN_MIME
from dossier.pdf.extract import extract_pdf_bytes
from dossier.pdf.images import image_to_pdf
from dossier.pdf.readback import spelt_as_written
from dossier.pdf.textpdf import text_to_pdf
from dossier.redact.marks import Rules
from dossier.services.dto import DocumentInfo
from dossier.services.export.dto import ExportSource
from dossier.text.model import PageText

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace


def export_source(ws: Workspace, info: DocumentInfo, rules: Rules) -> ExportSource:
    """The PDF to redact for `info`, its pages, and the rules that apply to it."""
    original = ws.documents.original(info.id)
    if info.is_pdf:
        return ExportSource(original, ws.documents.pages(info.id), rules, picture=False)
    if info.mime.startswith("image/"):
        name = info.filename or "this image"
        pdf = image_to_pdf(original, name, turns_of(info.metadata))
        return ExportSource(pdf, ws.documents.pages(info.id), rules, picture=True)
    if rules.rects:
        # Boxes need pages of the document's own to sit on; dropping them would let their
        # words out. A text document's words are hidden with marks on the words themselves.
        raise UsageError(
            _(
                "document {id} is a text document with drawn boxes, which have no "
                "place on its typeset pages; mark the words to hide as terms instead, "
                "then export again"
            ).format(id=info.id)
        )
    return typeset(ws.documents.pages(info.id, with_words=False), rules, info)


def typeset(pages: Sequence[PageText], rules: Rules, info: DocumentInfo) -> ExportSource:
    """A text document's `pages` typeset as a PDF (as Markdown reads, for a Markdown note),
    and that PDF's own pages read back, spelt as the text where MuPDF reads other letters
    (`readback`)."""
    texts = [page.text for page in pages]
    data = text_to_pdf(texts, markdown=info.mime == MARKDOWN_MIME)
    read = extract_pdf_bytes(data, info.filename or "this document", ocr=False).pages
    return ExportSource(data, spelt_as_written(read, texts), rules, picture=False)
