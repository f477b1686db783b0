"""Whether the text a PDF page gives says what its glyphs draw.

A font's /ToUnicode map (or the encoding its text is read through) tells readers which
character each glyph is; whoever made the file wrote it, and nothing makes it true. A broken
producer, or someone who wants a name past search and redaction, maps the glyphs that draw
"Quartermaine" to "Xbsufsnbjof", to spaces, to combining marks or to nothing: the page shows
the name, its text does not say it. The font's own character map (FreeType's: a TrueType
font's cmap, or the one made from the glyph names of a Type 1 or CFF font) says which glyph
draws each character. A glyph whose claimed character the font draws otherwise is a glyph whose
text lies; a glyph the map does not hold (a font without a map, as most CID-keyed subsets are;
a small capital, an old-style figure) says nothing that can be checked. Both maps can lie in
step (the cmap rewritten as the /ToUnicode is): a glyph whose outline is nearer another letter
than the one its text says (`glyphshape`) is not believed either, whatever the maps say.

A span holding a glyph whose text lies, or a word with one that cannot be checked (one letter
said wrong hides a name), is read by OCR where names are hidden (`dossier.redact.picture_text`),
as glyphs of no character are; what OCR reads there confirms the glyphs that cannot be checked
(`GlyphTruth.confirm`), so that a subset's letters are read once, not on every page.

The glyphs are followed as MuPDF draws the page (a device of our own): each span comes with the
very font it is drawn in, which its name does not tell (a subset and the font MuPDF draws for
one not embedded can share it).
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated; we call them directly here.)

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from dossier.pdf import glyphshape
from dossier.pdf.mupdf import pymupdf

log = logging.getLogger(__name__)

_pdf: Any = pymupdf
_mu: Any = pymupdf.mupdf

Rect = tuple[float, float, float, float]

MIN_GLYPHS = 2
"""Glyphs of a word, at least, for one whose text cannot be checked to have it read as the page
shows it: a glyph alone between spaces (a bullet, a symbol of a font of its own) spells no
name."""

_PRIVATE = range(0xE000, 0xF900)
"""A symbol font's cmap (3,0) names its glyphs U+F020-U+F0FF: no character a reader knows."""


_NO_CHARACTER = frozenset("\ufffd") | frozenset(map(chr, _PRIVATE))
"""What a glyph of no character reads: the words they spell are read as shown already."""


_LETTERS = frozenset(("Lu", "Ll", "Lt", "Lo", "Nd"))
"""What spells a name: letters and digits, not a modifier (a circumflex alone), a circled
number or a fraction, which fonts of symbols draw."""


def _spells(text: str) -> bool:
    return any(unicodedata.category(c) in _LETTERS for c in text)


def _base(text: str) -> str:
    """`text` as its letters read: compatibility forms (Arabic presentation forms, ligatures,
    full-width letters) as the plain letters they are, marks and case aside."""
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


