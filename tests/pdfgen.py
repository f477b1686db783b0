"""Test PDFs generated at test time with PyMuPDF, for any test that needs a real PDF.

Describe pages, then write them:

    from tests.pdfgen import write_pdf, text_page, columns_page, scanned_page
    path = write_pdf(tmp_path / "memo.pdf", [
        text_page(FRENCH_PARAGRAPHS[0], FRENCH_PARAGRAPHS[1]),
        columns_page(ENGLISH_PARAGRAPHS[:2], ENGLISH_PARAGRAPHS[2:4], row_by_row=True),
        text_page("Page shown sideways.", rotation=90),
        scanned_page("Texte lu par OCR."),           # an image only, no text layer
    ], metadata={"title": "Memo"}, attachments={"note.txt": b"hello"}, user_password="s3cret")

Text is set in MuPDF's built-in Times (Nimbus Roman), embedded as a Unicode font, so what the
text layer holds is exactly the string given: accents, curly quotes, ligature code points
("ﬁ" U+FB01) and soft hyphens (U+00AD) included. Paragraphs are wrapped to the column width;
a "\\n" inside a paragraph forces a line break there (e.g. "adminis\\u00ad\\ntration" for a
line-end soft hyphen). Paragraphs are separated by a blank line. Rotated pages (`rotation`)
are drawn so that they read upright once rotated, like a scanned landscape page.

Every writer returns the path it wrote. Nothing here asserts: tests do.
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated.)

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymupdf

A4 = (595.0, 842.0)
MARGIN = 56.0
GUTTER = 24.0
FONT_NAME = "dossier-serif"

_FONT = pymupdf.Font("tiro")

FRENCH_PARAGRAPHS: tuple[str, ...] = (
    "Le conseil départemental a voté jeudi soir une subvention exceptionnelle de "
    "1 200 000 euros pour la rénovation du collège, malgré l’opposition de trois élus.",
    "Interrogée sur l’origine des fonds, la présidente a refusé de répondre et a renvoyé "
    "les journalistes vers le service de communication, qui n’a pas donné suite.",
    "Selon un document interne consulté par notre rédaction, le chantier avait déjà pris "
    "dix-huit mois de retard avant même le vote de l’assemblée.",
    "« Nous n’avons jamais caché ces difficultés », affirme le directeur des travaux, qui "
    "assure que la sécurité des élèves n’a été menacée à aucun moment.",
)

ENGLISH_PARAGRAPHS: tuple[str, ...] = (
    "The county council approved an emergency grant on Thursday evening to repair the "
    "school roof, although three councillors voted against the motion.",
    "Asked where the money came from, the council leader declined to answer and referred "
    "reporters to the press office, which did not respond by the deadline.",
    "An internal memo seen by this newspaper shows that the works were already eighteen "
    "months behind schedule before the council ever voted on them.",
    "“We never hid these difficulties,” said the site manager, who insisted that pupils "
    "had not been put at risk at any point during the works.",
)


@dataclass(frozen=True)
class PageSpec:
    """One page to generate. Build it with `text_page`, `columns_page` or `scanned_page`."""

    columns: tuple[tuple[str, ...], ...]
    """Paragraphs per column; a single column is an ordinary page."""
    row_by_row: bool = False
    """Draw a multi-column page one visual row at a time, as some producers do (the IRS
    instructions in the shared corpus): MuPDF then interleaves the columns' lines."""
    rotation: int = 0
    scanned: bool = False
    fontsize: float = 11.0
    size: tuple[float, float] = A4
    """Unrotated width and height in points."""


def noise_page() -> bytes:
    """A one-page PDF of grey noise: Tesseract looks for letters in it for tens of CPU seconds
    (49 at load 14), a page whose reading is still running when a test acts on it."""
    with pymupdf.open() as document:
        page = document.new_page(width=595, height=842)
        noise = random.Random(16).randbytes(1240 * 1754)
        pixmap = pymupdf.Pixmap(pymupdf.csGRAY, 1240, 1754, noise, False)
        page.insert_image(page.rect, pixmap=pixmap)
        return bytes(document.tobytes())


def text_page(
    *paragraphs: str, rotation: int = 0, fontsize: float = 11.0, size: tuple[float, float] = A4
) -> PageSpec:
    """A single-column page with these paragraphs."""
    return PageSpec(columns=(tuple(paragraphs),), rotation=rotation, fontsize=fontsize, size=size)


