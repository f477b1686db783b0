"""A text document (Word, OpenDocument, e-mail, web page, plain text) typeset as PDF pages.

An export carries PDFs only: a document without pages of its own is laid out from its
extracted text (the text its quotes, marks and search hits address), each of its text pages
starting a new PDF page, paragraphs kept, in MuPDF's built-in fonts (with their fallbacks for
Greek, Cyrillic, Arabic, CJK...), so no font of the machine is needed and the same text always
gives the same PDF. The PDF is then redacted like any other (its words found by the PDF reader),
so the covered words are truly absent from it, not hidden under ink.
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated; we call them directly here.)

from __future__ import annotations

import html
import io
from collections.abc import Sequence

from dossier.pdf.mupdf import exclusive, pymupdf

PAGE = "a4"
MARGIN = 56.0
"""About 2 cm."""
_CSS = (
    "body { font-family: sans-serif; font-size: 11pt; line-height: 1.3; } p { margin: 0 0 6pt 0; }"
)


def _html(text: str) -> str:
    paragraphs = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(
        "<p>" + "<br/>".join(html.escape(line) for line in p.strip("\n").split("\n")) + "</p>"
        for p in paragraphs
    )


@exclusive
def text_to_pdf(pages: Sequence[str]) -> bytes:
    """A PDF of the text `pages`, each one starting on a new sheet."""
    out = io.BytesIO()
    writer = pymupdf.DocumentWriter(out)
    mediabox = pymupdf.paper_rect(PAGE)
    where = pymupdf.Rect(
        mediabox.x0 + MARGIN, mediabox.y0 + MARGIN, mediabox.x1 - MARGIN, mediabox.y1 - MARGIN
    )
    for text in pages or [""]:
        body = _html(text)
        story = pymupdf.Story(html=body or "<p></p>", user_css=_CSS)
        more = True
        while more:
            device = writer.begin_page(mediabox)
            more, _ = story.place(where)
            story.draw(device)
            writer.end_page()
    writer.close()
    return out.getvalue()
