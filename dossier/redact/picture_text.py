"""The text inside the pictures of a page, read by OCR: a name in a screenshot, a letterhead,
a photo of a memo pasted on a page that has text of its own.

A page read by OCR at import has the words of its pictures already; a page with a text layer
does not: its pictures are read here, for the boxes the export puts over them (`produce`) and
for the self-check of the bundle (`bundlecheck`). Each picture is read from its own pixels,
all of them (what a recipient extracting it gets, a part the page clips away too), as the
page shows it, and as it is stored when it is drawn turned (Tesseract reads upright lines
only; a recipient sees the picture both ways). Text turned inside the picture itself (a photo
of a memo lying sideways, shown as taken) is not read: four turns of every picture cost four
times the OCR. It is read at the resolution `dossier.pdf.ocr` chooses for pictures, or at its
own when it is drawn smaller (a thumbnail), on a page of its own in memory, as it shows over a
white page (its soft mask applied), its shades stretched; the words come back with a matrix to
the page's (unrotated) coordinates. Pictures drawn against each other (strips, tiles, a line
split in two) are also read together, as the page shows them (`picture_groups`).

Only pictures that can hold legible text are read (`MIN_SIDE`, `MIN_LENGTH` pixels), and a
picture drawn several times the same size (a logo on every page) is read once.
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated; we call them directly here.)

from __future__ import annotations

import hashlib
import logging
import math
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dossier.jobs import CancelToken, check
from dossier.pdf.canonical import build_canonical
from dossier.pdf.glyphtruth import GlyphTruth
from dossier.pdf.layout import RawWord, reading_order
from dossier.pdf.mupdf import exclusive, pymupdf
from dossier.pdf.ocr import OCR_DPI, USEFUL_PIXELS, ocr_words, require_tessdata
from dossier.redact.picture_groups import is_letter, letter_groups, touching_groups, union
from dossier.text.model import PageText

log = logging.getLogger(__name__)

_pdf: Any = pymupdf

MIN_SIDE = 10
"""Pixels across the shorter side below which a picture holds no line of legible text (a rule,
a bullet, a gradient strip)."""
MIN_LENGTH = 24
"""Pixels along the longer side below which a picture holds no legible word."""

MAX_READ_PIXELS = USEFUL_PIXELS
"""Pixels a picture is enlarged to, at most, in each turn: an A4 page at 300 dpi."""
MAX_DECODED_PIXELS = 4 * USEFUL_PIXELS
"""Pixels a picture is decoded at, at most (and read at, when it is drawn at fewer)."""

Rect = tuple[float, float, float, float]


@dataclass(frozen=True)
class PictureText:
    """The words OCR read in one picture of a page, in the frame it was read in (the picture
    upright on a page of its own), and how that frame lies on the page."""

    page_index: int
    text: PageText
    to_page: Any
    """`pymupdf.Matrix` from the reading frame to the page's unrotated coordinates."""
    outlines: bool = False
    """Read from letters drawn as outlines (`picture_groups`): a box over them may leave
    the parts of a path it does not cover whole."""

    def on_page(self, rect: Rect) -> Rect:
        """`rect` of the reading frame as a box of the page (the box around it when the
        picture is drawn turned by other than quarter turns)."""
        box = _pdf.Rect(rect) * self.to_page
        return (box.x0, box.y0, box.x1, box.y1)


def can_hold_text(width: int, height: int) -> bool:
    return min(width, height) >= MIN_SIDE and max(width, height) >= MIN_LENGTH


def _drawn_size(transform: Any) -> tuple[float, float]:
    """The picture's width and height as drawn, in points, along its own axes."""
    matrix = _pdf.Matrix(transform)
    return math.hypot(matrix.a, matrix.b), math.hypot(matrix.c, matrix.d)


def _sheet_size(size: tuple[float, float], pixels: tuple[int, int]) -> tuple[float, float]:
    """The size in points of the page a picture `pixels` large, drawn `size` points large, is
    read on at `OCR_DPI`: its own pixels where it holds more than it is drawn at (a
    screenshot shown as a thumbnail, a long screenshot of a thread: a recipient extracting it,
    or zooming in, reads it at those; `_pixmap` bounds them), else its drawn size, made smaller
    if it would take more than `MAX_READ_PIXELS` (it is then read at fewer pixels: its text is
    large)."""
    width, height = size
    own = (pixels[0] * 72.0 / OCR_DPI, pixels[1] * 72.0 / OCR_DPI)
    if own[0] * own[1] >= width * height:
        return own
    dots = width * height * (OCR_DPI / 72.0) ** 2
    scale = min(1.0, math.sqrt(MAX_READ_PIXELS / dots)) if dots > 0 else 1.0
    return max(1.0, width * scale), max(1.0, height * scale)


