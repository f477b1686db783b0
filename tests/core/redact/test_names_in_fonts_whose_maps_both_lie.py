"""A protected name drawn in a font whose own character map lies in step with its text does not
leave.

`test_names_in_lying_fonts` checks a font's /ToUnicode against the font's own character map
(its cmap). Whoever writes the PDF writes both: here the font's cmap is rewritten too, so that
each letter the text says ("Xjmifmnjob") is the one the cmap gives the glyph drawn (the "W",
"i", "l"... of "Wilhelmina"). Both maps agree, the page shows the name, the recipient reads it;
only the glyphs' outlines say which letters they are (`dossier.pdf.glyphshape`).

The font is the bundled DejaVu Sans with its cmap table written anew (no font tool needed).
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated.)

from __future__ import annotations

import string
import struct
from collections.abc import Callable
from pathlib import Path

import pymupdf
import pytest

from dossier.pdf.extract import extract_pdf
from dossier.pdf.glyphtruth import GlyphTruth
from dossier.resources import resource_path
from dossier.services.workspace import Workspace
from tests.core.redact.test_names_in_lying_fonts import Lie, in_simple_truetype
from tests.core.redact.test_names_in_pictures import (
    MEMO,
    assert_hidden_on_every_page,
    pages_pdf,
    refused_without_boxes_over_pictures,
)

LIES: dict[str, Lie] = {
    "other letters": lambda c: chr(ord(c) + 1) if c.isascii() and c.isalpha() else c,
    "two letters swapped": lambda c: {"a": "e", "e": "a"}.get(c, c),
    "alphabet reversed": lambda c: chr(ord("a") + ord("z") - ord(c)) if "a" <= c <= "z" else c,
}
"""Each a permutation: every letter of the memo is drawn by the glyph of the one it hides."""


def _letters_as(start: int) -> Lie:
    """Each Latin letter said to be the character `start` + its place in A-Za-z."""
    letters = string.ascii_uppercase + string.ascii_lowercase
    return lambda c: chr(start + letters.index(c)) if c in letters else c


NOT_LETTERS: dict[str, Lie] = {
    "mathematical symbols": _letters_as(0x2200),
    "CJK ideographs": _letters_as(0x4E00),
    "a script no reference font draws (Ethiopic)": _letters_as(0x1200),
}
"""Letters said to be other characters than letters of the alphabet: what a check of letters
alone would believe (a CID font's /ToUnicode, and its cmap, can say anything)."""


def _checksum(table: bytes) -> int:
    table += b"\0" * (-len(table) % 4)
    return sum(struct.unpack(f">{len(table) // 4}L", table)) & 0xFFFFFFFF


def _cmap_table(pairs: dict[int, int]) -> bytes:
    """A cmap table of one (3, 1) subtable in format 4, a segment per character."""
    segments = [(c, (g - c) & 0xFFFF) for c, g in sorted(pairs.items())] + [(0xFFFF, 1)]
    count = len(segments)
    search = 2 ** (count.bit_length() - 1)
    entry = search.bit_length() - 1
    body = struct.pack(">HHHH", 2 * count, 2 * search, entry, 2 * (count - search))
    body += b"".join(struct.pack(">H", c) for c, _delta in segments) + b"\0\0"
    body += b"".join(struct.pack(">H", c) for c, _delta in segments)
    body += b"".join(struct.pack(">H", delta) for _c, delta in segments)
    body += b"\0\0" * count
    subtable = struct.pack(">HHH", 4, 6 + len(body), 0) + body
    return struct.pack(">HHHHL", 0, 1, 3, 1, 12) + subtable


def lying_font(lie: Lie) -> bytes:
    """DejaVu Sans whose cmap gives each character `lie` says the glyph of the one it hides."""
    data = resource_path("fonts", "DejaVuSans.ttf").read_bytes()
    font = pymupdf.Font(fontbuffer=data)
    kept = [*range(0x20, 0x250), *range(0x2200, 0x2300)]  # Latin, and mathematical symbols
    pairs = {c: font.has_glyph(c) for c in kept if font.has_glyph(c)}
    for c in list(pairs):
        if lie(chr(c)) != chr(c):
            pairs[ord(lie(chr(c)))] = font.has_glyph(c)
    version, count = struct.unpack(">LH", data[:6])
    tables: dict[bytes, bytes] = {}
    for i in range(count):
        tag, _sum, offset, length = struct.unpack(">4sLLL", data[12 + 16 * i : 28 + 16 * i])
        tables[tag] = data[offset : offset + length]
    tables[b"cmap"] = _cmap_table(pairs)
    search = 2 ** (len(tables).bit_length() - 1)
    entry = search.bit_length() - 1
    rest = 16 * (len(tables) - search)
    head = struct.pack(">LHHHH", version, len(tables), 16 * search, entry, rest)
    records, blobs = b"", b""
    start = 12 + 16 * len(tables)
    for tag in sorted(tables):
        blob = tables[tag]
        records += struct.pack(">4sLLL", tag, _checksum(blob), start + len(blobs), len(blob))
        blobs += blob + b"\0" * (-len(blob) % 4)
    return head + records + blobs


def _said(lie: Lie) -> str:
    return "".join(map(lie, MEMO))


def cid_keyed(lie: Lie) -> Callable[[pymupdf.Page], None]:
    """The memo in the lying font embedded whole as a CID font: MuPDF writes its /ToUnicode
    from the font's own cmap, so the two say the same."""

    def draw(page: pymupdf.Page) -> None:
        page.insert_font(fontname="memo", fontbuffer=lying_font(lie))
        page.insert_text((72, 140), _said(lie), fontname="memo", fontsize=12)

    return draw


def simple(lie: Lie) -> Callable[[pymupdf.Page], None]:
    """The memo in the lying font as a simple TrueType font without a /ToUnicode: its text is
    what WinAnsi names its codes, each drawn by the glyph the font's cmap gives that name."""

    def draw(page: pymupdf.Page) -> None:
        in_simple_truetype(page, _said(lie), lying_font(lie))

    return draw


FONTS: dict[str, Callable[[Lie], Callable[[pymupdf.Page], None]]] = {
    "CID-keyed TrueType": cid_keyed,
    "simple TrueType": simple,
}


@pytest.mark.parametrize("font", list(FONTS))
@pytest.mark.parametrize("lie", list(LIES))
def test_glyphs_drawn_as_other_letters_than_both_maps_say_are_doubted(
    tmp_path: Path, font: str, lie: str
) -> None:
    with pymupdf.open(pages_pdf(tmp_path / "r.pdf", [FONTS[font](LIES[lie])])) as doc:
        page = doc[0]
        text = page.get_text(flags=pymupdf.TEXT_CLIP)
        assert _said(LIES[lie]) in text and "Quartermaine" not in text
        memo = pymupdf.Rect(72, 125, 420, 145)
        assert any(memo.intersects(box) for box in GlyphTruth().doubtful_spans(page))


@pytest.mark.parametrize("lie", list(NOT_LETTERS))
def test_letters_said_to_be_other_characters_are_doubted(tmp_path: Path, lie: str) -> None:
    with pymupdf.open(pages_pdf(tmp_path / "r.pdf", [cid_keyed(NOT_LETTERS[lie])])) as doc:
        page = doc[0]
        text = page.get_text(flags=pymupdf.TEXT_CLIP)
        assert _said(NOT_LETTERS[lie]) in text and "Quartermaine" not in text
        memo = pymupdf.Rect(72, 125, 420, 145)
        assert any(memo.intersects(box) for box in GlyphTruth().doubtful_spans(page))


@pytest.mark.parametrize("font", list(FONTS))
def test_the_same_font_with_its_true_map_is_believed(tmp_path: Path, font: str) -> None:
    with pymupdf.open(pages_pdf(tmp_path / "r.pdf", [FONTS[font](lambda c: c)])) as doc:
        assert MEMO in doc[0].get_text() and GlyphTruth().doubtful_spans(doc[0]) == []


@pytest.mark.ocr
@pytest.mark.parametrize(
    ("font", "lie"),
    [
        ("CID-keyed TrueType", "other letters"),
        ("CID-keyed TrueType", "mathematical symbols"),
        pytest.param("simple TrueType", "two letters swapped", marks=pytest.mark.slow),
    ],
)
def test_a_name_in_glyphs_both_maps_lie_about_does_not_leave(
    workspace: Workspace, tmp_path: Path, font: str, lie: str
) -> None:
    source = pages_pdf(tmp_path / "r.pdf", [FONTS[font]({**LIES, **NOT_LETTERS}[lie])])
    assert_hidden_on_every_page(workspace, source, tmp_path / "b.zip", 1)


@pytest.mark.ocr
def test_a_name_left_in_such_glyphs_stops_the_export(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fault: nothing is boxed from what the pages show; the self-check must still read it.
    source = pages_pdf(tmp_path / "r.pdf", [cid_keyed(LIES["alphabet reversed"])])
    refused = refused_without_boxes_over_pictures(
        workspace, source, tmp_path / "b.zip", monkeypatch
    )
    assert "page 1" in str(refused) and "Quartermaine" not in str(refused)


def _report_only(page: pymupdf.Page) -> None:
    """The page of report `pages_pdf` draws, and nothing else."""


@pytest.mark.parametrize("font", list(FONTS))
@pytest.mark.parametrize("lie", ["other letters", "alphabet reversed"])
def test_the_import_says_which_pages_draw_other_letters(
    tmp_path: Path, font: str, lie: str
) -> None:
    pages = [_report_only, FONTS[font](LIES[lie]), _report_only]
    document = extract_pdf(pages_pdf(tmp_path / "r.pdf", pages), ocr=False)
    assert document.metadata["pages_text_unlike_glyphs"] == "2"


@pytest.mark.parametrize("font", list(FONTS))
def test_the_import_says_nothing_of_the_same_font_true(tmp_path: Path, font: str) -> None:
    document = extract_pdf(pages_pdf(tmp_path / "r.pdf", [FONTS[font](lambda c: c)]), ocr=False)
    assert "pages_text_unlike_glyphs" not in document.metadata


def test_a_letter_not_believed_by_a_symbol_alone_is_not_read_again(tmp_path: Path) -> None:
    """A letter drawn otherwise than said, with nothing but symbols and spaces beside it (a
    math italic 'u' after a '∂'), spells no name: its line is not read by OCR. Beside another
    letter it is."""
    lie = LIES["two letters swapped"]

    def draw(page: pymupdf.Page) -> None:
        page.insert_font(fontname="memo", fontbuffer=lying_font(lie))
        page.insert_text((72, 120), "∂a = 0", fontname="memo", fontsize=12)
        page.insert_text((72, 160), "∂ax = 0", fontname="memo", fontsize=12)

    with pymupdf.open(pages_pdf(tmp_path / "r.pdf", [draw])) as doc:
        page = doc[0]
        assert "∂a = 0" in page.get_text() and "∂ax = 0" in page.get_text()
        doubted = GlyphTruth().doubtful_spans(page)
        assert not any(pymupdf.Rect(box).intersects((72, 105, 420, 125)) for box in doubted)
        assert any(pymupdf.Rect(box).intersects((72, 145, 420, 165)) for box in doubted)
