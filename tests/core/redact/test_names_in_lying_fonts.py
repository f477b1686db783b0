"""A protected name drawn in a font whose /ToUnicode map lies about its glyphs does not leave.

A broken producer, or someone who wants a name past redaction tools, writes a map that reads
the glyphs drawing "Quartermaine" as other ordinary letters ("Rvbsufsnbjof"), as symbols, as
spaces, as combining marks or as nothing. The page shows the name, the recipient reads it (and
OCR does); the text says something else, so no mark found it and the export shipped it whole
with a self-check that passed. The glyphs each font draws are checked against what the font's
own character map says they are (`dossier.pdf.glyphtruth`); those whose text lies, or cannot
be checked, are read as the page shows them, at export and in the self-check.
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated.)

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from dossier.pdf.extract import extract_pdf
from dossier.pdf.glyphtruth import GlyphTruth
from dossier.pdf.ocr import ocr_words
from dossier.redact import picture_text
from dossier.services.workspace import Workspace
from tests.core.redact.test_names_in_pictures import (
    MEMO,
    _tessdata,
    assert_hidden_on_every_page,
    pages_pdf,
    refused_without_boxes_over_pictures,
)

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

Lie = Callable[[str], str]

LIES: dict[str, Lie] = {
    "other letters": lambda c: chr(ord(c) + 1) if c.isalpha() else c,
    "symbols": lambda c: chr(0xA4 + ord(c) % 20) if c.isalpha() else c,
    "spaces": lambda c: " ",
    "combining marks": lambda c: "\u0301" if c.isalpha() else c,
    "letters of the next word": lambda c: "harbour"[ord(c) % 7] if c.isalpha() else c,
    "two letters swapped": lambda c: {"a": "e", "e": "a"}.get(c, c),
}


def _to_unicode(pairs: list[tuple[int, str]], width: int) -> bytes:
    """A /ToUnicode CMap mapping each code of `width` bytes to its text (UTF-16)."""
    digits = 2 * width
    lines = "\n".join(
        f"<{code:0{digits}x}> <{text.encode('utf-16-be').hex()}>" for code, text in pairs
    )
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        f"1 begincodespacerange\n<{'0' * digits}> <{'f' * digits}>\nendcodespacerange\n"
        f"{len(pairs)} beginbfchar\n{lines}\nendbfchar\n"
        "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode()


def _set_to_unicode(doc: pymupdf.Document, font: int, cmap: bytes) -> None:
    kind, ref = doc.xref_get_key(font, "ToUnicode")
    if kind == "xref":
        doc.update_stream(int(ref.split()[0]), cmap)
        return
    stream = doc.get_new_xref()
    doc.update_object(stream, "<<>>")
    doc.update_stream(stream, cmap)
    doc.xref_set_key(font, "ToUnicode", f"{stream} 0 R")


def embedded(buffer: Callable[[], bytes], lie: Lie) -> Callable[[pymupdf.Page], None]:
    """The memo in an embedded font (a CID font, each code its glyph's number) whose
    /ToUnicode reads each glyph of the memo as `lie` says."""

    def draw(page: pymupdf.Page) -> None:
        data = buffer()
        font = page.insert_font(fontname="memo", fontbuffer=data)
        page.insert_text((72, 140), MEMO, fontname="memo", fontsize=14)
        glyphs = pymupdf.Font(fontbuffer=data)
        pairs = [(glyphs.has_glyph(ord(c)), lie(c)) for c in sorted(set(MEMO))]
        _set_to_unicode(page.parent, font, _to_unicode(pairs, 2))

    return draw


def standard(lie: Lie) -> Callable[[pymupdf.Page], None]:
    """The memo in a simple font of the standard 14, not embedded (Helvetica, each code a
    byte of WinAnsi), given a /ToUnicode that reads each of its letters as `lie` says."""

    def draw(page: pymupdf.Page) -> None:
        page.insert_text((72, 140), MEMO, fontname="helv", fontsize=14)
        (font,) = [f[0] for f in page.get_fonts() if f[3] == "Helvetica"]
        pairs = [(ord(c), lie(c)) for c in sorted(set(MEMO))]
        _set_to_unicode(page.parent, font, _to_unicode(pairs, 1))

    return draw


def _dejavu() -> bytes:
    if not DEJAVU.exists():
        pytest.skip("no DejaVu Sans on this machine")
    return DEJAVU.read_bytes()


def simple_truetype(lie: Lie) -> Callable[[pymupdf.Page], None]:
    """The memo in a simple TrueType font, embedded (each code a byte of WinAnsi), given a
    /ToUnicode that reads each of its letters as `lie` says."""

    def draw(page: pymupdf.Page) -> None:
        font = in_simple_truetype(page, MEMO, _dejavu())
        pairs = [(ord(c), lie(c)) for c in sorted(set(MEMO))]
        _set_to_unicode(page.parent, font, _to_unicode(pairs, 1))

    return draw


def in_simple_truetype(page: pymupdf.Page, text: str, data: bytes) -> int:
    """`text` drawn on `page` in the TrueType font `data` embedded as a simple font (each code
    a byte of WinAnsi, drawn by the glyph the font's cmap gives its character), without a
    /ToUnicode; the font's xref."""
    doc = page.parent
    page.insert_text((72, 140), text, fontname="helv", fontsize=12)
    (font,) = [f[0] for f in page.get_fonts() if f[3] == "Helvetica"]
    glyphs = pymupdf.Font(fontbuffer=data)
    file = doc.get_new_xref()
    doc.update_object(file, "<<>>")
    doc.update_stream(file, data)
    descriptor = doc.get_new_xref()
    doc.update_object(
        descriptor,
        "<< /Type /FontDescriptor /FontName /DejaVuSans /Flags 32 /ItalicAngle 0"
        " /FontBBox [-1021 -463 1793 1232] /Ascent 928 /Descent -236 /CapHeight 700"
        f" /StemV 80 /FontFile2 {file} 0 R >>",
    )
    widths = " ".join(str(round(glyphs.glyph_advance(c) * 1000)) for c in range(32, 127))
    doc.update_object(
        font,
        "<< /Type /Font /Subtype /TrueType /BaseFont /DejaVuSans /FirstChar 32"
        f" /LastChar 126 /Widths [{widths}] /Encoding /WinAnsiEncoding"
        f" /FontDescriptor {descriptor} 0 R >>",
    )
    return font


def subset_truetype(lie: Lie) -> Callable[[pymupdf.Page], None]:
    """The memo in a subset of a CID-keyed TrueType font, which keeps no character map (as
    MuPDF and most producers write them): nothing says what its glyphs draw."""

    def draw(page: pymupdf.Page) -> None:
        embedded(_dejavu, lie)(page)
        page.parent.subset_fonts()

    return draw


FONTS: dict[str, Callable[[Lie], Callable[[pymupdf.Page], None]]] = {
    "CID-keyed CFF": lambda lie: embedded(lambda: pymupdf.Font("tiro").buffer, lie),
    "CID-keyed TrueType": lambda lie: embedded(_dejavu, lie),
    "simple TrueType": simple_truetype,
    "simple Type 1, not embedded": standard,
    "subset TrueType without a map": subset_truetype,
}
CHECKED = [font for font in FONTS if "without" not in font]


def _reads_and_doubts(draw: Callable[[pymupdf.Page], None], tmp_path: Path) -> tuple[str, bool]:
    """What the memo page's text says, and whether the span of the memo is doubted."""
    with pymupdf.open(pages_pdf(tmp_path / "r.pdf", [draw])) as doc:
        page = doc[0]
        text = page.get_text(flags=pymupdf.TEXT_CLIP)
        memo = pymupdf.Rect(72, 125, 370, 145)
        return text, any(memo.intersects(box) for box in GlyphTruth().doubtful_spans(page))


@pytest.mark.parametrize("font", list(FONTS))
@pytest.mark.parametrize("lie", list(LIES))
def test_glyphs_whose_text_lies_are_doubted(tmp_path: Path, font: str, lie: str) -> None:
    text, doubted = _reads_and_doubts(FONTS[font](LIES[lie]), tmp_path)
    assert "Quarterly report" in text and "Quartermaine" not in text
    assert doubted


@pytest.mark.parametrize("font", CHECKED)
def test_glyphs_whose_text_is_true_are_not(tmp_path: Path, font: str) -> None:
    text, doubted = _reads_and_doubts(FONTS[font](lambda c: c), tmp_path)
    assert "Memo sent by Wilhelmina Quartermaine" in text and not doubted


def test_glyphs_of_a_font_without_a_map_are_doubted_whatever_they_say(tmp_path: Path) -> None:
    text, doubted = _reads_and_doubts(subset_truetype(lambda c: c), tmp_path)
    assert "Wilhelmina Quartermaine" in text and doubted


Drawer = Callable[[pymupdf.Page], None]

EVERY_RUN = {"other letters", "spaces"}


@pytest.mark.ocr
@pytest.mark.parametrize(
    "lie", [v if v in EVERY_RUN else pytest.param(v, marks=pytest.mark.slow) for v in LIES]
)
def test_a_name_in_glyphs_whose_text_lies_does_not_leave(
    workspace: Workspace, tmp_path: Path, lie: str
) -> None:
    source = pages_pdf(tmp_path / "r.pdf", [FONTS["CID-keyed CFF"](LIES[lie])])
    assert_hidden_on_every_page(workspace, source, tmp_path / "b.zip", 1)


@pytest.mark.ocr
@pytest.mark.slow
@pytest.mark.parametrize("font", [font for font in FONTS if font != "CID-keyed CFF"])
def test_a_name_in_other_fonts_whose_text_lies_does_not_leave(
    workspace: Workspace, tmp_path: Path, font: str
) -> None:
    source = pages_pdf(tmp_path / "r.pdf", [FONTS[font](LIES["other letters"])])
    assert_hidden_on_every_page(workspace, source, tmp_path / "b.zip", 1)


@pytest.mark.ocr
def test_a_name_left_in_glyphs_whose_text_lies_stops_the_export(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tessdata()
    # The fault: nothing is boxed from what the pages show; the self-check must still read it.
    source = pages_pdf(tmp_path / "r.pdf", [FONTS["CID-keyed CFF"](LIES["other letters"])])
    refused = refused_without_boxes_over_pictures(
        workspace, source, tmp_path / "b.zip", monkeypatch
    )
    assert "page 1" in str(refused) and "Quartermaine" not in str(refused)


def memo_pages(path: Path, pages: int, lie: Lie) -> Path:
    """`pages` pages of report, each with the memo in one subset of DejaVu Sans (a CID-keyed
    TrueType font without a character map) whose /ToUnicode reads its glyphs as `lie` says."""
    data = _dejavu()
    glyphs = pymupdf.Font(fontbuffer=data)
    with pymupdf.open() as doc:
        for _ in range(pages):
            page = doc.new_page(width=420, height=200)
            page.insert_text((72, 72), "Quarterly report of the harbour.", fontname="tiro")
            font = page.insert_font(fontname="memo", fontbuffer=data)
            page.insert_text((72, 140), MEMO, fontname="memo", fontsize=12)
        pairs = [(glyphs.has_glyph(ord(c)), lie(c)) for c in sorted(set(MEMO))]
        _set_to_unicode(doc, font, _to_unicode(pairs, 2))
        doc.subset_fonts()
        doc.save(path)
    with pymupdf.open(path) as doc:
        assert len({f[0] for page in doc for f in page.get_fonts()}) == 2  # one memo font
    return path


@pytest.mark.ocr
def test_glyphs_ocr_found_true_are_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A font without a map (most subsets) costs the OCR of its first lines, not of every
    page: the glyphs of the memo, read on the first page as their text says, are believed
    on the next two."""
    _tessdata()
    read: list[int] = []

    def counted(page: pymupdf.Page, *args: Any, **kwargs: Any) -> Any:
        read.append(1)
        return ocr_words(page, *args, **kwargs)

    monkeypatch.setattr(picture_text, "ocr_words", counted)
    data = memo_pages(tmp_path / "r.pdf", 3, lambda c: c).read_bytes()
    texts = picture_text.texts_of_pictures(data, range(3))
    assert [index for index, _text in texts] == [0]
    assert "Wilhelmina Quartermaine" in texts[0][1] and len(read) == 1


@pytest.mark.ocr
@pytest.mark.parametrize("lie", ["other letters", "two letters swapped"])
def test_glyphs_whose_text_lies_are_never_found_true(
    workspace: Workspace, tmp_path: Path, lie: str
) -> None:
    """OCR reads the name where the text says another word: each page is read again, and
    the name boxed on each."""
    source = memo_pages(tmp_path / "r.pdf", 3, LIES[lie])
    assert_hidden_on_every_page(workspace, source, tmp_path / "b.zip", 3)


@pytest.mark.parametrize("lie", ["other letters", "two letters swapped", "spaces"])
@pytest.mark.parametrize("font", CHECKED)
def test_the_import_says_which_pages_have_text_that_lies(
    tmp_path: Path, font: str, lie: str
) -> None:
    """Search finds nothing where a font's text lies about its glyphs: the document says which
    pages, where its inspector shows what came out of the file."""
    pages = [_report_only, FONTS[font](LIES[lie]), _report_only]
    document = extract_pdf(pages_pdf(tmp_path / "r.pdf", pages), ocr=False)
    assert document.metadata["pages_text_unlike_glyphs"] == "2"


def _report_only(page: pymupdf.Page) -> None:
    """The page of report `pages_pdf` draws, and nothing else."""


@pytest.mark.parametrize("font", CHECKED)
def test_the_import_says_nothing_of_true_text(tmp_path: Path, font: str) -> None:
    pages = [FONTS[font](lambda c: c), _report_only]
    document = extract_pdf(pages_pdf(tmp_path / "r.pdf", pages), ocr=False)
    assert "pages_text_unlike_glyphs" not in document.metadata


def test_the_import_tells_a_font_without_a_map_by_its_glyphs_shapes(tmp_path: Path) -> None:
    """A subset without a map says nothing of its glyphs, their outlines do (`glyphshape`):
    drawn as other letters than the text says, they are told; drawn as it says, not (the
    corpus' subsets, most of its fonts, mark no page)."""
    pages = [subset_truetype(LIES["other letters"])]
    document = extract_pdf(pages_pdf(tmp_path / "r.pdf", pages), ocr=False)
    assert "Quartermaine" not in document.pages[0].text
    assert document.metadata["pages_text_unlike_glyphs"] == "1"
    true = extract_pdf(pages_pdf(tmp_path / "t.pdf", [subset_truetype(lambda c: c)]), ocr=False)
    assert "pages_text_unlike_glyphs" not in true.metadata