class FontMap:
    """The character map of one font MuPDF draws with: which glyph draws each character, and
    which characters each glyph draws. Empty when the font has none, or private characters
    only. Read from the font as asked: a character at a time while the text says true, whole
    the first time it does not (a CJK font maps tens of thousands)."""

    def __init__(self, fresh: Any, drawn: Any = None) -> None:
        self._font = fresh
        self._drawn = drawn
        self._shapes: dict[int, int | None] = {}
        self.drawn_otherwise: set[int] = set()
        """Glyphs drawn clearly as another letter than their text says (`glyphshape.CLEARLY`),
        whatever the maps say."""
        self._glyph: dict[int, int] = {}
        self._whole: tuple[dict[int, int], dict[int, set[str]]] | None = None
        self._said: dict[tuple[str, int], bool | None] = {}
        self.inked: dict[int, bool] = {}
        self.true_pairs: set[tuple[int, int]] = set()
        """(character, glyph) of the text found true, for spans drawn of them alone."""

    def _glyph_of(self, point: int) -> int:
        if point not in self._glyph:
            found = 0
            if self._font is not None and point not in _PRIVATE and point > 0x1F:
                found = _mu.fz_encode_character(self._font, point)
            self._glyph[point] = found
        return self._glyph[point]

    @property
    def glyph_of(self) -> dict[int, int]:
        return self._read_whole()[0]

    @property
    def chars_of(self) -> dict[int, set[str]]:
        return self._read_whole()[1]

    def _read_whole(self) -> tuple[dict[int, int], dict[int, set[str]]]:
        if self._whole is None:
            glyph_of: dict[int, int] = {}
            chars_of: dict[int, set[str]] = {}
            for point, glyph in _pairs(self._font):
                if glyph > 0 and point not in _PRIVATE and point > 0x1F:
                    glyph_of.setdefault(point, glyph)
                    chars_of.setdefault(glyph, set()).add(_base(chr(point)))
            self._whole = (glyph_of, chars_of)
        return self._whole

    def says(self, claimed: str, glyph: int) -> bool | None:
        """Whether `glyph` draws `claimed` (one character, or the few a ligature is read as)
        as this map says: True, False (the glyph draws a letter or digit other than
        `claimed`), None when the map cannot tell (no map; a glyph it does not hold)."""
        key = (claimed, glyph)
        if key not in self._said:
            self._said[key] = self._says(claimed, glyph)
        return self._said[key]

    def _says(self, claimed: str, glyph: int) -> bool | None:
        said = self._mapped(claimed, glyph)
        if said is False or self._drawn is None:
            return said
        # Both maps can lie in step (the glyph of "L" in the font's cmap and its /ToUnicode
        # as "x"): what the glyph draws is its outline. One drawn nearer another letter than
        # the one its text says is not believed, whatever the maps say: read by OCR.
        unlike = glyphshape.unlike(claimed, self.shape(glyph))
        if unlike is None or unlike <= 0:
            return said
        # Glyph 0 is a font's mark of no glyph (a box): what the codes of a subset that it no
        # longer holds draw (`pages_whose_text_lies`), never a letter.
        if unlike > glyphshape.CLEARLY and claimed.isascii() and claimed.isalnum() and glyph:
            self.drawn_otherwise.add(glyph)
        return None

    def shape(self, glyph: int) -> int | None:
        if glyph not in self._shapes:
            self.prepare_shapes([glyph])
        return self._shapes[glyph]

    def prepare_shapes(self, glyphs: Iterable[int]) -> None:
        """Draw the shapes of `glyphs` not drawn yet, together (`glyphshape.shapes`)."""
        new = sorted({g for g in glyphs if g not in self._shapes})
        if new and self._drawn is not None:
            self._shapes.update(zip(new, glyphshape.shapes(self._drawn, new), strict=True))

    def _mapped(self, claimed: str, glyph: int) -> bool | None:
        if len(claimed) == 1 and self._glyph_of(ord(claimed)) == glyph:
            return True
        drawn = self.chars_of.get(glyph)
        if not drawn:
            # A glyph a map does not hold (TeX's primes, an old-style figure, a small
            # capital): said to be a letter or digit, what it draws is not known; said to be
            # punctuation or a symbol, it is believed (a font without a map believes nothing).
            return None if not self.glyph_of or _spells(claimed) else True
        if _base(claimed) in drawn:
            return True
        # A glyph that draws no letter or digit (punctuation, a symbol) spells no name,
        # whatever it is said to be: a hyphen read U+2010, a quote read straight.
        return not any(_spells(c) for c in drawn)


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


def _fresh(font: Any) -> Any | None:
    """The font read from its file anew, as FreeType maps it when nothing chooses a map (the
    Unicode one: MuPDF's copy maps the PDF's character codes); None if it cannot be."""
    buffer = font.m_internal.buffer
    if not buffer:
        return None
    try:
        return _mu.fz_new_font_from_buffer(None, _mu.FzBuffer(_mu.ll_fz_keep_buffer(buffer)), 0, 0)
    # PyMuPDF raises a bare Exception for a font FreeType cannot read again.
    except Exception:
        return None


