"""A name boxed on a page read by OCR (a scan, a photo) is covered whole: the tops of its tall
letters and the tails of its low ones go under the box too.

Found using the app: a photo's exported copy showed the top of every letter of the protected
name above its box ('Andrej' then the tops of 'Milivojevic'). A box on a text page is made a
quarter of its line's height thinner so that it spares the lines above and below, and the
glyphs under it are removed whatever sticks out; on a picture, what sticks out stays in the
pixels. Tesseract's word box runs from above the tall letters down to the baseline, not to the
tails of 'p', 'g' or 'j' below it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.pdf.extract import extract_pdf_bytes
from dossier.pdf.mupdf import mupdf
from dossier.pdf.ocr import tessdata_dir
from dossier.redact.marks import Rules, TermRule, plan_page
from dossier.text.model import PageText, Word
from tests.pdfgen import scanned_page, write_pdf

pytestmark = pytest.mark.skipif(tessdata_dir() is None, reason="Tesseract data not installed")

ZOOM = 2.0
INK = 128


@pytest.mark.parametrize(
    "name",
    ["Philippe Quartermaine", "Jeanjacques Lightfoot", "Gypsy Highbridge"],
)
def test_every_ink_pixel_of_a_name_on_a_scan_is_under_its_box(tmp_path: Path, name: str) -> None:
    lines = ("Rapport de la commission", name, "signé hier au tribunal")
    data = write_pdf(tmp_path / "scan.pdf", [scanned_page(*lines, fontsize=18)]).read_bytes()
    page = extract_pdf_bytes(data, "scan.pdf").pages[0]
    assert page.ocr
    at = page.text.index(name)
    named = [w for w in page.words if w.start < at + len(name) and w.end > at]
    assert len(named) == 2, "OCR did not read the name as two words"
    boxes = plan_page(page, Rules(terms=(TermRule("t0", "term", name),))).rects
    assert boxes

    x0, x1 = min(w.x0 for w in named), max(w.x1 for w in named)
    y0, y1 = min(w.y0 for w in named), max(w.y1 for w in named)
    height = y1 - y0
    # The name's own paragraph: the lines around it are a blank line away.
    band = (y0 - 0.6 * height, y1 + 0.6 * height)
    with mupdf() as fitz, fitz.open(stream=data, filetype="pdf") as document:
        pix = document[0].get_pixmap(matrix=fitz.Matrix(ZOOM, ZOOM), colorspace=fitz.csGRAY)
        samples, width = pix.samples, pix.width
    uncovered = []
    for py in range(int(band[0] * ZOOM), int(band[1] * ZOOM) + 1):
        for px in range(int(x0 * ZOOM), int(x1 * ZOOM) + 1):
            if samples[py * width + px] >= INK:
                continue
            x, y = (px + 0.5) / ZOOM, (py + 0.5) / ZOOM
            if not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes):
                uncovered.append((round(x), round(y)))
    assert not uncovered, f"{len(uncovered)} ink pixels of {name!r} outside {boxes}"


def test_a_name_read_by_ocr_keeps_its_whole_box_beside_overlapping_words() -> None:
    """The corpus photo of a course handout: Tesseract's box for the table's header came down
    to mid-height of the name in the cell under it, and a rule of the table was read as a tall
    word across it; the name's box was cut down to the header's and the tops of its letters
    were left in the picture."""
    text = "Instructor\nAndrej Milivojevic\nlal"
    header = Word(571.2, 879.4, 855.1, 941.8, 0, 10, 0)
    first = Word(547.2, 934.1, 682.3, 1000.4, 11, 17, 1)
    name = Word(701.8, 934.1, 920.4, 1000.4, 18, 29, 1)
    stray = Word(628.8, 951.4, 799.5, 1097.4, 30, 33, 2)
    page = PageText(index=0, text=text, words=[header, first, name, stray], ocr=True)
    (box,) = plan_page(page, Rules(terms=(TermRule("t0", "term", "Milivojevic"),))).rects
    assert box[0] <= name.x0 and box[1] <= name.y0 and box[2] >= name.x1 and box[3] >= name.y1
