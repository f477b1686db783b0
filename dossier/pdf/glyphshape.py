"""Whether a glyph is drawn as the letter its text says: its outline, not what a map says.

A font's maps are written by whoever made the file: its /ToUnicode, and also the font's own
character map (a TrueType font's cmap, the glyph names of a Type 1 or CFF font). Both can lie
in step: the glyph drawn is the "W" of a name while both maps say "X", and `glyphtruth`'s
comparison of the two finds nothing to doubt. What the glyph draws is its outline: drawn small
(its ink fitted in a `GRID` by `GRID` square), it is compared with the letter it is said to be
and with every other letter and digit, as fonts of each kind draw them (sans, serif and
monospace, upright and italic, regular and bold: DejaVu Sans, bundled, and the fonts MuPDF
carries), by the share of the two glyphs' ink that lies a pixel or more off the other's.

A glyph nearer another letter than the one its text says (`unlike` above 0) is not believed:
its words are read by OCR at export (`glyphtruth`), as those of a font without a map are, and
what OCR reads there confirms it. Of the corpus' 4,625 letters and digits in 24 PDFs, 125
glyphs are so (a math italic 'v', OCR-A's '4', Caslon's italic 'p'), in 38 fonts, one per font
at most by more than `CLEARLY`; a lying one of DejaVu is nearer by 0.07-0.7. A text that
swaps two letters alike enough that no font tells them apart ("l" and "I") is not seen: it
hides a name from the search no more than the same letters written honestly would.

Every glyph said to be something is judged, not letters alone: a CID font's maps can say a
glyph of a name is a symbol, punctuation or a CJK ideograph as well as another letter. Said to
be a character other than a Latin letter or digit, it must be nearer a letter by more than
`NOT_A_LETTER` to be doubted (such characters come in more designs than the references show);
said to be what no reference font draws, within `LETTER_LIKE` of one. A letter's capital and
small forms are one, and so are l, I, 1 and |, and O and 0: swapping them hides no name from a
search that folds case.
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated; we call them directly here.)

from __future__ import annotations

import functools
import string
import unicodedata
from collections.abc import Sequence
from typing import Any

from dossier.pdf.mupdf import pymupdf
from dossier.resources import resource_path

_pdf: Any = pymupdf
_mu: Any = pymupdf.mupdf

GRID = 32
"""Pixels across the square a glyph is drawn in to be compared."""

_ALPHABET = string.ascii_lowercase + string.digits
_ALIKE = {"1": "l", "|": "l", "0": "o"}
"""Letters drawn alike in many fonts, as the one they are compared as."""

_BUILT_IN = ("helv", "hebo", "heit", "hebi", "tiro", "tibo", "tiit", "tibi", "cour", "cobo", "cjk")
_BUNDLED = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")


def _kind(char: str) -> str:
    low = char.lower()
    if len(low) != 1:
        return char
    return _ALIKE.get(low, low)


@functools.cache
def _references() -> list[Any]:
    """MuPDF's own (Nimbus Sans, Roman and Mono; Droid Sans Fallback for CJK, which a MuPDF
    built small leaves out) and the bundled DejaVu Sans, those there are."""
    fonts = []
    for name in _BUILT_IN:
        try:
            fonts.append(_pdf.Font(name).this)
        # PyMuPDF raises a bare Exception for a font its MuPDF was built without.
        except Exception:
            continue
    for name in _BUNDLED:
        path = resource_path("fonts", name)
        if path.exists():
            fonts.append(_pdf.Font(fontfile=str(path)).this)
    return fonts


_FULL = (1 << (GRID * GRID)) - 1
_NOT_FIRST = _FULL ^ sum(1 << (row * GRID) for row in range(GRID))
_NOT_LAST = _FULL ^ sum(1 << (row * GRID + GRID - 1) for row in range(GRID))


def _dilated(bits: int) -> int:
    wide = bits | ((bits << 1) & _NOT_FIRST) | ((bits >> 1) & _NOT_LAST)
    return wide | ((wide << GRID) & _FULL) | (wide >> GRID)


def shapes(font: Any, glyphs: Sequence[int]) -> list[int | None]:
    """Each glyph of `font` drawn in a `GRID` square (its ink fitted in, in proportion), as
    bits (row by row, ink set); None for a glyph that draws nothing."""
    found: list[int | None] = [None] * len(glyphs)
    text = _mu.fz_new_text()
    cells: list[int] = []
    side = GRID * _FINER
    for i, glyph in enumerate(glyphs):
        box = _bounds(font, glyph)
        if box is None:
            continue
        x0, y0, x1, y1 = box
        scale = (side - 2 * _FINER) / max(x1 - x0, y1 - y0)
        top = side * len(cells)
        trm = _mu.FzMatrix(
            scale,
            0,
            0,
            -scale,
            side / 2 - scale * (x0 + x1) / 2,
            top + side / 2 + scale * (y0 + y1) / 2,
        )
        _mu.fz_show_glyph(text, font, trm, glyph, 0, 0, 0, 0, _mu.FZ_LANG_UNSET)
        cells.append(i)
    if not cells:
        return found
    # The cells one under the other: each one's pixels, row by row, are a run of the samples.
    area = _mu.FzIrect(0, 0, side, side * len(cells))
    pixmap = _mu.fz_new_pixmap_with_bbox(_mu.fz_device_gray(), area, _mu.FzSeparations(), 0)
    _mu.fz_clear_pixmap_with_value(pixmap, 255)
    device = _mu.fz_new_draw_device(_mu.FzMatrix(), pixmap)
    _mu.fz_fill_text(device, text, _mu.FzMatrix(), _mu.fz_device_gray(), [0.0], 1.0, _COLOURS)
    _mu.fz_close_device(device)
    _mu.fz_subsample_pixmap(pixmap, _FINER.bit_length() - 1)
    ink = bytes(_mu.fz_pixmap_samples_memoryview(pixmap)).translate(_AS_DIGITS)
    for cell, i in enumerate(cells):
        found[i] = int(ink[cell * GRID * GRID : (cell + 1) * GRID * GRID][::-1], 2)
    return found


_FINER = 4
"""Pixels across per pixel of the square, drawn finer and averaged: a stroke thinner than a
pixel of the square still darkens it."""

_INK = 160
"""Grey below which a pixel of the square is ink."""

_AS_DIGITS = bytes(ord("1") if value < _INK else ord("0") for value in range(256))
_COLOURS = _mu.FzColorParams(_mu.fz_default_color_params)


def _bounds(font: Any, glyph: int) -> tuple[float, float, float, float] | None:
    """The box of the ink of `glyph` (in ems), from its outline (MuPDF bounds a TrueType
    glyph by its font's box); None when it draws nothing."""
    path = _mu.fz_outline_glyph(font, glyph, _mu.FzMatrix())
    if path.m_internal:
        box = _mu.fz_bound_path(path, _mu.FzStrokeState(None), _mu.FzMatrix())
    else:  # a Type 3 glyph: drawn by content, bounded as its font says
        box = _mu.fz_bound_glyph(font, glyph, _mu.FzMatrix())
    if not (box.x1 - box.x0 > 1e-3 or box.y1 - box.y0 > 1e-3):
        return None
    return box.x0, box.y0, box.x1, box.y1


Shape = tuple[int, int, int]
"""A glyph's bits, the same a pixel wider each way (`_dilated`), and its count of ink."""


def _shape(bits: int) -> Shape:
    return bits, _dilated(bits), bits.bit_count()


def _distance(one: Shape, other: Shape) -> float:
    """The share of the two glyphs' ink that lies a pixel or more off the other's: a stroke
    drawn a little bolder, thinner or further is the same stroke."""
    total = one[2] + other[2]
    if not total:
        return 0.0
    return ((one[0] & ~other[1]).bit_count() + (other[0] & ~one[1]).bit_count()) / total


@functools.cache
def _reference_shapes() -> dict[str, list[Shape]]:
    """The shapes of each letter and digit, either case, in each reference font, by `_kind`."""
    found: dict[str, list[Shape]] = {}
    chars = _ALPHABET + string.ascii_uppercase + "|"
    for font in _references():
        glyphs = [_mu.fz_encode_character(font, ord(c)) for c in chars]
        for char, glyph, bits in zip(chars, glyphs, shapes(font, glyphs), strict=True):
            if glyph and bits is not None:
                found.setdefault(_kind(char), []).append(_shape(bits))
    # A letter drawn alike by several fonts (Helvetica's and DejaVu's 'o') is compared once.
    return {kind: _distinct(shapes) for kind, shapes in found.items()}


_ALIKE_REFERENCES = 0.0
"""Distance within which two reference shapes of a letter are one (the same drawing in two
fonts). Any more merges shapes that tell letters apart: at 0.04, 404 of 756 are kept, and
four times as many honest glyphs of the corpus are nearer another letter."""


def _distinct(found: list[Shape]) -> list[Shape]:
    kept: list[Shape] = []
    for shape in found:
        if all(_distance(shape, other) > _ALIKE_REFERENCES for other in kept):
            kept.append(shape)
    return kept


@functools.lru_cache(maxsize=4096)
def _claimed_shapes(char: str) -> tuple[Shape, ...]:
    """The shapes of `char` (either case) in each reference font that draws it."""
    known = _reference_shapes()
    if _kind(char) in known:
        return tuple(known[_kind(char)])
    found: list[Shape] = []
    for font in _references():
        for form in sorted({char, char.lower(), char.upper()}):
            glyph = _mu.fz_encode_character(font, ord(form)) if len(form) == 1 else 0
            if glyph:
                (bits,) = shapes(font, [glyph])
                if bits is not None:
                    found.append(_shape(bits))
    return tuple(found)


def unlike(claimed: str, bits: int | None) -> float | None:
    """How much nearer the glyph drawn as `bits` is to a letter or digit other than `claimed`
    (its text: a letter, a digit, punctuation, a symbol, a ligature's letters) than to
    `claimed` as the reference fonts draw it; above 0, it is drawn as another letter. Said
    to be other than a letter or digit of the Latin alphabet, by more than `NOT_A_LETTER`;
    said to be what no reference font draws, within `LETTER_LIKE` of a letter. None for a
    glyph that draws nothing. Kept for the shapes judged already: a font's glyphs are drawn
    the same in every document that embeds it (its import, then its export)."""
    if bits is None:
        return None
    key = (claimed, bits)
    if key not in _judged:
        if len(_judged) >= _MOST_JUDGED:
            _judged.clear()
        _judged[key] = _unlike(claimed, bits)
    return _judged[key]


_judged: dict[tuple[str, int], float] = {}
_MOST_JUDGED = 50_000
"""Shapes judged kept at most (a few MB): past that the next are judged anew."""

NOT_A_LETTER = 0.25
"""How much nearer a letter a glyph said to be another character (a Greek letter, a symbol,
punctuation, a ligature) is, at most, and still believed: such characters are drawn in many
more designs than the reference fonts show (the corpus' math italic 'γ' is 0.23 nearer a '7',
the empty set of Computer Modern 0.39 nearer an 'o'), and a glyph of a letter said to be one
of them is further still (a 'W' said ',' or 'Ω'). One as alike as Cyrillic 'а' and Latin 'a'
hides a name whatever its font draws."""

LETTER_LIKE = 0.1
"""Distance to a letter within which a glyph said to be what no reference font draws is
taken for that letter (the corpus' CJK punctuation: '。' 0.05, '「' 0.08; the glyphs said to be
letters are 0.05 from one, most of them)."""

_LIGATURES = {"ff": "\ufb00", "fi": "\ufb01", "fl": "\ufb02", "ffi": "\ufb03", "ffl": "\ufb04"}
"""Letters read from one glyph, as the ligature the reference fonts draw them with."""


def _unlike(claimed: str, bits: int) -> float:
    # A compatibility form is judged as the letters it is (the "𝐐" of a post in bold, a
    # full-width "Ｑ", the ligature "ﬁ"): its glyph is drawn as them.
    plain = unicodedata.normalize("NFKC", claimed)
    said = _claimed_shapes(_LIGATURES.get(plain, plain))
    drawn = _shape(bits)
    kind = _kind(plain)
    nearest_other = min(
        _distance(drawn, ref)
        for other, refs in _reference_shapes().items()
        if other != kind
        for ref in refs
    )
    if not said:
        return LETTER_LIKE - nearest_other
    nearer = min(_distance(drawn, ref) for ref in said) - nearest_other
    return nearer if kind in _reference_shapes() else nearer - NOT_A_LETTER


CLEARLY = 0.15
"""How much nearer another letter a glyph is, at least, to be drawn clearly as that letter
(`glyphtruth.pages_whose_text_lies`): a few honest glyphs of the corpus are as far from every
reference font (a math italic 'v', OCR-A's '4': 0.17-0.19), one per font at most; lying ones of
DejaVu are so but for letters alike ('a' said 'e': 0.08)."""