def _pairs(font: Any | None) -> list[tuple[int, int]]:
    """The (character, glyph) pairs of the font's map."""
    if font is None:
        return []
    try:
        return [(pair.ucs, pair.gid) for pair in _mu.fz_enumerate_font_cmap2(font)]
    except Exception:  # as `_fresh`
        return []


Pair = tuple[int, int, str]
"""(font, glyph, what the text says it is): what OCR can confirm."""


@dataclass
class _Glyph:
    said: bool | None
    """What the font's map says of the text (`FontMap.says`); None when it cannot tell."""
    pair: Pair
    claimed: str
    box: Rect
    blank: bool
    """A space as its text says: a glyph said to be one that the map draws so, or that
    draws nothing (a font without a map)."""
    order: int
    """Its place among the glyphs the page draws."""
    spells: bool = True
    """Said to be a letter or digit (`_spells`): a glyph believed to be punctuation or a
    symbol (an '∂' before a 'u') makes no word of the name it stands by."""


@dataclass
class _Span:
    box: Rect
    glyphs: list[_Glyph]

    def doubtful(self, confirmed: set[Pair]) -> bool:
        """Whether the span holds a glyph whose text the font's map contradicts, or a word of
        `MIN_GLYPHS` letters or more with one whose text cannot be checked and OCR has not
        confirmed: one letter said wrong is enough to hide a name. A glyph that cannot be
        checked counts as a letter, whatever it is said to be."""
        length = 0
        unchecked = False
        for glyph in self.glyphs:
            if glyph.said is False:
                return True
            if glyph.blank:
                if unchecked and length >= MIN_GLYPHS:
                    return True
                length, unchecked = 0, False
                continue
            unsure = glyph.said is None and glyph.pair not in confirmed
            length += unsure or glyph.spells
            unchecked = unchecked or unsure
        return unchecked and length >= MIN_GLYPHS


def _span(chars: Any, box: Rect, key: int, font: Any, fontmap: FontMap, start: int) -> _Span | None:
    """The glyphs of a span (its (character, glyph, origin, box) as the trace reads them) with
    what `fontmap` says of them; None when it says every one is true."""
    if fontmap.true_pairs.issuperset({(c[0], c[1]) for c in chars}):
        return None  # most spans: each (character, glyph) of theirs is known true
    known = fontmap.true_pairs
    fontmap.prepare_shapes(c[1] for c in chars if c[1] >= 0 and (c[0], c[1]) not in known)
    glyphs: list[_Glyph] = []
    length = len(chars)
    for i, (ucs, glyph, _origin, where) in enumerate(chars):
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
        if said and len(claimed) == 1:
            fontmap.true_pairs.add((ucs, glyph))
        blank = claimed.isspace() and (bool(said) or not _inked(font, glyph, fontmap))
        pair = (key, glyph, claimed)
        glyphs.append(_Glyph(said, pair, claimed, tuple(where), blank, start + i, _spells(claimed)))
    if all(g.said for g in glyphs):
        return None
    return _Span(box, glyphs)


def _inked(font: Any, glyph: int, fontmap: FontMap) -> bool:
    """Whether `glyph` draws anything: a space of a font without a map is one only if not."""
    if glyph not in fontmap.inked:
        bound = _mu.fz_bound_glyph(font, glyph, _mu.FzMatrix())
        # An empty glyph is bounded by a point (1e-7 of an em across).
        fontmap.inked[glyph] = bound.x1 - bound.x0 > 1e-3 and bound.y1 - bound.y0 > 1e-3
    return fontmap.inked[glyph]


