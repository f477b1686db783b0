"""Photos of a page of text for the image and HEIC import tests, and the ink inside a
rectangle of a rendered page (to see that a highlight or a box lands on the words)."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from dossier.pdf.render import RenderedPage
from tests.pdfgen import text_page, write_pdf

SENTENCE = "Le préfet reconnaît que la caméra filmait la cour du collège."
OTHER = "The mayor confirmed the contract was signed in March."


def photo_pixels(tmp_path: Path, rotate: int) -> pymupdf.Pixmap:
    """A page of text rendered at 200 dpi, turned by `rotate` degrees as a camera held
    sideways would store it."""
    pdf = write_pdf(tmp_path / "page.pdf", [text_page(SENTENCE, OTHER, fontsize=16.0)])
    with pymupdf.open(pdf) as doc:
        matrix = pymupdf.Matrix(200 / 72, 200 / 72).prerotate(rotate)
        return doc[0].get_pixmap(matrix=matrix, colorspace=pymupdf.csRGB)


def ink(rendered: RenderedPage, rect: tuple[float, float, float, float]) -> float:
    """Share of dark pixels inside `rect` (page points) of a rendered page."""
    x0, y0, x1, y1 = (round(v * rendered.zoom) for v in rect)
    dark = total = 0
    for y in range(max(0, y0), min(rendered.height, y1)):
        row = y * rendered.stride
        for x in range(max(0, x0), min(rendered.width, x1)):
            total += 1
            dark += rendered.samples[row + 3 * x] < 128
    return dark / max(1, total)
