"""A protected name drawn in a Type 3 font whose glyphs draw letters of a font of their own,
its /ToUnicode reading them as other letters, does not leave: the page shows the name, its
text does not say it."""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated.)

from __future__ import annotations

from pathlib import Path

import pymupdf

from dossier.services.workspace import Workspace
from tests.core.redact.test_names_in_lying_fonts import LIES, _set_to_unicode, _to_unicode
from tests.core.redact.test_names_in_pictures import MEMO, assert_hidden_on_every_page, pages_pdf


def _type3(page: pymupdf.Page) -> None:
    """The memo in a Type 3 font each of whose glyphs draws its letter in Helvetica, its
    /ToUnicode reading each letter as the next one."""
    doc = page.parent
    helvetica = doc.get_new_xref()
    doc.update_object(helvetica, "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>")
    # Each letter drawn by the code after its own: the content's strings do not spell it.
    codes = range(33, 128)
    helv = pymupdf.Font("helv")
    widths = [round(1000 * helv.glyph_advance(code - 1)) for code in codes]
    procs = []
    for code, width in zip(codes, widths, strict=True):
        proc = doc.get_new_xref()
        doc.update_object(proc, "<<>>")
        shown = chr(code - 1).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        doc.update_stream(proc, f"{width} 0 d0 BT /H 1000 Tf 0 0 Td ({shown}) Tj ET".encode())
        procs.append(f"/g{code} {proc} 0 R")
    names = " ".join(f"/g{code}" for code in codes)
    font = doc.get_new_xref()
    doc.update_object(
        font,
        "<</Type/Font/Subtype/Type3/FontBBox[0 -200 1000 1000]"
        "/FontMatrix[0.001 0 0 0.001 0 0]"
        f"/CharProcs<<{' '.join(procs)}>>/Encoding<</Type/Encoding/Differences[33 {names}]>>"
        f"/FirstChar 33/LastChar 127/Widths[{' '.join(map(str, widths))}]"
        f"/Resources<</Font<</H {helvetica} 0 R>>>>>>",
    )
    lie = LIES["other letters"]
    _set_to_unicode(doc, font, _to_unicode([(ord(c) + 1, lie(c)) for c in sorted(set(MEMO))], 1))
    resources = doc.xref_get_key(page.xref, "Resources")
    where = int(resources[1].split()[0])
    fonts = doc.xref_get_key(where, "Font")[1]
    doc.xref_set_key(where, "Font", fonts[:-2] + f" /T3 {font} 0 R>>")
    contents = doc.get_new_xref()
    doc.update_object(contents, "<<>>")
    shifted = "".join(chr(ord(c) + 1) for c in MEMO)
    doc.update_stream(contents, f"BT /T3 14 Tf 72 60 Td ({shifted}) Tj ET".encode())
    old = doc.xref_get_key(page.xref, "Contents")
    first = old[1][1:-1].strip() if old[0] == "array" else old[1]
    doc.xref_set_key(page.xref, "Contents", f"[{first} {contents} 0 R]")


def test_a_name_in_a_type_3_font_that_lies_is_hidden(workspace: Workspace, tmp_path: Path) -> None:
    source = pages_pdf(tmp_path / "r.pdf", [_type3])
    with pymupdf.open(source) as doc:
        assert "Quartermaine" not in doc[0].get_text()
    assert_hidden_on_every_page(workspace, source, tmp_path / "b.zip", 1)
