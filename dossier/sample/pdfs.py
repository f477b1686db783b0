"""PDFs of the sample case, generated in memory from the texts in `resources/sample/`.

Two kinds: printed documents with a text layer (articles, the letter, the transcript), set in
MuPDF's built-in Times and Helvetica, and a "scanned" page: the same layout drawn in Courier,
rendered to a greyish, speckled picture at scanner resolution and stored as the page's only
content, so that reading it needs OCR, as with a real photocopy.

The built-in fonts are embedded as Unicode fonts, so the text layer holds exactly the strings
of the texts: accents, curly apostrophes, guillemets and the narrow signs of French typography.
Nothing here touches the disk.
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated; we call them directly here.)

from __future__ import annotations

import functools
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dossier.pdf.mupdf import exclusive, pymupdf
from dossier.sample.texts import Block, BlockKind

A4 = (595.0, 842.0)
MARGIN_X = 64.0
MARGIN_TOP = 64.0
MARGIN_BOTTOM = 70.0
BLACK = (0.0, 0.0, 0.0)
GREY = (0.35, 0.35, 0.35)
FOOTER = "Exemple fictif créé pour Dossier — page {n} sur {total}"

Rect = tuple[float, float, float, float]


@dataclass(frozen=True)
class Style:
    font: str
    """A MuPDF built-in font: tiro, tiit, hebo, cour, cobo..."""
    size: float
    leading: float
    """Line height as a multiple of the size."""
    before: float = 0.0
    after: float = 0.0
    color: tuple[float, float, float] = BLACK


PRINTED: Mapping[BlockKind, Style] = {
    "title": Style("hebo", 17.0, 1.25, after=10.0),
    "heading": Style("hebo", 12.5, 1.3, before=8.0, after=5.0),
    "meta": Style("tiit", 10.0, 1.35, after=12.0, color=GREY),
    "para": Style("tiro", 11.0, 1.4, after=7.0),
}

TYPEWRITTEN: Mapping[BlockKind, Style] = {
    "title": Style("cobo", 17.0, 1.3, after=12.0),
    "heading": Style("cobo", 17.0, 1.3, before=10.0, after=12.0),
    "meta": Style("cour", 13.0, 1.3, after=10.0),
    # Large type: a scan read at 150 dpi still gives Tesseract well-formed letters.
    "para": Style("cour", 14.0, 1.35, after=12.0),
}


@dataclass(frozen=True)
class Line:
    """One laid-out line: where its baseline starts on which page, in points."""

    page: int
    text: str
    style: Style
    x: float
    baseline: float
    width: float

    @property
    def rect(self) -> Rect:
        """The box around the line's glyphs, with a small margin (for a redaction mark)."""
        size = self.style.size
        return (
            self.x - 3.0,
            self.baseline - size * 0.95 - 2.0,
            self.x + self.width + 3.0,
            self.baseline + size * 0.3 + 2.0,
        )


@functools.cache
@exclusive
def _font(code: str) -> Any:
    return pymupdf.Font(code)


def _embedded(code: str) -> str:
    return f"dossier-{code}"


def _width(text: str, style: Style) -> float:
    return float(_font(style.font).text_length(text, fontsize=style.size))


def wrap(text: str, style: Style, width: float) -> list[str]:
    """Greedy line breaking at spaces so that every line fits `width` points ("\n" breaks)."""
    lines: list[str] = []
    for forced in text.split("\n"):
        current = ""
        for word in forced.split():
            candidate = f"{current} {word}" if current else word
            if current and _width(candidate, style) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        if current:
            lines.append(current)
    return lines


def layout(
    blocks: Sequence[Block], styles: Mapping[BlockKind, Style], size: tuple[float, float] = A4
) -> list[Line]:
    """Every line of `blocks`, paginated (explicit `page` blocks and overflow both break)."""
    width, height = size
    usable = width - 2 * MARGIN_X
    page, y = 0, MARGIN_TOP
    lines: list[Line] = []
    for block in blocks:
        if block.kind == "page":
            page, y = page + 1, MARGIN_TOP
            continue
        style = styles[block.kind]
        step = style.size * style.leading
        if y > MARGIN_TOP:
            y += style.before
        for text in wrap(block.text, style, usable):
            if y + step > height - MARGIN_BOTTOM:
                page, y = page + 1, MARGIN_TOP
            baseline = y + style.size
            lines.append(Line(page, text, style, MARGIN_X, baseline, _width(text, style)))
            y += step
        y += style.after
    return lines


