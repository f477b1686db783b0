"""The page rendered for OCR stays under MAX_OCR_PIXELS whatever the page's size.

A photo imports as a page of its own size in points, one point per pixel: a 20,000 x 20,000
picture (a few KB of PNG) was rendered at no less than 72 dpi, 400 million pixels, and took
the import past 1.5 GB before Tesseract failed with a sentence blaming its data files.
"""

from __future__ import annotations

import pytest

from dossier.pdf.mupdf import pymupdf
from dossier.pdf.ocr import MAX_OCR_PIXELS, OCR_DPI, ocr_dpi


@pytest.mark.parametrize(
    "size",
    [(595, 842), (2384, 3370), (4000, 3000), (9000, 9000), (20000, 20000), (60000, 14400)],
)
def test_rendered_page_stays_under_the_pixel_bound(size: tuple[int, int]) -> None:
    with pymupdf.open() as document:
        page = document.new_page(width=size[0], height=size[1])
        dpi = ocr_dpi(page)
        pixels = (size[0] * dpi / 72) * (size[1] * dpi / 72)
    assert pixels <= MAX_OCR_PIXELS
    assert 1 <= dpi <= OCR_DPI


def test_a4_page_is_read_at_full_resolution() -> None:
    with pymupdf.open() as document:
        assert ocr_dpi(document.new_page(width=595, height=842)) == OCR_DPI
