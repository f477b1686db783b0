"""The recipient's reading of a bundle's pictures (`tests.recipient`) stops only once it has
found every secret: a secret only a later picture shows is still found."""

# mypy: disallow-untyped-calls=False

from __future__ import annotations

import io
import zipfile

import pymupdf
import pytest

from dossier.pdf.ocr import tessdata_dir
from tests.recipient import picture_leaks, seen_in_pictures

pytestmark = pytest.mark.ocr


def _picture(text: str) -> bytes:
    with pymupdf.open() as doc:
        page = doc.new_page(width=160, height=40)
        page.insert_text((12, 27), text, fontname="tiro", fontsize=18)
        return bytes(page.get_pixmap(dpi=150, colorspace=pymupdf.csRGB).tobytes("png"))


def _bundle() -> tuple[bytes, bytes]:
    """A page showing 'Wilhelmina' in its text, and 'Quartermaine' in a picture drawn too
    small to read on the page (half a point high), read only once extracted and enlarged."""
    with pymupdf.open() as doc:
        page = doc.new_page(width=200, height=60)
        page.insert_text((12, 30), "Wilhelmina", fontname="tiro", fontsize=18)
        page.insert_image(pymupdf.Rect(12, 50, 14, 50.5), stream=_picture("Quartermaine"))
        pdf = doc.tobytes()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.pdf", pdf)
    return out.getvalue(), pdf


def test_a_secret_only_a_later_picture_shows_is_found() -> None:
    folder = tessdata_dir()
    if folder is None:
        pytest.skip("no Tesseract language data")
    bundle, pdf = _bundle()
    first, *pictures = seen_in_pictures(pdf, str(folder))
    # The page alone shows the first name only: the second is found by reading further.
    assert "Wilhelmina" in first and "Quartermaine" not in first
    assert any("Quartermaine" in text for text in pictures)
    assert picture_leaks(bundle, ["Quartermaine", "Wilhelmina"], str(folder)) == [
        "a.pdf: Quartermaine",
        "a.pdf: Wilhelmina",
    ]
