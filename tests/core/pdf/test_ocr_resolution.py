"""The page rendered for OCR stays under MAX_OCR_PIXELS whatever the page's size, and a
picture is not enlarged past its own pixels once it has enough.

A photo imports as a page of its own size in points, one point per pixel: a 20,000 x 20,000
picture (a few KB of PNG) was rendered at no less than 72 dpi, 400 million pixels, and took
the import past 1.5 GB before Tesseract failed with a sentence blaming its data files.
"""

from __future__ import annotations

import io

import pytest

from dossier.pdf.images import image_to_pdf
from dossier.pdf.mupdf import pymupdf
from dossier.pdf.ocr import MAX_OCR_PIXELS, OCR_DPI, USEFUL_PIXELS, ocr_dpi


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


def _picture(width: int, height: int, dpi: int, kind: str, orientation: int = 1) -> bytes:
    from PIL import Image  # Pillow loads only where pictures are made

    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    Image.new("L", (width, height), 255).save(out, kind, dpi=(dpi, dpi), exif=exif)
    return out.getvalue()


@pytest.mark.parametrize(
    ("width", "height", "dpi", "kind", "orientation"),
    [
        (3024, 4032, 72, "JPEG", 1),  # a phone photo, 12 megapixels
        (4032, 3024, 96, "JPEG", 6),  # ... stored sideways, EXIF turns it upright
        (6000, 8000, 72, "JPEG", 8),  # 48 megapixels
        (2480, 3508, 300, "PNG", 1),  # an A4 scan at 300 dpi
        (4960, 7016, 600, "PNG", 1),  # ... at 600 dpi
        (1654, 2339, 200, "PNG", 1),  # ... at 200 dpi
        (1654, 2339, 72, "JPEG", 1),  # a 200-dpi scan whose file says nothing of it
        (800, 600, 72, "JPEG", 1),  # a small picture
        (20000, 300, 72, "PNG", 1),  # a panorama of a shop front
    ],
)
def test_a_picture_is_read_at_its_own_resolution_once_it_has_enough_pixels(
    width: int, height: int, dpi: int, kind: str, orientation: int
) -> None:
    """OCR of a phone photo took twice the time of OCR of a 300-dpi scan of the same page: its
    page (96 points per inch) was rendered at 300 dpi, five times its pixels, all interpolated.
    A picture is now rendered with its own pixels, enlarged only up to an A4 page at 300 dpi
    when it has fewer, never past 300 dpi nor `MAX_OCR_PIXELS`."""
    pdf = image_to_pdf(_picture(width, height, dpi, kind, orientation), "picture")
    with pymupdf.open(stream=pdf, filetype="pdf") as document:
        page = document[0]
        chosen = ocr_dpi(page, picture=True)
        inches = (page.rect.width / 72) * (page.rect.height / 72)
    rendered = inches * chosen**2
    pixels = width * height
    expected = min(max(pixels, USEFUL_PIXELS), inches * OCR_DPI**2, MAX_OCR_PIXELS)
    assert rendered == pytest.approx(expected, rel=0.05)
    assert 1 <= chosen <= OCR_DPI
