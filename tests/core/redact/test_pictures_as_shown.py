"""A protected name in a picture is read as the page shows it, or as a recipient extracting
the picture gets it, not only as its pixels are stored: letters held in a transparent PNG's
alpha over pixels all black, a screenshot shown as a thumbnail (drawn at fewer points than its
pixels), grey letters on a lighter grey. The bundle is read by the recipient's OCR
(`tests.recipient`: every page as shown, every picture extracted)."""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated.)

from __future__ import annotations

import io
from pathlib import Path

import pymupdf
import pytest
from PIL import Image

from dossier.services.workspace import Workspace
from tests.core.redact.test_names_in_pictures import (
    MEMO,
    SECRETS,
    _report,
    _tessdata,
    _zipped,
    export_with_name_protected,
    picture,
    refused_without_boxes_over_pictures,
)
from tests.recipient import leaks, picture_leaks

pytestmark = pytest.mark.ocr


def _letters() -> Image.Image:
    """The memo's line as grey levels: 0 where the letters are."""
    return Image.open(io.BytesIO(picture(MEMO))).convert("L")


def letters_in_alpha(page: pymupdf.Page) -> None:
    """A transparent PNG whose pixels are all black: its letters are its alpha alone."""
    letters = _letters()
    png = Image.new("RGBA", letters.size, (0, 0, 0, 0))
    png.putalpha(letters.point(lambda v: 255 - v))
    buffer = io.BytesIO()
    png.save(buffer, "PNG")
    page.insert_image(pymupdf.Rect(72, 120, 372, 150), stream=buffer.getvalue())


def thumbnail(page: pymupdf.Page) -> None:
    """A screenshot drawn at a sixth of its size: legible zoomed in, or extracted."""
    page.insert_image(pymupdf.Rect(72, 120, 122, 130), stream=picture(MEMO, dpi=300))


def faint(page: pymupdf.Page) -> None:
    """Grey letters on a lighter grey (a faded print, a watermark-like stamp)."""
    light = _letters().point(lambda v: 225 + v * 30 // 255)
    buffer = io.BytesIO()
    light.save(buffer, "PNG")
    page.insert_image(pymupdf.Rect(72, 120, 372, 150), stream=buffer.getvalue())


DRAWERS = (letters_in_alpha, thumbnail, faint)


def pictures_pdf(path: Path) -> Path:
    """One page per way of showing the name."""
    with pymupdf.open() as doc:
        for draw in DRAWERS:
            page = doc.new_page(width=420, height=200)
            _report(page)
            draw(page)
        doc.save(path)
    return path


def test_a_name_in_a_picture_as_it_is_shown_or_extracted_does_not_leave(
    workspace: Workspace, tmp_path: Path
) -> None:
    tessdata = _tessdata()
    source = pictures_pdf(tmp_path / "report.pdf")
    # The attack works on the original: the recipient's OCR reads the name in it.
    assert picture_leaks(_zipped(source), SECRETS, tessdata)
    out = tmp_path / "bundle.zip"
    result = export_with_name_protected(workspace, source, out)
    assert result.documents[0].redactions["person"] >= len(DRAWERS)
    assert leaks(out, SECRETS) == []
    assert picture_leaks(out, SECRETS, tessdata) == []


def test_the_self_check_reads_such_pictures_as_shown(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tessdata()
    pdf = pictures_pdf(tmp_path / "r.pdf")
    message = refused_without_boxes_over_pictures(workspace, pdf, tmp_path / "b.zip", monkeypatch)
    for number in range(1, len(DRAWERS) + 1):
        assert f"a picture on page {number}" in message
