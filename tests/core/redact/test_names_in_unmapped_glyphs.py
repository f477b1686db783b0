"""A protected name drawn in a font whose glyphs say no character (an embedded font without a
/ToUnicode map, as some printer drivers and typesetters write them) does not leave in the
glyphs that draw it.

Its text reads U+FFFD, or the glyphs' numbers as letters ("4XDUWHUPDLQH"): import, the marks
and the self-check never saw the name, and the export shipped it whole, on the page for anyone
to read, with a self-check that passed. The export reads such lines as the page shows them,
as it reads pictures and letters drawn as outlines, and boxes the name; the self-check reads
what is left of them too. The recipient reads the bundle by OCR (`tests.recipient`).
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated.)

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from dossier.redact import produce
from dossier.services.export.service import SelfCheckFailed
from dossier.services.workspace import Workspace
from tests.core.redact.test_names_in_pictures import (
    MEMO,
    _tessdata,
    assert_hidden_on_every_page,
    export_with_name_protected,
    pages_pdf,
)

pytestmark = pytest.mark.ocr


def unmapped(page: pymupdf.Page) -> None:
    """The memo's line in an embedded font whose character map is taken away."""
    doc = page.parent
    font = page.insert_font(fontname="memo", fontbuffer=pymupdf.Font("tiro").buffer)
    page.insert_text((72, 140), MEMO, fontname="memo", fontsize=14)
    doc.xref_set_key(font, "ToUnicode", "null")


def private(page: pymupdf.Page) -> None:
    """The memo in an embedded font whose /ToUnicode names each glyph a character of the
    Private Use Area (U+E000 + its number), as symbol-encoded fonts read: text that means
    nothing to a reader, and no U+FFFD."""
    doc = page.parent
    font = page.insert_font(fontname="memo", fontbuffer=pymupdf.Font("tiro").buffer)
    page.insert_text((72, 140), MEMO, fontname="memo", fontsize=14)
    blocks = "\n".join(
        "100 beginbfchar\n"
        + "\n".join(f"<{g:04x}> <{0xE000 + g:04x}>" for g in range(start, start + 100))
        + "\nendbfchar"
        for start in range(0, 1000, 100)
    )
    cmap = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{blocks}\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    )
    _kind, ref = doc.xref_get_key(font, "ToUnicode")
    doc.update_stream(int(ref.split()[0]), cmap.encode())


def test_the_memo_reads_as_no_character_at_all(tmp_path: Path) -> None:
    with pymupdf.open(pages_pdf(tmp_path / "r.pdf", [unmapped])) as doc:
        text = doc[0].get_text(flags=pymupdf.TEXT_CLIP)
    assert "Quarterly report" in text and "Quartermaine" not in text and "Memo" not in text


def test_a_name_in_glyphs_of_no_character_does_not_leave(
    workspace: Workspace, tmp_path: Path
) -> None:
    source = pages_pdf(tmp_path / "r.pdf", [unmapped])
    assert_hidden_on_every_page(workspace, source, tmp_path / "b.zip", 1)


def test_a_name_left_in_glyphs_of_no_character_stops_the_export(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tessdata()
    # The fault: nothing is boxed from what the pages show; the self-check must still read it.
    monkeypatch.setattr(produce, "_plan_pictures", lambda *args: [])
    out = tmp_path / "bundle.zip"
    with pytest.raises(SelfCheckFailed) as caught:
        export_with_name_protected(workspace, pages_pdf(tmp_path / "r.pdf", [unmapped]), out)
    assert "page 1" in str(caught.value) and "Quartermaine" not in str(caught.value)
    assert not out.exists()


def test_a_name_in_glyphs_of_private_characters_does_not_leave(
    workspace: Workspace, tmp_path: Path
) -> None:
    source = pages_pdf(tmp_path / "r.pdf", [private])
    with pymupdf.open(source) as doc:
        text = doc[0].get_text(flags=pymupdf.TEXT_CLIP)
    assert "Quarterly report" in text and "Quartermaine" not in text and "\ufffd" not in text
    assert_hidden_on_every_page(workspace, source, tmp_path / "b.zip", 1)
