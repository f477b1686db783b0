"""A redacted export reads each page's text a bounded number of times.

Each reading of a page's text makes MuPDF lay out every glyph again: a 352-page book took
seconds per reading of its pages. The pipeline reads a page's drawn glyphs (to plan boxes the
stored text missed), what is left after the invisible text goes (off-page text, text cut
away by a clipping path), and whether the page kept any text; no reading twice of a page
nothing changed in between. With names or terms to hide, its pictures are listed too (a
picture holding a name is read by OCR, `dossier.redact.picture_text`): one reading more.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from dossier.pdf.extract import extract_pdf
from dossier.redact.marks import PatternRule, Rules, TermRule
from dossier.redact.produce import redacted_copy
from tests.pdfgen import text_page, write_pdf

READS_PER_PAGE = 4
"""Drawn glyphs, the words left, the words shown within their clipping, any text kept."""

RULES = {
    "pattern": (Rules(patterns=(PatternRule("p", "email"),)), READS_PER_PAGE),
    "term": (Rules(terms=(TermRule("t", "term", "Zorglubinov"),)), READS_PER_PAGE + 1),
}
"""A term's export also lists each page's pictures (`picture_text.pictures_to_read`)."""


@pytest.mark.parametrize("kind", RULES)
def test_a_page_without_off_page_text_is_read_four_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    pages = [
        text_page(f"Page {n} : le témoin Zorglubinov a écrit à z@exemple.fr.") for n in range(5)
    ]
    source = write_pdf(tmp_path / "book.pdf", pages)
    stored = extract_pdf(source, ocr=False).pages
    reads: Counter[int] = Counter()
    made = pymupdf.Page.get_textpage

    def counted(page: Any, *args: Any, **kwargs: Any) -> Any:
        reads[page.number] += 1
        return made(page, *args, **kwargs)

    monkeypatch.setattr(pymupdf.Page, "get_textpage", counted)
    rules, per_page = RULES[kind]
    copy = redacted_copy(source.read_bytes(), stored, rules, name="book.pdf")
    assert sum(copy.counts.values()) == 5  # the pages were redacted: they were read for it
    assert reads == Counter(dict.fromkeys(range(5), per_page))