def quarters(transform: Any, page_rotation: Any) -> tuple[int, ...]:
    """The quarter turns a picture is read in: as the page shows it, and as it is stored when
    it is drawn turned."""
    shown = _pdf.Matrix(transform) * page_rotation
    quarter = round(-math.degrees(math.atan2(shown.b, shown.a)) / 90) % 4
    return (quarter, 0) if quarter else (0,)


def _read_turns(
    pixmap: Any,
    size: tuple[float, float],
    turns: Sequence[int],
    tessdata: Path,
    cancel: CancelToken | None,
) -> list[tuple[list[RawWord], Any]]:
    """OCR of `pixmap` drawn `size` points large, turned each of `turns` quarter turns, on
    pages of its own: (words, matrix from that page to the picture's unit square) per turn."""
    width, height = _sheet_size(size, (pixmap.width, pixmap.height))
    read: list[tuple[list[RawWord], Any]] = []
    with _pdf.open() as sheet:
        xref = 0
        for quarter in turns:
            check(cancel)
            across, down = (width, height) if quarter % 2 == 0 else (height, width)
            page = sheet.new_page(width=across, height=down)
            if xref:  # the same picture: stored once in the sheet
                page.insert_image(page.rect, xref=xref, rotate=90 * quarter)
            else:
                xref = page.insert_image(page.rect, pixmap=pixmap, rotate=90 * quarter)
            (info,) = page.get_image_info()
            words = ocr_words(page, tessdata, flags=0, picture=True)
            read.append((words, ~_pdf.Matrix(info["transform"])))
    return read


def _pixmap(doc: Any, page: Any, info: dict[str, Any]) -> Any | None:
    """The picture's pixels as RGB or grey, at most `MAX_DECODED_PIXELS`, as a
    recipient sees them (`_legible`); None if MuPDF cannot decode it. A picture written inside
    the page's content (an inline image, without an object of its own) is taken from the
    page's text extraction."""
    try:
        if info["xref"]:
            pixmap = _with_mask(doc, info["xref"], _pdf.Pixmap(doc, info["xref"]))
        else:
            pixmap = _pdf.Pixmap(_inline_picture(page, info["number"]))
        while pixmap.width * pixmap.height > MAX_DECODED_PIXELS:
            pixmap.shrink(1)
        if pixmap.colorspace is None:  # a stencil mask: its ink is where it is opaque
            ink = bytes(pixmap.samples).translate(_INVERTED)
            return _pdf.Pixmap(_pdf.csGRAY, pixmap.width, pixmap.height, ink, False)
        if pixmap.n - pixmap.alpha not in (1, 3):  # CMYK, Lab: Tesseract takes grey or RGB
            pixmap = _pdf.Pixmap(_pdf.csRGB, pixmap)
        return _legible(pixmap)
    # PyMuPDF raises a bare Exception for a conversion it does not know.
    except Exception as exc:
        log.debug("a picture of page %d cannot be decoded (%s): not read", page.number + 1, exc)
        return None


def _with_mask(doc: Any, xref: int, pixmap: Any) -> Any:
    """`pixmap` with the soft mask or mask picture of picture `xref` as its alpha: what the
    page shows of it (MuPDF decodes the picture alone)."""
    for key in ("SMask", "Mask"):
        kind, value = doc.xref_get_key(xref, key)
        if kind != "xref":
            continue  # none, or a colour key mask (ranges of colours shown as they are)
        mask = _pdf.Pixmap(doc, int(value.split()[0]))
        if mask.colorspace is None:  # a stencil: opaque where the picture shows
            mask = _pdf.Pixmap(_pdf.csGRAY, mask.width, mask.height, mask.samples, False)
        elif mask.alpha or mask.n != 1:
            mask = _pdf.Pixmap(_pdf.csGRAY, mask)
        if (mask.width, mask.height) != (pixmap.width, pixmap.height):
            mask = _pdf.Pixmap(mask, pixmap.width, pixmap.height, None)
        if pixmap.alpha:
            pixmap = _pdf.Pixmap(pixmap, 0)
        return _pdf.Pixmap(pixmap, mask)
    return pixmap


