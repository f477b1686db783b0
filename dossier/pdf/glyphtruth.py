"""Whether the text a PDF page gives says what its glyphs draw.

A font's /ToUnicode map (or the encoding its text is read through) tells readers which
character each glyph is; whoever made the file wrote it, and nothing makes it true. A broken
producer, or someone who wants a name past search and redaction, maps the glyphs that draw
"Quartermaine" to "Xbsufsnbjof", to spaces, to combining marks or to nothing: the page shows
the name, its text does not say it. The font's own character map (FreeType's: a TrueType
font's cmap, or the one made from the glyph names of a Type 1 or CFF font) says which glyph
draws each character. A glyph whose claimed character the font draws otherwise is a glyph whose
text lies; a glyph the map does not hold (a font without a map, as most CID-keyed subsets are;
a small capital, an old-style figure) says nothing that can be checked.

Runs of such glyphs are read by OCR where names are hidden (`dossier.redact.picture_text`), as
glyphs of no character are. The glyphs are followed as MuPDF draws the page (a device of our
own): each span comes with the very font it is drawn in, which its name does not tell (a
subset and the font MuPDF draws for one not embedded can share it).
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated; we call them directly here.)

from __future__ import annotations

import logging
import unicodedata
from typing import Any

from dossier.pdf.mupdf import pymupdf

log = logging.getLogger(__name__)

_pdf: Any = pymupdf
_mu: Any = pymupdf.mupdf

Rect = tuple[float, float, float, float]

MIN_GLYPHS = 2
"""Glyphs in a row, at least, whose text lies or cannot be checked, for a span to be read as
the page shows it: one alone (a bullet, a ligature, a symbol of a font of its own) spells no
name."""

_PRIVATE = range(0xE000, 0xF900)
"""A symbol font's cmap (3,0) names its glyphs U+F020-U+F0FF: no character a reader knows."""


_NO_CHARACTER = frozenset("\ufffd") | frozenset(map(chr, _PRIVATE))
"""What a glyph of no character reads: the words they spell are read as shown already."""


def _base(text: str) -> str:
    """`text` as its letters read: compatibility forms (Arabic presentation forms, ligatures,
    full-width letters) as the plain letters they are, marks and case aside."""
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


class FontMap:
    """The character map of one font MuPDF draws with: which glyph draws each character, and
    which characters each glyph draws. Empty when the font has none, or private characters
    only."""

    def __init__(self, pairs: list[tuple[int, int]]) -> None:
        self.glyph_of: dict[int, int] = {}
        self.chars_of: dict[int, set[str]] = {}
        for point, glyph in pairs:
            if glyph > 0 and point not in _PRIVATE and point > 0x1F:
                self.glyph_of.setdefault(point, glyph)
                self.chars_of.setdefault(glyph, set()).add(_base(chr(point)))
        self._said: dict[tuple[str, int], bool | None] = {}
        self.inked: dict[int, bool] = {}
        self.true_pairs: set[tuple[int, int]] = set()
        """(character, glyph) of the text found true, for spans drawn of them alone."""

    def says(self, claimed: str, glyph: int) -> bool | None:
        """Whether `glyph` draws `claimed` (one character, or the few a ligature is read as)
        as this map says: True, False (the glyph draws a letter or digit other than
        `claimed`), None when the map cannot tell (no map; a glyph it does not hold)."""
        key = (claimed, glyph)
        if key not in self._said:
            self._said[key] = self._says(claimed, glyph)
        return self._said[key]

    def _says(self, claimed: str, glyph: int) -> bool | None:
        if len(claimed) == 1 and self.glyph_of.get(ord(claimed)) == glyph:
            return True
        drawn = self.chars_of.get(glyph)
        if not drawn:
            # A glyph a map does not hold (TeX's primes, an old-style figure, a small
            # capital): said to be a letter or digit, what it draws is not known; said to be
            # punctuation or a symbol, it is believed (a font without a map believes nothing).
            return None if not self.glyph_of or any(c.isalnum() for c in claimed) else True
        if _base(claimed) in drawn:
            return True
        # A glyph that draws no letter or digit (punctuation, a symbol) spells no name,
        # whatever it is said to be: a hyphen read U+2010, a quote read straight.
        return not any(c.isalnum() for c in drawn)


class _GlyphDevice(_mu.FzDevice2):  # type: ignore[misc]
    """Follows the text MuPDF draws on a page (filled, stroked, or as a clip: invisible text is
    drawn by nothing) and hands it to PyMuPDF's text trace, which reads its characters and
    glyphs in C; kept here is the font of each span, in the same order."""

    def __init__(self) -> None:
        super().__init__()
        self.use_virtual_fill_text()
        self.use_virtual_stroke_text()
        self.use_virtual_clip_text()
        self.use_virtual_clip_stroke_text()
        self.spans: list[dict[str, Any]] = []
        self.fonts: list[tuple[Any, int]] = []
        self._trace = _pdf.extra.JM_new_texttrace_device(self.spans)
        self._trace.ptm = _mu.FzMatrix()

    def _text(self, text: Any, ctm: Any) -> None:
        raw = text.head
        while raw:
            self.fonts.append((_mu.FzFont(_mu.ll_fz_keep_font(raw.font)), raw.len))
            raw = raw.next
        # The trace reads no colour here: the text of a clip has none.
        _mu.ll_fz_fill_text(
            self._trace.m_internal, text, ctm, _mu.ll_fz_device_gray(), _BLACK, 1.0, _COLOURS
        )

    def fill_text(self, _ctx: Any, text: Any, ctm: Any, *_rest: Any) -> None:
        self._text(text, ctm)

    def stroke_text(self, _ctx: Any, text: Any, _stroke: Any, ctm: Any, *_rest: Any) -> None:
        self._text(text, ctm)

    def clip_text(self, _ctx: Any, text: Any, ctm: Any, *_rest: Any) -> None:
        self._text(text, ctm)

    def clip_stroke_text(self, _ctx: Any, text: Any, _stroke: Any, ctm: Any, *_rest: Any) -> None:
        self._text(text, ctm)


