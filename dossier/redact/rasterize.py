"""Pages rebuilt as pictures, with an invisible text layer so they stay searchable.

A redacted vector page still holds the exact positions of the glyphs around each box, from
which the widths of the removed words can be estimated ("glyph-width attacks"). A rasterized
page holds pixels only: it is rendered, the boxes are painted black into the pixels themselves,
and the page is replaced by that image (the approach of DocumentCloud and Dangerzone).

The invisible text layer is written by Dossier itself, word by word, in one embedded font, from
the words that survive the redaction: the page's own word map when there is one (native text,
or the OCR done at import), otherwise Tesseract's reading of the rendered image. A word that
touches a box is left out whole.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dossier.pdf.mupdf import pymupdf
from dossier.pdf.ocr import ocr_reading, tessdata_dir
from dossier.redact.marks import Rect

log = logging.getLogger(__name__)

RASTER_DPI = 200
"""Legible on screen and on paper, OCR-friendly, about 1 MB a page."""
MAX_PIXELS = 40_000_000

_pdf: Any = pymupdf
_FONT_NAME = "DossierText"


@dataclass(frozen=True)
class TextWord:
    """A word to put back in an invisible layer, in unrotated page coordinates."""

    rect: Rect
    text: str


def overlaps(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def surviving(words: Sequence[TextWord], rects: Sequence[Rect]) -> list[TextWord]:
    """Words that touch none of the boxes."""
    return [w for w in words if not any(overlaps(w.rect, r) for r in rects)]


def _font() -> Any:
    return _pdf.Font("tiro")


def add_invisible_text(page: Any, words: Sequence[TextWord]) -> int:
    """Write `words` as invisible text (render mode 3) where they stood; return the count.

    One embedded Unicode font (MuPDF's Times clone) for every page: saved with `garbage=4`,
    its copies are merged into one. The page must have rotation 0 while writing (its
    coordinates are then the unrotated ones the word boxes use).
    """
    if not words:
        return 0
    font = _font()
    page.insert_font(fontname=_FONT_NAME, fontbuffer=font.buffer)
    shape = page.new_shape()
    written = 0
    for word in words:
        text = "".join(c for c in word.text if c.isprintable() and not c.isspace())
        x0, y0, x1, y1 = word.rect
        width, height = x1 - x0, y1 - y0
        if not text or width <= 0 or height <= 0:
            continue
        # Sideways text (a rotated page seen unrotated) runs along the box's long side.
        vertical = height > width * 1.5 and len(text) > 2
        size = max(1.0, (width if vertical else height) * 0.8)
        natural = font.text_length(text, fontsize=size)
        if natural <= 0:
            continue
        if vertical:
            matrix = _pdf.Matrix(1, 0, 0, height / natural, 0, 0)
            rotate = 90
            origin = _pdf.Point(x0 + width * 0.2, y1)
        else:
            origin = _pdf.Point(x0, y1 - height * 0.2)
            matrix = _pdf.Matrix(width / natural, 0, 0, 1, 0, 0)
            rotate = 0
        shape.insert_text(
            origin,
            text,
            fontname=_FONT_NAME,
            fontsize=size,
            render_mode=3,
            rotate=rotate,
            morph=(origin, matrix),
        )
        written += 1
    shape.commit()
    return written


def ocr_page_words(page: Any) -> list[TextWord]:
    """Tesseract's words on an image-only page, or [] when no language data is installed."""
    tessdata = tessdata_dir()
    if tessdata is None:
        log.debug("no Tesseract data: page %d stays without a text layer", page.number + 1)
        return []
    with ocr_reading(page, 300, tessdata) as (ocr_page, textpage):
        words = ocr_page.get_text("words", textpage=textpage)
    return [TextWord(tuple(w[:4]), w[4]) for w in words]


def rasterize_page(
    doc: Any,
    index: int,
    rects: Sequence[Rect],
    words: Sequence[TextWord] | None,
    *,
    dpi: int = RASTER_DPI,
    painted: Sequence[Rect] | None = None,
) -> int:
    """Replace page `index` of `doc` by its picture, boxes blacked out in the pixels.

    `words` are the page's words before redaction (None: none known, OCR the picture). Returns
    the number of words in the new invisible text layer. `painted`: where the boxes are
    blacked out, when wider than `rects` (whose words leave the text layer).
    """
    page = doc[index]
    rotation = page.rotation
    page.set_rotation(0)
    area = page.rect.width * page.rect.height / (72.0 * 72.0)
    if area > 0:
        dpi = max(72, min(dpi, int((MAX_PIXELS / area) ** 0.5)))
    zoom = dpi / 72.0
    pixmap = page.get_pixmap(matrix=_pdf.Matrix(zoom, zoom), alpha=False, annots=False)
    for rect in rects if painted is None else painted:
        box = (_pdf.Rect(rect) * _pdf.Matrix(zoom, zoom)).irect
        # Paint the pixels themselves: a box drawn over the image would leave them beneath.
        pixmap.set_rect(box, (0, 0, 0))
    width, height = page.rect.width, page.rect.height
    doc.delete_page(index)
    new = doc.new_page(pno=index, width=width, height=height)
    new.insert_image(new.rect, pixmap=pixmap)
    if words is None:
        words = ocr_page_words(new)
    count = add_invisible_text(new, surviving(words, rects))
    if rotation:
        new.set_rotation(rotation)
    return count
