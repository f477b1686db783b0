"""A protected name in a picture is read as the page shows it, or as a recipient extracting
the picture gets it, not only as its pixels are stored: letters held in a transparent PNG's
alpha over pixels all black, a screenshot shown as a thumbnail (drawn at fewer points than its
pixels), grey letters on a lighter grey; and over several pictures drawn against each other,
which no picture alone holds: a screenshot cut into strips by the program that wrote the PDF,
a line split over two pictures side by side ('Quarter' | 'maine'); and letters drawn as
outlines (`test_names_in_outlines`). The bundle is read by the
recipient's OCR (`tests.recipient`: every page as shown, every picture extracted)."""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated.)

from __future__ import annotations

import io
import itertools
from pathlib import Path

import pymupdf
import pytest
from PIL import Image

from dossier.redact import picture_text
from dossier.redact.picture_groups import touching_groups
from dossier.services.workspace import Workspace
from tests.core.redact.test_names_in_outlines import DRAWERS as OUTLINED
from tests.core.redact.test_names_in_pictures import (
    MEMO,
    SECRETS,
    _tessdata,
    assert_hidden_on_every_page,
    assert_the_self_check_finds_every_page,
    export_with_name_protected,
    pages_pdf,
    picture,
)
from tests.recipient import leaks

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


SPLIT = "Memo sent to Quartermaine on Monday"


def _grey(text: str) -> pymupdf.Pixmap:
    return pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.Pixmap(picture(text)))


def _cut(pixmap: pymupdf.Pixmap, x0: int, y0: int, x1: int, y1: int) -> pymupdf.Pixmap:
    rows = [pixmap.samples[y * pixmap.stride + x0 : y * pixmap.stride + x1] for y in range(y0, y1)]
    return pymupdf.Pixmap(pymupdf.csGRAY, x1 - x0, y1 - y0, b"".join(rows), False)


def in_strips(page: pymupdf.Page) -> None:
    """The memo cut into four strips of rows, drawn one under the other."""
    memo = _grey(MEMO)
    scale = 300 / memo.width
    cuts = [round(memo.height * k / 4) for k in range(5)]
    for top, bottom in itertools.pairwise(cuts):
        rect = pymupdf.Rect(72, 120 + top * scale, 372, 120 + bottom * scale)
        page.insert_image(rect, pixmap=_cut(memo, 0, top, memo.width, bottom))


def side_by_side(page: pymupdf.Page) -> None:
    """'Memo sent to Quarter' and 'maine on Monday' in two pictures that abut."""
    memo = _grey(SPLIT)
    scale = 300 / memo.width
    # Where "maine" starts: the width of the text before it, in the picture's pixels.
    margin = 14.0
    before = pymupdf.get_text_length(SPLIT[: SPLIT.index("maine")], "tiro", 14.0)
    split = round(
        (margin + before) * memo.width / (2 * margin + pymupdf.get_text_length(SPLIT, "tiro", 14.0))
    )
    for x0, x1 in ((0, split), (split, memo.width)):
        rect = pymupdf.Rect(72 + x0 * scale, 120, 72 + x1 * scale, 120 + memo.height * scale)
        page.insert_image(rect, pixmap=_cut(memo, x0, 0, x1, memo.height))


DRAWERS = (letters_in_alpha, thumbnail, faint, in_strips, side_by_side, *OUTLINED)


@pytest.mark.slow  # seven ways to draw a name, each read by OCR in four turns: ~17 CPU-s
def test_a_name_in_a_picture_as_it_is_shown_or_extracted_does_not_leave(
    workspace: Workspace, tmp_path: Path
) -> None:
    source = pages_pdf(tmp_path / "report.pdf", DRAWERS)
    assert_hidden_on_every_page(workspace, source, tmp_path / "bundle.zip", len(DRAWERS))


def test_the_self_check_reads_such_pictures_as_shown(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tessdata()
    pdf = pages_pdf(tmp_path / "r.pdf", DRAWERS)
    assert_the_self_check_finds_every_page(
        workspace, pdf, tmp_path / "b.zip", monkeypatch, len(DRAWERS)
    )


def test_pictures_apart_are_read_alone() -> None:
    boxes = [(0, 0, 10, 10), (11, 0, 20, 10), (40, 40, 50, 50), (0, 11.5, 10, 20), (70, 0, 80, 5)]
    assert touching_groups(boxes) == [[0, 1, 3]]


def long_screenshot() -> bytes:
    """A screenshot of a long thread: 40 lines of 11 pt text at 96 dpi (15 pixels a line),
    the name on the last but one."""
    with pymupdf.open() as doc:
        page = doc.new_page(width=460, height=40 * 30 + 20)
        for row in range(40):
            line = MEMO if row == 38 else f"Reply {row}: the cranes of the harbour were idle"
            page.insert_text((10, 30 + 30 * row), line, fontname="tiro", fontsize=11)
        return bytes(page.get_pixmap(dpi=96, colorspace=pymupdf.csGRAY).tobytes("png"))


def test_a_picture_holding_more_pixels_than_it_is_drawn_at_is_read_at_all_of_them(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tessdata()
    # Pictures larger than an A4 page at 300 dpi are read at fewer pixels than they hold: a
    # tenth of that here, so that a picture of 0.4 million pixels is such a picture.
    monkeypatch.setattr(picture_text, "MAX_READ_PIXELS", picture_text.MAX_READ_PIXELS // 40)
    screenshot = long_screenshot()
    with pymupdf.open() as doc:
        page = doc.new_page(width=300, height=500)
        page.insert_text((20, 30), "Thread attached below.", fontname="tiro", fontsize=11)
        page.insert_image(pymupdf.Rect(20, 40, 120, 480), stream=screenshot)
        doc.save(tmp_path / "thread.pdf")
    out = tmp_path / "bundle.zip"
    result = export_with_name_protected(workspace, tmp_path / "thread.pdf", out)
    assert result.documents[0].redactions["person"] >= 1
    assert leaks(out, SECRETS) == []
