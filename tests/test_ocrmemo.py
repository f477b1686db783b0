"""The test run's memo of OCR readings (`tests.ocrmemo`) gives what Tesseract gives."""

# mypy: disallow-untyped-calls=False

from __future__ import annotations

from typing import Any

import pymupdf
import pytest

from dossier.pdf.ocr import tessdata_dir
from tests import ocrmemo


def _line(text: str) -> Any:
    with pymupdf.open() as doc:
        page = doc.new_page(width=300, height=40)
        page.insert_text((10, 28), text, fontname="tiro", fontsize=18)
        return page.get_pixmap(dpi=200, colorspace=pymupdf.csRGB)


def _words(pixmap: Any, tessdata: str) -> str:
    with pymupdf.open("pdf", pixmap.pdfocr_tobytes(language="eng", tessdata=tessdata)) as doc:
        return " ".join(doc[0].get_text().split())


def test_a_reading_asked_again_is_the_first_and_other_pixels_are_read_afresh() -> None:
    folder = tessdata_dir()
    if folder is None:
        pytest.skip("no Tesseract language data")
    assert getattr(pymupdf.Pixmap.pdfocr_save, "remembers", False)
    picture = _line("Harbour cranes")
    first = picture.pdfocr_tobytes(language="eng", tessdata=str(folder))
    held = len(ocrmemo._readings)
    assert picture.pdfocr_tobytes(language="eng", tessdata=str(folder)) == first
    assert len(ocrmemo._readings) == held
    # One word changed, the same size: read, not remembered.
    other = _line("Harbour cables")
    assert (other.width, other.height) == (picture.width, picture.height)
    assert _words(other, str(folder)) == "Harbour cables"
    assert _words(picture, str(folder)) == "Harbour cranes"
    # The same pixels at another resolution are another reading (the page's size changes).
    picture.set_dpi(100, 100)
    assert picture.pdfocr_tobytes(language="eng", tessdata=str(folder)) != first
