"""Plain text and Markdown files: the text as written, one page per form feed.

Text exported from PDFs (`pdftotext`) and some court systems separates pages with a form feed
(U+000C); each such page becomes a `PageText`, so page references survive. The text is kept
as written (Markdown is not rendered: its markup is part of what the author typed), with line
ends unified to "\\n" and NFC normalisation, like every canonical text.
"""

from __future__ import annotations

import re
import unicodedata

from dossier.text.lang import guess_language
from dossier.text.model import ExtractedDocument, PageText

TEXT_EXTRACTOR_VERSION = "text-1"
TEXT_MIME = "text/plain"
MARKDOWN_MIME = "text/markdown"

_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t](.+)$", re.M)
"""A Markdown heading's line, what follows its hashes and a space read by `_heading`: the
pattern that read the title itself (`[ \\t]+(.+?)[ \\t#]*$`) tried the closing run of spaces
and hashes from every character of the line, a heading with 20,000 spaces inside 1.1 CPU-s."""


def canonical_plain_text(text: str) -> str:
    """Line ends unified, NFC, no byte-order mark: the form every text page is stored in."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def text_pages(text: str) -> list[PageText]:
    """One page per form-feed-separated part (a trailing form feed adds no page)."""
    parts = canonical_plain_text(text).split("\f")
    if len(parts) > 1 and not parts[-1].strip():
        parts.pop()
    return [PageText(index=number, text=part) for number, part in enumerate(parts)]


def _heading(rest: str) -> str:
    """The title of a heading whose line goes on with `rest` after its hashes and a space:
    without its closing hashes and spaces, but a title of hashes alone keeps one."""
    words = rest.lstrip(" \t")
    return (words.rstrip(" \t#") or words[:1]).strip()


def extract_plain_text(text: str, *, markdown: bool = False) -> ExtractedDocument:
    """An `ExtractedDocument` for decoded text; Markdown's first heading is its title."""
    pages = text_pages(text)
    title = None
    if markdown:
        heading = _ATX_HEADING.search(pages[0].text) if pages else None
        title = _heading(heading.group(1)) if heading else None
    return ExtractedDocument(
        pages=pages,
        extractor_version=TEXT_EXTRACTOR_VERSION,
        mime=MARKDOWN_MIME if markdown else TEXT_MIME,
        title=title,
        language=guess_language("\n\n".join(page.text for page in pages)),
    )