def columns_page(
    *columns: Sequence[str], row_by_row: bool = False, fontsize: float = 11.0
) -> PageSpec:
    """A page with one column per argument, each a sequence of paragraphs."""
    return PageSpec(
        columns=tuple(tuple(column) for column in columns), row_by_row=row_by_row, fontsize=fontsize
    )


def scanned_page(*paragraphs: str, fontsize: float = 16.0) -> PageSpec:
    """A page holding only a picture of these paragraphs (no text layer), as from a scanner.

    The text is large by default so that Tesseract reads it reliably.
    """
    return PageSpec(columns=(tuple(paragraphs),), scanned=True, fontsize=fontsize)


def write_pdf(
    path: Path,
    pages: Sequence[PageSpec | str],
    *,
    metadata: Mapping[str, str] | None = None,
    attachments: Mapping[str, bytes] | None = None,
    page_labels: Sequence[Mapping[str, object]] | None = None,
    user_password: str | None = None,
    owner_password: str | None = None,
    scan_dpi: int = 200,
) -> Path:
    """Write a PDF with `pages` (a plain string is a one-paragraph text page).

    `metadata` uses PyMuPDF's keys (title, author, subject, keywords, creator, producer,
    creationDate as "D:YYYYMMDDHHmmSS"); `attachments` maps file names to contents;
    `page_labels` is PyMuPDF's `Document.set_page_labels` rule list (e.g.
    `[{"startpage": 0, "prefix": "A-", "style": "D", "firstpagenum": 1}]`). With a password,
    the file is encrypted with AES-256.
    """
    doc = pymupdf.open()
    for spec in pages:
        if isinstance(spec, str):
            spec = text_page(spec)
        if spec.scanned:
            _add_scanned_page(doc, spec, scan_dpi)
        else:
            _draw_page(doc.new_page(width=spec.size[0], height=spec.size[1]), spec)
    if metadata:
        doc.set_metadata(dict(metadata))
    for name, data in (attachments or {}).items():
        doc.embfile_add(name, data, filename=name)
    if page_labels:
        doc.set_page_labels([dict(rule) for rule in page_labels])
    options: dict[str, object] = {"garbage": 3, "deflate": True}
    if user_password is not None or owner_password is not None:
        options.update(
            # The constant is set from MuPDF at import time, so mypy cannot see it.
            encryption=pymupdf.PDF_ENCRYPT_AES_256,  # type: ignore[attr-defined]
            user_pw=user_password or "",
            owner_pw=owner_password or user_password or "",
        )
    doc.save(str(path), **options)
    doc.close()
    return path


def text_pdf(path: Path, *paragraphs: str, **options: Any) -> Path:
    """A one-page PDF with these paragraphs; `options` go to `write_pdf`."""
    return write_pdf(path, [text_page(*paragraphs)], **options)


def many_pages_pdf(path: Path, count: int, *, paragraphs_per_page: int = 4) -> Path:
    """A long document (benchmarks, progress and cancel tests): `count` pages of prose."""
    bank = FRENCH_PARAGRAPHS + ENGLISH_PARAGRAPHS
    pages = [
        text_page(
            f"Page {number + 1}.",
            *(bank[(number + k) % len(bank)] for k in range(paragraphs_per_page)),
        )
        for number in range(count)
    ]
    return write_pdf(path, pages)


def lined_pdf(
    path: Path, pages: int, line_text: Callable[[int, int], str], *, lines: int = 20
) -> Path:
    """`pages` pages of `lines` lines each, line n of page i reading `line_text(i, n)`: many
    distinct, searchable pages made fast (no layout), for crash, kill and rekey campaigns."""
    doc = pymupdf.open()
    for i in range(pages):
        page = doc.new_page()
        # One shape a page, as `page.insert_text` makes one a line: the same words at the same
        # places, a content stream a page instead of one a line (a quarter of the CPU).
        shape = page.new_shape()
        for line in range(lines):
            shape.insert_text((50, 60 + line * 22), line_text(i, line))
        shape.commit()
    doc.save(path)
    doc.close()
    return path