class GlyphTruth:
    """The maps of the fonts of one document, each read once; the spans of its pages whose
    text lies about their glyphs or cannot be checked; and the glyphs OCR confirmed.

    A glyph of a font without a map says what it draws once OCR read, where it is drawn, a
    word whose letters are those the text says (`confirm`): a subset's common letters are
    confirmed on its first lines, and the spans of its next pages are read again only where
    they hold glyphs not seen yet. A glyph whose text the font's map contradicts is never
    confirmed."""

    def __init__(self, *, shapes: bool = True) -> None:
        # The font is held with its map: freed, its address could be another font's.
        self._maps: dict[int, tuple[Any, FontMap]] = {}
        self._shapes = shapes
        self._pages: dict[int, list[_Span]] = {}
        self._confirmed: set[Pair] = set()

    def doubtful_spans(self, page: Any) -> list[Rect]:
        """The boxes (unrotated coordinates) of `page`'s spans holding `MIN_GLYPHS` glyphs in a
        row whose text says other than what they draw, or says what cannot be checked and OCR
        has not confirmed; each page is followed once."""
        if page.number not in self._pages:
            self._pages[page.number] = self._follow(page)
        return [s.box for s in self._pages[page.number] if s.doubtful(self._confirmed)]

    def confirm(self, page: int, words: Iterable[tuple[str, Rect]]) -> None:
        """Take the glyphs of page `page` under each word OCR read there (`words`: its text,
        its box in unrotated coordinates) for what the text says, when together they say that
        word."""
        rows: dict[int, list[_Glyph]] = {}
        for glyph in (g for span in self._pages.get(page, ()) for g in span.glyphs):
            for row in range(int(glyph.box[1] // _ROW), int(glyph.box[3] // _ROW) + 1):
                rows.setdefault(row, []).append(glyph)
        if not rows:
            return
        for text, box in words:
            near = {
                id(g): g
                for row in range(int(box[1] // _ROW), int(box[3] // _ROW) + 1)
                for g in rows.get(row, ())
            }
            # In the order drawn: letters of the word said in another order confirm nothing.
            under = sorted((g for g in near.values() if _under(g.box, box)), key=lambda g: g.order)
            said = _letters("".join(g.claimed for g in under))
            if len(said) >= MIN_GLYPHS and said == _letters(text):
                self._confirmed.update(g.pair for g in under if g.said is None)

    def _follow(self, page: Any) -> list[_Span]:
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
            doubt = _Glyph(False, (0, 0, ""), "", (0.0, 0.0, 0.0, 0.0), False, 0)
            return [
                _Span(tuple(span["bbox"]), [doubt] * MIN_GLYPHS)
                for span in spans
                if len(span["chars"]) >= MIN_GLYPHS
            ]
        found: list[_Span] = []
        start = 0
        for span, (font, length) in zip(spans, fonts, strict=True):
            key, fontmap = self._map(font)
            glyphs = _span(span["chars"], tuple(span["bbox"]), key, font, fontmap, start)
            if glyphs is not None:
                found.append(glyphs)
            start += length
        return found

    def _map(self, font: Any) -> tuple[int, FontMap]:
        key = font.m_internal_value()
        if key not in self._maps:
            # A Type 3 font draws its glyphs with content of its own (pictures, outlines, or
            # the letters of another font), which no character map tells: a font without a
            # map, its words read by OCR. Left out, a name drawn by glyphs read as other
            # letters left in the export with a self-check that passed.
            type3 = bool(font.m_internal.t3procs)
            drawn = font if self._shapes else None
            fontmap = FontMap(None, None) if type3 else FontMap(_fresh(font), drawn)
            self._maps[key] = (font, fontmap)
        return key, self._maps[key][1]


_ROW = 8.0
"""Points of the page's height per row of glyphs looked through for a word's."""


def _under(glyph: Rect, word: Rect) -> bool:
    """Whether the glyph boxed `glyph` is one of the word OCR boxed `word`: its middle within
    the word's width, the two boxes over each other."""
    middle = (glyph[0] + glyph[2]) / 2
    return word[0] <= middle <= word[2] and glyph[1] < word[3] and word[1] < glyph[3]


def _letters(text: str) -> str:
    return "".join(c for c in _base(text) if c.isalnum())


def pages_whose_text_lies(doc: Any) -> list[int]:
    """The indexes of the pages of `doc` that draw text in a font whose text the font's own
    map contradicts for some glyph: each font is drawn once, all its codes, on a page of its
    own (the cost of a font, not of every page: what an import can pay).

    At most `_MOST_CODES_IN_ALL` codes are drawn for the whole document, fonts of fewer codes
    first: a page's resources can name thousands of fonts of 20,000 codes each (a copy of a
    font's dict is a few dozen bytes), each drawn under the MuPDF lock, the viewer waiting
    (0.18 CPU-s a font, half an hour for 10,000). A real subset names a few dozen codes, so
    the fonts past the bound are the ones made big."""
    used: dict[int, set[int]] = {}
    for page in doc:
        for xref, *_rest in page.get_fonts(full=True):
            used.setdefault(xref, set()).add(page.number)
    checks: list[tuple[int, int, bool, bytes, bool]] = []
    # The codes of each /ToUnicode, read once however many fonts share it.
    maps: dict[tuple[str, bool], bytes] = {}
    for xref in used:
        kind = doc.xref_get_key(xref, "Subtype")[1]
        if kind not in ("/Type0", "/Type1", "/TrueType", "/MMType1"):
            continue  # Type 3: drawn by content of its own (`picture_groups`)
        wide = kind == "/Type0"
        ref = doc.xref_get_key(xref, "ToUnicode")[1]
        if (ref, wide) not in maps:
            maps[ref, wide] = _codes(doc, xref, wide=wide)
        codes = maps[ref, wide]
        if codes:
            checks.append((len(codes) // (2 if wide else 1), xref, wide, codes, ref != "null"))
    left = _MOST_CODES_IN_ALL
    lying: set[int] = set()
    for count, xref, wide, codes, mapped in sorted(checks, key=lambda check: check[:2]):
        if count > left:
            break
        left -= count
        if _font_lies(doc, xref, codes, wide=wide, mapped=mapped):
            lying.add(xref)
    return sorted({index for xref in lying for index in used[xref]})


_MOST_CODES_IN_ALL = 100_000
"""Codes drawn to check a document's fonts, at most (five fonts of `_MOST_CODES`: 0.9 CPU-s)."""


_SOURCES = re.compile(rb"begin(?:bfchar|bfrange)(.*?)endbf", re.DOTALL)
_SOURCE_CODE = re.compile(rb"<([0-9a-fA-F]{2,8})>")
_RANGES = re.compile(rb"beginbfrange(.*?)endbfrange", re.DOTALL)
_RANGE_TOKEN = re.compile(rb"<[0-9a-fA-F]*>|\[[^\]]*\]")


def _font_lies(doc: Any, xref: int, codes: bytes, *, wide: bool, mapped: bool) -> bool:
    """Whether the font `xref` of `doc`, `codes` drawn (`_codes`), has a glyph whose text its
    map contradicts, or glyphs drawn clearly as other letters. Without a /ToUnicode
    (`mapped` false) only the latter: a subset's codes it does not use draw what its
    encoding no longer names (an 'Æ' as another glyph)."""
    with _pdf.open() as sheet:
        page = sheet.new_page(width=1000, height=1000)
        target = _mu.pdf_document_from_fz_document(sheet.this)
        source = _mu.pdf_document_from_fz_document(doc.this)
        copied = _mu.pdf_graft_object(target, _mu.pdf_load_object(source, xref))
        font = _mu.pdf_to_num(_mu.pdf_add_object(target, copied))
        contents = sheet.get_new_xref()
        sheet.update_object(contents, "<<>>")
        # Lines of 64 codes, so that no glyph is drawn far off the sheet.
        width = 2 if wide else 1
        lines = [codes[i : i + 64 * width] for i in range(0, len(codes), 64 * width)]
        shown = b"".join(b"<%s> Tj 0 -12 Td " % line.hex().encode() for line in lines)
        sheet.update_stream(contents, b"BT /F0 10 Tf 10 990 Td " + shown + b"ET")
        sheet.xref_set_key(page.xref, "Contents", f"{contents} 0 R")
        sheet.xref_set_key(page.xref, "Resources", f"<< /Font << /F0 {font} 0 R >> >>")
        # A font the file does not carry is drawn by the reader's own font of that name, whose
        # glyphs are the letters its map says: only the maps can lie (its /Encoding naming
        # other glyphs than its /ToUnicode's letters). Not drawing its shapes spared an import
        # of 80 pages in Helvetica 0.13 of its 0.36 CPU-s.
        truth = GlyphTruth(shapes=_embedded(doc, xref))
        spans = truth._follow(sheet[0])
        if mapped and any(glyph.said is False for span in spans for glyph in span.glyphs):
            return True
        # Both maps lying in step: glyphs drawn clearly as other letters than their text
        # says. One alone can be a font's odd design (a math italic 'v').
        drawn = sum(len(fontmap.drawn_otherwise) for _font, fontmap in truth._maps.values())
        return drawn >= _DRAWN_OTHERWISE


def _embedded(doc: Any, xref: int) -> bool:
    """Whether the font `xref` of `doc` carries its own font program (a composite font: its
    descendant's); True when that cannot be told, so that its shapes are judged."""
    font = xref
    if doc.xref_get_key(xref, "Subtype")[1] == "/Type0":
        kind, value = doc.xref_get_key(xref, "DescendantFonts")
        if kind == "xref":
            kind, value = "array", doc.xref_object(int(value.split()[0]), compressed=True)
        found = re.fullmatch(r"\[\s*(\d+)\s+0\s+R\s*\]", value.strip()) if kind == "array" else None
        if found is None:
            return True
        font = int(found.group(1))
    kind, value = doc.xref_get_key(font, "FontDescriptor")
    if kind != "xref":
        return bool(kind != "null")
    descriptor = int(value.split()[0])
    return any(
        doc.xref_get_key(descriptor, key)[0] != "null"
        for key in ("FontFile", "FontFile2", "FontFile3")
    )


_DRAWN_OTHERWISE = 2
"""Glyphs of a font drawn clearly as other letters (`glyphshape.CLEARLY`) that tell its text
lies, at least: of the corpus's fonts, one has one such glyph, none two."""


_MOST_CODES = 20_000
"""Codes of a font drawn to check it, at most (a CJK font's)."""


def _codes(doc: Any, xref: int, *, wide: bool) -> bytes:
    """The codes the font's /ToUnicode names (those its text is read through: a subset's, the
    ones it draws), as one string. Without a /ToUnicode, a simple font's from its /FirstChar
    to its /LastChar: its text says what its encoding names each code, and the glyph drawn
    is the one the font's own map gives that name, which can lie too; a CID font's none (its
    text says nothing: `picture_text.unmapped_lines`)."""
    kind, ref = doc.xref_get_key(xref, "ToUnicode")
    if kind != "xref":
        return b"" if wide else bytes(range(*_simple_range(doc, xref)))
    try:
        stream = doc.xref_stream(int(ref.split()[0])) or b""
    except Exception:  # a damaged stream: MuPDF reads no text through it either
        return b""
    digits = 4 if wide else 2
    sources = b"\n".join(_SOURCES.findall(stream))
    found = {int(code, 16) for code in _SOURCE_CODE.findall(sources) if len(code) == digits}
    # A range names every code from its first to its last, each read as a character of its
    # own: its two ends alone left the codes inside it undrawn, their glyphs unchecked.
    for block in _RANGES.findall(stream):
        # Each entry is three tokens: first code, last code, then a character or a list.
        tokens = _RANGE_TOKEN.findall(block)
        for first, last, _to in zip(tokens[0::3], tokens[1::3], tokens[2::3], strict=False):
            if len(first) == len(last) == digits + 2 and len(found) < _MOST_CODES:
                low = int(first[1:-1], 16)
                high = min(int(last[1:-1], 16), low + _MOST_CODES - len(found))
                found.update(range(low, high + 1))
    return b"".join(code.to_bytes(digits // 2, "big") for code in sorted(found)[:_MOST_CODES])


def _simple_range(doc: Any, xref: int) -> tuple[int, int]:
    """The codes (start, end) a simple font's /Widths are given for, control codes aside; all
    of them when it says none (one of the standard 14)."""
    bounds = []
    for key, default in (("FirstChar", 0), ("LastChar", 255)):
        kind, value = doc.xref_get_key(xref, key)
        bounds.append(int(value) if kind == "int" else default)
    return max(0x20, min(bounds[0], 255)), max(0x20, min(bounds[1], 255) + 1)
