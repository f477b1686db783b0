"""A box over a protected name hides all of its letters' ink even on a page MuPDF could not
redact, which the export rasterizes instead: the tails of its 'y' and 'Q' were left below it.

Boxes on a text page are shrunk across their line by a quarter of its height, so that text
redaction (which deletes every glyph a box touches, whole) spares the lines above and below. A
page whose content stream MuPDF cannot rewrite keeps its glyphs and is turned into a picture,
the boxes painted into its pixels: what of the glyphs stuck out of the shrunk box stayed.

Here the name is drawn in red and everything else in black: after the export, no red is left
on the page, as a recipient renders it.
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated.)

from __future__ import annotations

import zipfile
from pathlib import Path

import pymupdf
import pytest

from dossier.redact import produce
from dossier.services.export.service import ExportRequest
from dossier.services.workspace import Workspace

NAME = "Hyacinthe Quartermaine"
RED = (1.0, 0.0, 0.0)
LINES = (
    (100, "Le rapport du juge a été remis hier soir au greffe.", None),
    (160, "Le témoin", NAME),
    (180, "Une ligne ordinaire reste lisible après la remise.", None),
)


def _page(doc: pymupdf.Document) -> None:
    """The lines, the name in red after its line's first words, in MuPDF's Times at 16 pt."""
    page = doc.new_page()
    for y, text, name in LINES:
        page.insert_text((72, y), text, fontname="tiro", fontsize=16)
        if name:
            page.insert_text((150, y), name, fontname="tiro", fontsize=16, color=RED)


def _red_pixels(pdf: bytes) -> int:
    """Pixels of every page, rendered, that are red rather than black, grey or white."""
    count = 0
    with pymupdf.open("pdf", pdf) as doc:
        for page in doc:
            samples = page.get_pixmap(dpi=150, colorspace=pymupdf.csRGB, alpha=False).samples
            for at in range(0, len(samples), 3):
                count += samples[at] - max(samples[at + 1], samples[at + 2]) > 100
    return count


def test_no_ink_of_a_boxed_name_is_left_on_a_page_rasterized_instead(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fault: MuPDF cannot rewrite the page's content (`redact_page` says so).
    monkeypatch.setattr(produce, "redact_page", lambda page, rects, pictures=False: False)
    with pymupdf.open() as doc:
        _page(doc)
        source = doc.tobytes()
    assert _red_pixels(source) > 1000  # the name is there to be hidden
    case = workspace.cases.create("Greffe").id
    workspace.documents.import_bytes(case, source, "rapport.pdf")
    workspace.people.add(case, NAME, protection="protected")
    out = tmp_path / "bundle.zip"
    result = workspace.exports.export(ExportRequest(case=case, out=out))
    assert result.documents[0].rasterized_pages == [1]
    with zipfile.ZipFile(out) as bundle:
        (exported,) = [bundle.read(n) for n in bundle.namelist() if n.endswith(".pdf")]
    assert _red_pixels(exported) == 0
    with pymupdf.open("pdf", exported) as doc:  # the lines around stay readable
        text = doc[0].get_text()
    assert "Le rapport du juge" in text and "Une ligne ordinaire" in text