def wrap(text: str, width: float, fontsize: float) -> list[str]:
    """Greedy line breaking of `text` at spaces to fit `width`; "\n" forces a break."""
    space = text_width(" ", fontsize)
    lines: list[str] = []
    for forced in text.split("\n"):
        current: list[str] = []
        used = 0.0
        for word in forced.split(" "):
            needed = text_width(word, fontsize)
            if current and used + space + needed > width:
                lines.append(" ".join(current))
                current, used = [], 0.0
            used += (space if current else 0.0) + needed
            current.append(word)
        lines.append(" ".join(current))
    return lines


def text_width(text: str, fontsize: float) -> float:
    """Width of `text` set in the generator's font (sum of glyph advances, as MuPDF does)."""
    return sum(_advance(ch) for ch in text) * fontsize


@functools.cache
def _advance(char: str) -> float:
    return float(_FONT.text_length(char, fontsize=1.0))


def normalise_space(text: str) -> str:
    """Collapse every run of whitespace to one space (compare text across line breaks)."""
    return " ".join(text.split())


def _column_lines(spec: PageSpec, width: float) -> list[list[str]]:
    """Each column's lines, with "" for the blank line between paragraphs."""
    result: list[list[str]] = []
    for column in spec.columns:
        lines: list[str] = []
        for number, paragraph in enumerate(column):
            if number:
                lines.append("")
            lines += wrap(paragraph, width, spec.fontsize)
        result.append(lines)
    return result


_WIDTHS: list[Any] = []
"""The generator's font's glyph and width for each character code below 0x10000, as PyMuPDF
reads them for a document where the font is embedded: the same in every document."""


def _insert_font(page: pymupdf.Page) -> None:
    """Embed the font in the page's document, its widths read once per process: PyMuPDF reads
    them again for each document, up to the highest code of its text (8,218 codes for a '’'),
    which was two thirds of the CPU of writing a PDF of three pages."""
    doc = page.parent
    xref = page.insert_font(fontname=FONT_NAME, fontbuffer=_FONT.buffer)
    if not _WIDTHS:
        _WIDTHS.extend(doc.get_char_widths(xref, 0x10000))
        return
    # PyMuPDF's record of the document's fonts, which `insert_text` looks up first.
    font = next(info[1] for info in doc.FontInfos if info[0] == xref)
    if len(font["glyphs"] or ()) < len(_WIDTHS):
        font["glyphs"] = list(_WIDTHS)


def _draw_page(page: pymupdf.Page, spec: PageSpec) -> None:
    if spec.rotation:
        page.set_rotation(spec.rotation)
    _insert_font(page)
    display = page.rect  # after rotation: the page as the reader sees it
    count = len(spec.columns)
    width = (display.width - 2 * MARGIN - (count - 1) * GUTTER) / count
    leading = spec.fontsize * 1.3
    columns = _column_lines(spec, width)
    rows = max((len(lines) for lines in columns), default=0)
    if MARGIN + rows * leading > display.height - MARGIN:
        raise ValueError(f"{rows} lines do not fit on one page; split the text")

    # Points are given as the reader sees the page and mapped back to the unrotated page;
    # `rotate` turns the glyphs with the page so the text reads upright.
    def put(column: int, row: int, lines: list[str]) -> None:
        point = pymupdf.Point(
            MARGIN + column * (width + GUTTER), MARGIN + spec.fontsize + row * leading
        )
        page.insert_text(
            point * page.derotation_matrix,
            lines,
            fontname=FONT_NAME,
            fontsize=spec.fontsize,
            lineheight=leading / spec.fontsize,
            rotate=spec.rotation,
        )

    if not spec.row_by_row:
        # A column's lines in one call, one leading apart: the same words in the same places
        # as a call a line, which cost PyMuPDF half a millisecond each (2.4 s for 200 pages).
        for column, lines in enumerate(columns):
            if any(lines):
                put(column, 0, lines)
        return
    for row in range(rows):
        for column, lines in enumerate(columns):
            if row < len(lines) and lines[row]:
                put(column, row, [lines[row]])


def _add_scanned_page(doc: pymupdf.Document, spec: PageSpec, dpi: int) -> None:
    if spec.rotation:
        raise ValueError("scanned pages are generated upright")
    source = pymupdf.open()
    text_spec = PageSpec(columns=spec.columns, fontsize=spec.fontsize, size=spec.size)
    _draw_page(source.new_page(width=spec.size[0], height=spec.size[1]), text_spec)
    picture = source[0].get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    source.close()
    page = doc.new_page(width=spec.size[0], height=spec.size[1])
    page.insert_image(page.rect, pixmap=picture)
