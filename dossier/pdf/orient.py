"""Which way up a photographed page reads, found from its text when no EXIF tag says it.

A page photographed sideways or upside down, or scanned the wrong way round, reads as
nonsense: Tesseract still "finds" words, but hardly any of them is a French or English
function word. Such a page is read again, turned a quarter either way, then a half, on a
smaller rendering (about 1,600 pixels a side, enough to tell prose from noise), and the turn
whose reading holds clearly more function words wins. Only one way up reads as prose: the
first turn that does ends the search (each reading costs about half a second). A page that
already reads as prose, or that holds no text at all, costs nothing more than its one reading.

The turn is applied to the page itself (`dossier.pdf.images.image_to_pdf` with `turns`), so
the import's word boxes, the viewer, highlights, quotes and redaction boxes all use the page
upright, and it is recorded in the document so the same page is made again for display.
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated; we call them directly here.)

from __future__ import annotations

from pathlib import Path

from dossier.pdf.mupdf import exclusive, pymupdf
from dossier.pdf.ocr import ocr_reading
from dossier.text.lang import function_words

TURNS = (90, 270, 180)
"""Clockwise, as a PDF page's /Rotate; in the order tried (a phone held sideways first)."""
UPRIGHT_WORDS = 5
"""A page whose reading holds this many function words reads the right way up."""
MIN_WORDS = 3
"""A turn must give at least this many function words to be believed ..."""
MIN_GAIN = 2
"""... and at least this many times what the page gave as it stood."""
_SIDE_PIXELS = 1600
_MIN_DPI = 72
"""Tesseract distrusts (and warns on stderr about) anything below 70 dpi."""


def reads_upright(text: str) -> bool:
    return function_words(text) >= UPRIGHT_WORDS


def best_turn(pdf: bytes, index: int, tessdata: Path, as_it_stands: str) -> int:
    """0, 90, 180 or 270: the turn under which page `index` of `pdf` reads best.

    `as_it_stands` is the page's text read without a turn (at full resolution, so the page as
    it stands is not put at a disadvantage).
    """
    as_is = function_words(as_it_stands)
    best, most = 0, 0
    for turn in TURNS:
        found = function_words(_turned_reading(pdf, index, turn, tessdata))
        if found > most:
            best, most = turn, found
        if found >= UPRIGHT_WORDS and _believed(found, as_is):
            return turn
    return best if _believed(most, as_is) else 0


def _believed(found: int, as_is: int) -> bool:
    return found >= MIN_WORDS and found >= MIN_GAIN * max(1, as_is)


@exclusive
def _turned_reading(pdf: bytes, index: int, turn: int, tessdata: Path) -> str:
    """Page `index` turned by `turn`, read quickly (the MuPDF lock is held for one reading,
    so the viewer can draw between them)."""
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        page = doc[index]
        page.set_rotation(turn)
        page.remove_rotation()
        return _quick_reading(page, tessdata)


def _quick_reading(page: object, tessdata: Path) -> str:
    rect = page.rect  # type: ignore[attr-defined]
    longest = max(rect.width, rect.height, 1.0)
    dpi = max(_MIN_DPI, int(72 * _SIDE_PIXELS / longest))
    with ocr_reading(page, dpi, tessdata) as (ocr_page, textpage):
        text: str = ocr_page.get_text("text", textpage=textpage)
    return text
