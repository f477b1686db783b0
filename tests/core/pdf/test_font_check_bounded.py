"""The import's check of fonts whose /ToUnicode lies costs a bounded number of glyphs drawn,
whatever a hostile PDF holds: a page's resources may name thousands of fonts, each with a map
of 20,000 codes (a copy of one font dict is a few dozen bytes), and each was drawn in full
under the MuPDF lock, the viewer waiting: 0.18 CPU-s a font here, half an hour for 10,000.
A small lying font among them is still named."""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated.)

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from dossier.pdf import glyphtruth
from dossier.pdf.glyphtruth import pages_whose_text_lies
from tests.core.redact.test_names_in_lying_fonts import (
    FONTS,
    LIES,
    _report_only,
    _set_to_unicode,
    _to_unicode,
)
from tests.core.redact.test_names_in_pictures import pages_pdf

_COPIES = 30
SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
"""Not the lying font's file: PyMuPDF gives one file inserted twice one font object."""


def _serif() -> bytes:
    if not SERIF.exists():
        pytest.skip("no DejaVu Serif on this machine")
    return SERIF.read_bytes()


def _decoys(page: pymupdf.Page) -> None:
    """A CID font whose map names 20,000 codes, and `_COPIES` dicts of it on the page, each
    a little different (an identical copy could be told by its text alone)."""
    doc = page.parent
    data = _serif()
    font = page.insert_font(fontname="decoy", fontbuffer=data)
    page.insert_text((72, 140), "Rapport", fontname="decoy", fontsize=14)
    glyphs = pymupdf.Font(fontbuffer=data)
    truth = {glyphs.has_glyph(c): chr(c) for c in range(0x20, 0x3000) if glyphs.has_glyph(c)}
    # Codes past the font's glyphs read as characters of no one's (private use): drawn and
    # followed as the others, contradicting nothing.
    pairs = [(code, truth.get(code, chr(0xE000 + code % 0x1000))) for code in range(1, 20_001)]
    _set_to_unicode(doc, font, _to_unicode(pairs, 2))
    source = doc.xref_object(font, compressed=True)
    names = []
    for number in range(_COPIES):
        copy = doc.get_new_xref()
        doc.update_object(copy, source[:-2] + f"/Decoy {number}>>")
        names.append(f"/D{number} {copy} 0 R")
    resources = int(doc.xref_get_key(page.xref, "Resources")[1].split()[0])
    fonts = doc.xref_get_key(resources, "Font")[1]
    doc.xref_set_key(resources, "Font", fonts[:-2] + " " + " ".join(names) + ">>")


def test_many_big_fonts_cost_a_bounded_check_and_a_lying_one_is_still_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[int] = []
    follow = glyphtruth.GlyphTruth._follow

    def counted(self: glyphtruth.GlyphTruth, page: Any) -> Any:
        # The codes of the sheet a font is drawn on (two bytes each, as these fonts' are).
        drawn.append(
            sum(len(code) for code in re.findall(rb"<([0-9a-f]*)>", page.read_contents())) // 4
        )
        return follow(self, page)

    monkeypatch.setattr(glyphtruth.GlyphTruth, "_follow", counted)
    lying = FONTS["CID-keyed TrueType"](LIES["two letters swapped"])
    pdf = pages_pdf(tmp_path / "r.pdf", [_decoys, _report_only, lying])
    with pymupdf.open(pdf) as doc:
        assert len(doc[0].get_fonts()) > _COPIES
        assert pages_whose_text_lies(doc) == [2]
    # At most what five fonts of the most codes a font is checked with draw (a CJK font's).
    assert sum(drawn) <= 100_000, (len(drawn), sum(drawn))


_RANGED = (
    b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Ranged def\n"
    b"1 begincodespacerange <00> <ff> endcodespacerange\n"
    b"2 beginbfrange\n<20> <7e> <0020>\n<a0> <a2> [<00a0> <00a1> <00a2>]\nendbfrange\n"
    b"endcmap CMapName currentdict /CMap defineresource pop end end\n"
)


@pytest.mark.parametrize("lying", [True, False])
def test_a_map_written_as_ranges_is_checked_code_by_code(tmp_path: Path, lying: bool) -> None:
    """A /ToUnicode of ranges (`<20> <7e> <0020>`: every code its own character) names the
    codes inside each range too: only its two ends were drawn, so Helvetica told by its
    /Encoding to draw "Wilhelmina" where its text says "Xjmifmnjob" marked no page."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 140), "Xjmifmnjob a rencontré le préfet", fontname="helv", fontsize=14)
    (font,) = [f[0] for f in page.get_fonts() if f[3] == "Helvetica"]
    if lying:
        # Each of these codes draws the glyph of the letter before it: X draws W, j draws i...
        shifted = " ".join(f"{ord(c)} /{chr(ord(c) - 1)}" for c in "Xjmifnob")
        differences = f"/BaseEncoding /WinAnsiEncoding /Differences [{shifted}]"
        doc.xref_set_key(font, "Encoding", f"<< /Type /Encoding {differences} >>")
    _set_to_unicode(doc, font, _RANGED)
    path = tmp_path / "ranged.pdf"
    doc.save(path)
    with pymupdf.open(path) as saved:
        assert "Xjmifmnjob" in saved[0].get_text()
        assert pages_whose_text_lies(saved) == ([0] if lying else [])
