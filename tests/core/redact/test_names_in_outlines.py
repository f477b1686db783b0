"""A protected name drawn as outlines (a logo, a letterhead, a page a design tool or a printer
driver turned into curves: no font, no text to extract) does not leave in the paths that draw
it: the export reads such letters as the page shows them, rasterizes the page it boxes them on
(a box leaves a path it does not cover whole), and the self-check reads them too. The recipient
reads the bundle by OCR (`tests.recipient`); the pages here are exported and read with the
pictures' (`test_pictures_as_shown`)."""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated.)

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from dossier.redact import marks, produce
from dossier.redact.picture_groups import letter_groups
from dossier.services.export.service import SelfCheckFailed
from dossier.services.workspace import Workspace
from tests.core.redact.test_names_in_pictures import (
    MEMO,
    _tessdata,
    export_with_name_protected,
    pages_pdf,
)

pytestmark = pytest.mark.ocr


def _outlined(page: pymupdf.Page, text: str) -> None:
    """`text` drawn on `page` as the outlines of its letters, as a form (a logo pasted in)."""
    with pymupdf.open() as doc:
        sheet = doc.new_page(width=300, height=30)
        sheet.insert_text((10, 20), text, fontname="tiro", fontsize=14)
        svg = sheet.get_svg_image(text_as_path=True)
    with pymupdf.open("svg", svg.encode()) as drawn:
        data = drawn.convert_to_pdf()
    with pymupdf.open("pdf", data) as pdf:
        page.show_pdf_page(pymupdf.Rect(72, 120, 372, 150), pdf, 0)


def beside_text(page: pymupdf.Page) -> None:
    """A page with text of its own, the memo's line outlined below it."""
    _outlined(page, MEMO)


def outlines_alone(page: pymupdf.Page) -> None:
    """A page with no text at all: every letter a path (`_report` writes none here)."""
    page.clean_contents()
    (xref,) = page.get_contents()
    page.parent.update_stream(xref, b"")
    _outlined(page, MEMO)


DRAWERS = (beside_text, outlines_alone)


def test_shapes_apart_or_few_are_no_word() -> None:
    letter = (0.0, 0.0, 6.0, 10.0)
    row = [(x, 0.0, x + 6.0, 10.0) for x in (0.0, 7.0, 14.0, 40.0, 47.0)]
    assert letter_groups(row) == [(0.0, 0.0, 20.0, 10.0)]
    assert letter_groups([letter]) == []


def test_outlines_left_under_a_box_stop_the_export(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tessdata()
    # The fault: the boxes are planned and applied, the pages not rasterized; the paths a box
    # did not cover whole stay under it, drawing the name once the box is taken away. Boxes
    # as thin as a text page's (a box OCR read covers its letters whole, their paths removed).
    planned = produce._plan_pictures
    monkeypatch.setattr(produce, "_plan_pictures", lambda *args: planned(*args[:-1], set()))
    monkeypatch.setattr(marks, "OCR_MARGIN", -marks.SHRINK / 2)
    out = tmp_path / "bundle.zip"
    with pytest.raises(SelfCheckFailed) as caught:
        export_with_name_protected(workspace, pages_pdf(tmp_path / "r.pdf", DRAWERS), out)
    message = str(caught.value)
    assert "letters drawn as outlines under a redaction box" in message
    for number in range(1, len(DRAWERS) + 1):
        assert f"found in page {number}" in message
    assert not out.exists()