def _draw(doc: Any, lines: Sequence[Line], size: tuple[float, float]) -> None:
    pages = max((line.page for line in lines), default=0) + 1
    for number in range(pages):
        page = doc.new_page(width=size[0], height=size[1])
        on_page = [line for line in lines if line.page == number]
        for code in sorted({line.style.font for line in on_page}):
            # Under a name of our own: given a base-14 name ("tiro"), MuPDF would ignore the
            # buffer and write a WinAnsi font that has no curly apostrophe and no dash.
            page.insert_font(fontname=_embedded(code), fontbuffer=_font(code).buffer)
        for line in on_page:
            page.insert_text(
                (line.x, line.baseline),
                line.text,
                fontname=_embedded(line.style.font),
                fontsize=line.style.size,
                color=line.style.color,
            )


def _save(doc: Any, metadata: Mapping[str, str]) -> bytes:
    doc.set_metadata({"creator": "Dossier sample builder", "producer": "PyMuPDF", **metadata})
    data: bytes = doc.tobytes(garbage=4, deflate=True)
    doc.close()
    return data


@exclusive
def printed_pdf(blocks: Sequence[Block], metadata: Mapping[str, str]) -> bytes:
    """A PDF with a text layer: the blocks set in Times and Helvetica, a footer on each page.

    `metadata` uses PyMuPDF's keys (title, author, subject, creationDate as "D:YYYYMMDD").
    """
    lines = layout(blocks, PRINTED)
    total = max((line.page for line in lines), default=0) + 1
    footer = Style("helv", 8.0, 1.0, color=GREY)
    for number in range(total):
        text = FOOTER.format(n=number + 1, total=total)
        lines.append(Line(number, text, footer, MARGIN_X, A4[1] - 36.0, _width(text, footer)))
    doc = pymupdf.open()
    _draw(doc, lines, A4)
    return _save(doc, metadata)


@exclusive
def scanned_pdf(
    blocks: Sequence[Block], metadata: Mapping[str, str], *, dpi: int = 150, seed: int = 31
) -> tuple[bytes, list[Line]]:
    """A one-page PDF holding only a picture of the blocks, as from an office scanner.

    Returns the PDF and the lines as laid out before rendering: their rectangles are where the
    words lie on the picture (in points), e.g. to place a redaction mark.
    """
    lines = layout(blocks, TYPEWRITTEN)
    if any(line.page for line in lines):
        raise ValueError("the scanned sample text must fit on one page")
    source = pymupdf.open()
    _draw(source, lines, A4)
    clean = source[0].get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    source.close()
    picture = _aged(clean, random.Random(seed))
    doc = pymupdf.open()
    page = doc.new_page(width=A4[0], height=A4[1])
    page.insert_image(page.rect, stream=picture.tobytes("jpeg", jpg_quality=72))
    return _save(doc, metadata), lines


def _aged(pixmap: Any, rng: random.Random) -> Any:
    """Greyish paper, slightly washed-out ink and a sprinkle of dust, like a photocopy."""
    # White becomes light grey and black dark grey: one lookup per byte, no Python loop.
    tone = bytes(int(34 + value * 0.83) for value in range(256))
    aged = pymupdf.Pixmap(
        pymupdf.csGRAY, pixmap.width, pixmap.height, bytes(pixmap.samples).translate(tone), False
    )
    aged.set_dpi(pixmap.xres, pixmap.yres)
    for _ in range(pixmap.width * pixmap.height // 6_000):
        x, y = rng.randrange(pixmap.width - 2), rng.randrange(pixmap.height - 2)
        side = rng.choice((1, 1, 1, 2))
        aged.set_rect(pymupdf.IRect(x, y, x + side, y + side), (rng.randrange(140, 215),))
    return aged