def _legible(pixmap: Any) -> Any:
    """`pixmap` without alpha, as it shows on a white page (a transparent PNG's letters are
    often in its alpha alone, over pixels all black), its shades stretched from black to white
    (grey letters on a lighter grey, a faded scan: Tesseract reads none of them)."""
    if pixmap.alpha:
        with _pdf.open() as sheet:
            page = sheet.new_page(width=pixmap.width, height=pixmap.height)
            page.insert_image(page.rect, pixmap=pixmap)
            grey = pixmap.n - pixmap.alpha == 1
            pixmap = page.get_pixmap(colorspace=_pdf.csGRAY if grey else _pdf.csRGB)
    samples = bytes(pixmap.samples)
    low, high = min(samples, default=0), max(samples, default=255)
    if high - low < 1 or (low, high) == (0, 255):
        return pixmap
    stretch = bytes(min(255, max(0, (v - low) * 255 // (high - low))) for v in range(256))
    return _pdf.Pixmap(
        pixmap.colorspace, pixmap.width, pixmap.height, samples.translate(stretch), False
    )


def _inline_picture(page: Any, number: int) -> bytes:
    flags = _pdf.TEXT_PRESERVE_IMAGES
    for block in page.get_text("dict", flags=flags)["blocks"]:
        if block.get("type") == 1 and block.get("number") == number:
            return bytes(block["image"])
    raise ValueError("inline picture not found")


_INVERTED = bytes(range(255, -1, -1))


def pictures_to_read(page: Any) -> list[dict[str, Any]]:
    """The pictures of `page` that can hold legible text (`get_image_info` entries)."""
    return [
        info
        for info in page.get_image_info(xrefs=True)
        if can_hold_text(int(info["width"]), int(info["height"]))
    ]


Reading = list[tuple[list[RawWord], Any]]
"""(words, matrix from the reading frame to the picture's unit square) per turn read."""


class Readings:
    """The readings of one export's pictures by their pixels, in memory for its time only.

    The self-check reads the bundle's pictures again; one whose pixels, drawn size and turns
    are those of a picture the export read (every picture no box touched) is not read twice:
    Tesseract reads the same pixels the same way. Only the words are shared: the self-check
    searches them with needles of its own.
    """

    def __init__(self) -> None:
        self._by_pixels: dict[tuple[object, ...], Reading] = {}

    def get(self, key: tuple[object, ...]) -> Reading | None:
        return self._by_pixels.get(key)

    def keep(self, key: tuple[object, ...], reading: Reading) -> None:
        self._by_pixels[key] = reading


def _pixels_key(
    pixmap: Any, size: tuple[float, float], turns: tuple[int, ...]
) -> tuple[object, ...]:
    digest = hashlib.sha256(pixmap.samples_mv).digest()
    shape = (pixmap.width, pixmap.height, pixmap.n)
    return (digest, shape, round(size[0], 1), round(size[1], 1), turns)


def read_pictures(
    doc: Any,
    pages: Collection[int],
    cancel: CancelToken | None = None,
    readings: Readings | None = None,
    truth: GlyphTruth | None = None,
) -> Iterator[PictureText]:
    """The text of every picture that can hold some on the pages `pages` of `doc`; without
    Tesseract's language data, an EnvironmentFailure (never pictures left unread).
    `readings`: what was read already, and where what is read here is kept; `truth`: the
    glyphs of `doc` followed already (`pages_with_pictures_to_read`)."""
    readings = readings or Readings()
    truth = truth or GlyphTruth()
    cache: dict[tuple[object, int, int, tuple[int, ...]], Reading] = {}
    for index in sorted(pages):
        if index >= doc.page_count:
            continue
        page = doc[index]
        for info in pictures_to_read(page):
            check(cancel)
            transform = _pdf.Matrix(info["transform"])
            size = _drawn_size(transform)
            turns = quarters(transform, page.rotation_matrix)
            # An inline picture (no object of its own, xref 0) is its page's alone.
            picture = info["xref"] or (-1 - index, info["number"])
            key = (picture, round(size[0]), round(size[1]), turns)
            if key not in cache:
                pixmap = _pixmap(doc, page, info)
                if pixmap is None:
                    continue
                cache[key] = _reading(readings, pixmap, size, turns, cancel)
            yield from _texts(index, cache[key], transform)
        for group, turns in _groups(page):
            check(cancel)
            pixmap, to_page = _shown_together(page, group)
            size = (pixmap.width * 72.0 / OCR_DPI, pixmap.height * 72.0 / OCR_DPI)
            yield from _texts(index, _reading(readings, pixmap, size, turns, cancel), to_page)
        for box in _outlined_words(page):
            check(cancel)
            for read in _read_as_shown(readings, page, index, box, cancel):
                yield PictureText(index, read.text, read.to_page, outlines=True)
        for box in unmapped_lines(page):
            check(cancel)
            yield from _read_as_shown(readings, page, index, box, cancel)
        yield from _read_lying(readings, page, index, truth, cancel)


def _read_lying(
    readings: Readings, page: Any, index: int, truth: GlyphTruth, cancel: CancelToken | None
) -> Iterator[PictureText]:
    """What `page` draws in glyphs whose text lies or cannot be checked, read as the page
    shows it a block at a time: the glyphs each block confirms (`GlyphTruth.confirm`) are
    not read again in the next blocks, nor on the next pages."""
    for box in lying_lines(page, truth):
        if not any(_within(span, box) for span in truth.doubtful_spans(page)):
            continue  # its glyphs confirmed by the blocks read before it
        check(cancel)
        for text in _read_as_shown(readings, page, index, box, cancel):
            truth.confirm(index, _words_on_page(text))
            yield text


def _within(inner: Rect, outer: Rect) -> bool:
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and inner[2] <= outer[2]
        and inner[3] <= outer[3]
    )


def _words_on_page(read: PictureText) -> list[tuple[str, Rect]]:
    text = read.text.text
    return [
        (text[w.start : w.end], read.on_page((w.x0, w.y0, w.x1, w.y1))) for w in read.text.words
    ]


def _read_as_shown(
    readings: Readings, page: Any, index: int, box: Rect, cancel: CancelToken | None
) -> Iterator[PictureText]:
    pixmap, to_page = _shown_together(page, box)
    if not (pixmap.width and pixmap.height):
        return  # a box of no height or width (text drawn at size 0) shows nothing to read
    size = (pixmap.width * 72.0 / OCR_DPI, pixmap.height * 72.0 / OCR_DPI)
    yield from _texts(index, _reading(readings, pixmap, size, (0,), cancel), to_page)


def _outlined_words(page: Any) -> list[Rect]:
    """The boxes (unrotated coordinates) of what `page` draws as letters outlined."""
    return letter_groups([tuple(d["rect"]) for d in page.get_drawings() if is_letter(d)])


UNMAPPED = "\ufffd"
"""What MuPDF reads for a glyph its font maps to no character (`extract.TEXT_FLAGS`)."""


_UNMAPPED_WORD = re.compile("[\ufffd\ue000-\uf8ff\U000f0000-\U0010fffd]{2}")
"""Two glyphs of no character in a row, or of private characters (a font's /ToUnicode or
symbol cmap naming its glyphs U+E000-U+F8FF, which mean nothing to a reader): what a word, a
name, drawn so reads. One alone is a symbol of a font of its own (TeX's big brackets, a tax
form's pictograms), read by no one."""


def unmapped_lines(page: Any) -> list[Rect]:
    """The boxes (unrotated coordinates), one per block, of what `page` draws as words in
    glyphs of no known character (an embedded font without a /ToUnicode map, or one naming
    them private characters): their text says nothing, their pixels show what they draw."""
    boxes: list[Rect] = []
    for block in page.get_text("dict", flags=_pdf.TEXT_CLIP)["blocks"]:
        spans = [
            tuple(span["bbox"])
            for line in block.get("lines", ())
            for span in line["spans"]
            if _UNMAPPED_WORD.search(span["text"])
        ]
        if spans:
            boxes.append(union(spans))
    return boxes


def lying_lines(page: Any, truth: GlyphTruth) -> list[Rect]:
    """The boxes (unrotated coordinates) of what `page` draws in glyphs whose text says other
    than what they draw, or what cannot be checked (`glyphtruth`): the spans side by side or
    one above the other read together, as a block of glyphs of no character is."""
    spans = truth.doubtful_spans(page)
    grouped = touching_groups(spans, LYING_GAP)
    alone = set(range(len(spans))) - {i for group in grouped for i in group}
    return [union([spans[i] for i in group]) for group in grouped] + [spans[i] for i in alone]


LYING_GAP = 4.0
"""Points between spans read together: the words of a line, the lines of a paragraph."""


def _reading(
    readings: Readings,
    pixmap: Any,
    size: tuple[float, float],
    turns: tuple[int, ...],
    cancel: CancelToken | None,
) -> Reading:
    """The words of `pixmap` drawn `size` points large in each of `turns`: read already by
    `readings`, or read now and kept there."""
    by_pixels = _pixels_key(pixmap, size, turns)
    known = readings.get(by_pixels)
    if known is None:
        known = _read_turns(pixmap, size, turns, require_tessdata(), cancel)
        readings.keep(by_pixels, known)
    return known


def _texts(index: int, reading: Reading, to_page: Any) -> Iterator[PictureText]:
    for words, to_unit in reading:
        if words:
            text, word_map = build_canonical(reading_order(words))
            read = PageText(index=index, text=text, words=word_map, ocr=True)
            yield PictureText(index, read, to_unit * to_page)


def _groups(page: Any) -> list[tuple[Rect, tuple[int, ...]]]:
    """The boxes (in the page's unrotated coordinates) of the groups of pictures of `page`
    drawn against each other (`picture_groups`), and the quarter turns they are read in once
    shown: as shown, and as their largest picture is stored when it is drawn turned."""
    infos = [info for info in page.get_image_info() if info["width"] and info["height"]]
    boxes = [tuple(info["bbox"]) for info in infos]
    groups: list[tuple[Rect, tuple[int, ...]]] = []
    for group in touching_groups(boxes):
        box = union([boxes[i] for i in group])
        if _pdf.Rect(box).width <= 1 or _pdf.Rect(box).height <= 1:
            continue
        largest = max(group, key=lambda i: _pdf.Rect(boxes[i]).get_area())
        shown = quarters(infos[largest]["transform"], page.rotation_matrix)
        groups.append((box, tuple((4 - quarter) % 4 for quarter in reversed(shown))))
    return groups


def _shown_together(page: Any, box: Rect) -> tuple[Any, Any]:
    """The pixels of `box` (unrotated coordinates) as the page shows them, upright, at the
    resolution of its finest picture or `OCR_DPI` (at most `MAX_DECODED_PIXELS`), and the matrix
    from the unit square over those pixels to the page's unrotated coordinates."""
    shown = _pdf.Rect(box) * page.rotation_matrix
    densities = [
        72.0
        * math.sqrt(info["width"] * info["height"] / max(1e-6, _pdf.Rect(info["bbox"]).get_area()))
        for info in page.get_image_info()
        if _pdf.Rect(info["bbox"]).intersects(_pdf.Rect(box))
    ]
    most = 72.0 * math.sqrt(MAX_DECODED_PIXELS / max(1.0, shown.width * shown.height))
    dpi = min(max([OCR_DPI, *densities]), most)
    pixmap = page.get_pixmap(dpi=max(1, int(dpi)), clip=shown, colorspace=_pdf.csRGB)
    to_shown = _pdf.Matrix(shown.width, 0, 0, shown.height, shown.x0, shown.y0)
    return pixmap, to_shown * page.derotation_matrix


@exclusive
def texts_of_pictures(
    data: bytes, pages: Collection[int], readings: Readings | None = None
) -> list[tuple[int, str]]:
    """(page index, text) of every picture that can hold text on the pages `pages` of the PDF
    `data`: what the self-check searches."""
    with _pdf.open(stream=data, filetype="pdf") as doc:
        return [(p.page_index, p.text.text) for p in read_pictures(doc, pages, None, readings)]


def pages_with_pictures_to_read(
    doc: Any, known: Sequence[PageText], truth: GlyphTruth | None = None
) -> list[int]:
    """Indexes of the pages of `doc` whose pictures are read: those with a picture that can
    hold text, letters outlined, words in glyphs of no character or whose text lies about
    them (`truth`), and whose text was not read by OCR at import (that OCR read the
    pictures)."""
    truth = truth or GlyphTruth()
    read_at_import = {page.index for page in known if page.ocr}
    texts = {page.index: page.text for page in known}
    return [
        page.number
        for page in doc
        if page.number not in read_at_import
        and (
            pictures_to_read(page)
            or _outlined_words(page)
            or _unmapped_words_in(page, texts.get(page.number))
            or truth.doubtful_spans(page)
        )
    ]


def _unmapped_words_in(page: Any, text: str | None) -> bool:
    # The page's text as read already (at import, as `extract.TEXT_FLAGS` reads it, glyphs
    # of no character as U+FFFD): the page is not read again to know.
    if text is not None:
        return _UNMAPPED_WORD.search(text) is not None
    return bool(unmapped_lines(page))