_BLACK = (0.0, 0.0, 0.0, 0.0)
_COLOURS = _mu.fz_default_color_params


def _cmap(font: Any) -> list[tuple[int, int]]:
    """The font's own (ucs, glyph) pairs: read from its file anew, as FreeType maps it when
    nothing chooses a map (the Unicode one); MuPDF's copy maps the PDF's character codes."""
    buffer = font.m_internal.buffer
    if not buffer:
        return []
    try:
        data = _mu.FzBuffer(_mu.ll_fz_keep_buffer(buffer))
        fresh = _mu.fz_new_font_from_buffer(None, data, 0, 0)
        return [(pair.ucs, pair.gid) for pair in _mu.fz_enumerate_font_cmap2(fresh)]
    # PyMuPDF raises a bare Exception for a font FreeType cannot read again.
    except Exception:
        return []


def _doubtful(chars: Any, font: Any, fontmap: FontMap) -> bool:
    """Whether `chars` (a span's (character, glyph, ...) as the trace reads them) hold
    `MIN_GLYPHS` glyphs in a row whose text lies or cannot be checked in `fontmap`; a space
    that cannot be checked neither counts nor breaks the row unless its glyph draws something."""
    if fontmap.true_pairs.issuperset({(c[0], c[1]) for c in chars}):
        return False  # most spans: each (character, glyph) of theirs is known true
    run = 0
    length = len(chars)
    for i, (ucs, glyph, *_where) in enumerate(chars):
        if glyph < 0:
            continue  # read with the glyph before it (a ligature read as two characters)
        claimed = chr(ucs) if 0 <= ucs <= 0x10FFFF else "\ufffd"
        following = i + 1
        while following < length and chars[following][1] < 0:
            claimed += chr(max(0, min(chars[following][0], 0x10FFFF)))
            following += 1
        if claimed[0] in _NO_CHARACTER:
            continue  # read as the page shows it already (`picture_text.unmapped_lines`)
        said = fontmap.says(claimed, glyph)
        if said:
            if len(claimed) == 1:
                fontmap.true_pairs.add((ucs, glyph))
            run = 0
        elif said is False or not claimed.isspace() or _inked(font, glyph, fontmap):
            run += 1
            if run >= MIN_GLYPHS:
                return True
    return False


def _inked(font: Any, glyph: int, fontmap: FontMap) -> bool:
    """Whether `glyph` draws anything: a space of a font without a map is one only if not."""
    if glyph not in fontmap.inked:
        bound = _mu.fz_bound_glyph(font, glyph, _mu.FzMatrix())
        fontmap.inked[glyph] = bound.x1 > bound.x0 and bound.y1 > bound.y0
    return fontmap.inked[glyph]


class GlyphTruth:
    """The maps of the fonts of one document, each read once, and the spans of its pages
    whose text lies about their glyphs."""

    def __init__(self) -> None:
        # The font is held with its map: freed, its address could be another font's.
        self._maps: dict[int, tuple[Any, FontMap | None]] = {}
        self._pages: dict[int, list[Rect]] = {}

    def doubtful_spans(self, page: Any) -> list[Rect]:
        """The boxes (unrotated coordinates) of `page`'s spans holding `MIN_GLYPHS` glyphs in a
        row whose text says other than what they draw, or says what cannot be checked; each
        page is followed once."""
        if page.number not in self._pages:
            self._pages[page.number] = self._follow(page)
        return self._pages[page.number]

    def _follow(self, page: Any) -> list[Rect]:
        device = _GlyphDevice()
        unrotate = _mu.FzMatrix(*tuple(page.derotation_matrix))
        _mu.fz_run_page(page.this, device, unrotate, _mu.FzCookie())
        _mu.fz_close_device(device)
        spans, fonts = device.spans, device.fonts
        if len(spans) != len(fonts) or any(
            len(span["chars"]) != length for span, (_font, length) in zip(spans, fonts, strict=True)
        ):
            # The trace read the page otherwise than we followed it: no span can be paired
            # with its font, every one is read as shown.
            log.warning("page %d: text and fonts do not pair; read as shown", page.number + 1)
            return [tuple(span["bbox"]) for span in spans if len(span["chars"]) >= MIN_GLYPHS]
        boxes: list[Rect] = []
        for span, (font, _length) in zip(spans, fonts, strict=True):
            fontmap = self._map(font)
            if fontmap is not None and _doubtful(span["chars"], font, fontmap):
                boxes.append(tuple(span["bbox"]))
        return boxes

    def _map(self, font: Any) -> FontMap | None:
        key = font.m_internal_value()
        if key not in self._maps:
            # A Type 3 font draws its glyphs with content of its own: pictures and outlines,
            # read as such (`picture_groups`).
            type3 = bool(font.m_internal.t3procs)
            self._maps[key] = (font, None if type3 else FontMap(_cmap(font)))
        return self._maps[key][1]
