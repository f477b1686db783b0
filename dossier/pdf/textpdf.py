"""A text document (Word, OpenDocument, e-mail, web page, plain text) typeset as PDF pages.

An export carries PDFs only: a document without pages of its own is laid out from its
extracted text (the text its quotes, marks and search hits address), each of its text pages
starting a new PDF page, in MuPDF's built-in fonts (with their fallbacks for Greek, Cyrillic,
Arabic, CJK...), so no font of the machine is needed and the same text always gives the same
PDF. The structure a Word or OpenDocument file's text keeps (`dossier.ingest.layout`, which the
viewer styles too) is typeset, not shown raw: a heading underlined with "=" or "-" is set large
and bold without its underline, a list item keeps its bullet or number with the item's lines
indented after it, and rows of cells separated by " | " become a ruled table. Every word of the
text is set, once, so what the PDF reader finds in it is what the marks are planned on. The PDF
is then redacted like any other (its words found by the PDF reader), so the covered words are
truly absent from it, not hidden under ink. A Markdown note is typeset as Markdown reads
(`markdownhtml`), its own markup set as the structure it stands for.
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated; we call them directly here.)

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence

from dossier.pdf.markdownhtml import markdown_html
from dossier.pdf.mupdf import exclusive, pymupdf

PAGE = "a4"
MARGIN = 56.0
"""About 2 cm."""
_CSS = (
    "body { font-family: sans-serif; font-size: 11pt; line-height: 1.3; }"
    " p { margin: 0 0 6pt 0; }"
    " h1 { font-size: 17pt; margin: 8pt 0 6pt 0; } h2 { font-size: 14pt; margin: 6pt 0 4pt 0; }"
    " table { border-collapse: collapse; width: 100%; margin: 0 0 8pt 0; }"
    " td { border: 0.5pt solid black; padding: 2pt 4pt; vertical-align: top; }"
    " p.item { text-indent: -14pt; }"
)
_MARKDOWN_CSS = (
    " h3, h4, h5, h6 { font-size: 12pt; margin: 6pt 0 4pt 0; }"
    " th { border: 0.5pt solid black; padding: 2pt 4pt; vertical-align: top; font-weight: bold; }"
    " code, pre { font-family: monospace; }"
    " pre { white-space: pre-wrap; margin: 0 0 6pt 0; }"
    " blockquote { margin: 0 0 6pt 18pt; color: #444444; }"
)
"""What only Markdown has (`markdownhtml`); the other texts' PDFs stay as they were."""
_UNDERLINE = re.compile(r"^(=|-)\1{2,}$")
"""A heading's underline (`layout.heading`): "=" for the first level, "-" for the second."""
_CELL = " | "
_ITEM = re.compile(
    r"^( *)(•|◦|▪|\d{1,3}[.)]|[a-zA-Z][.)]|[ivxlcdmIVXLCDM]{1,6}[.)]|\(\w{1,4}\)) \S"
)
"""A list item (`layout.paragraph` with a marker): two spaces per level, its bullet or number."""
_LEVEL_INDENT = 18


def _html(text: str) -> str:
    paragraphs = [p.strip("\n") for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(_block(p.split("\n")) for p in paragraphs)


def _block(lines: list[str]) -> str:
    if len(lines) >= 2 and _UNDERLINE.match(lines[-1]) and any(s.strip() for s in lines[:-1]):
        tag = "h1" if lines[-1][0] == "=" else "h2"
        return f"<{tag}>{_lines(lines[:-1])}</{tag}>"
    # A row whose last cells are empty ends in " |": `layout` trims the line's end.
    if len(lines) >= 2 and all(_CELL in f"{line} " for line in lines):
        rows = [[cell.strip() for cell in f"{line} ".split(_CELL)] for line in lines]
        columns = max(len(row) for row in rows)
        return (
            "<table>"
            + "".join(_row(row + [""] * (columns - len(row))) for row in rows)
            + "</table>"
        )
    item = _ITEM.match(lines[0])
    if item:
        indent = 28 + _LEVEL_INDENT * (len(item.group(1)) // 2)
        lines = [lines[0].lstrip(), *(line.strip() for line in lines[1:])]
        return f'<p class="item" style="margin-left: {indent}pt">{_lines(lines)}</p>'
    return f"<p>{_lines(lines)}</p>"


def _row(cells: list[str]) -> str:
    return "<tr>" + "".join(f"<td>{_lines([cell])}</td>" for cell in cells) + "</tr>"


def _lines(lines: list[str]) -> str:
    return "<br/>".join(html.escape(line) for line in lines)


@exclusive
def text_to_pdf(pages: Sequence[str], *, markdown: bool = False) -> bytes:
    """A PDF of the text `pages`, each one starting on a new sheet; `markdown`: typeset as
    Markdown reads (`markdownhtml`)."""
    css = _CSS + _MARKDOWN_CSS if markdown else _CSS
    out = io.BytesIO()
    writer = pymupdf.DocumentWriter(out)
    mediabox = pymupdf.paper_rect(PAGE)
    where = pymupdf.Rect(
        mediabox.x0 + MARGIN, mediabox.y0 + MARGIN, mediabox.x1 - MARGIN, mediabox.y1 - MARGIN
    )
    for text in pages or [""]:
        body = (markdown_html(text) if markdown else _html(text)) or "<p></p>"
        scale = _scale(body, where, css)
        # Laid out on a sheet as much larger as the text needs, drawn shrunk to the real one.
        wide = pymupdf.Rect(where.tl, where.tl)
        wide.x1, wide.y1 = where.x0 + where.width / scale, where.y0 + where.height / scale
        shrink = pymupdf.Matrix(scale, 0, 0, scale, where.x0 * (1 - scale), where.y0 * (1 - scale))
        story = pymupdf.Story(html=body, user_css=css)
        more = True
        while more:
            device = writer.begin_page(mediabox)
            more, _ = story.place(wide)
            story.draw(device, shrink)
            writer.end_page()
    writer.close()
    if not any(_BEYOND_BMP.search(text) for text in pages):
        return out.getvalue()
    return _astral_characters_mapped(out.getvalue())


_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")


_ASTRAL = re.compile(rb"<([0-9A-Fa-f]{5,6})>")
"""A character beyond U+FFFF as MuPDF writes it in a font's /ToUnicode map: its number in five
or six hex digits, which no reader takes for it (MuPDF itself reads U+1D410, a bold Q as
social media set names in, as U+1D41, "ᵁ"); the map is UTF-16, a surrogate pair."""


def _utf16(found: re.Match[bytes]) -> bytes:
    value = int(found[1], 16)
    if not 0xFFFF < value <= 0x10FFFF:
        return found[0]
    return b"<" + chr(value).encode("utf-16-be").hex().encode() + b">"


def _astral_characters_mapped(data: bytes) -> bytes:
    """`data` with every character beyond U+FFFF its fonts' /ToUnicode maps name written as
    UTF-16: what the PDF's reader finds (the marks, the self-check, the recipient) is then the
    text set, not other characters, and a name in bold letters (𝐐𝐮𝐚𝐫𝐭𝐞𝐫𝐦𝐚𝐢𝐧𝐞) is found."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        for xref in range(1, doc.xref_length()):
            kind, value = doc.xref_get_key(xref, "ToUnicode")
            if kind != "xref":
                continue
            cmap = int(value.split()[0])
            written = doc.xref_stream(cmap)
            mapped = _ASTRAL.sub(_utf16, written)
            if mapped != written:
                doc.update_stream(cmap, mapped)
        fixed: bytes = doc.tobytes(garbage=1, deflate=True)
    return fixed


def _scale(body: str, where: pymupdf.Rect, css: str) -> float:
    """1, or less for a text with a word or a table row wider than `where`: MuPDF sets such a
    line beyond the sheet's edge, where it is cut off (the export would lose the table's last
    columns, the end of a long link). The whole text is set smaller instead, every word kept."""
    width = where.width
    for _attempt in range(3):
        story = pymupdf.Story(html=body, user_css=css)
        rect = pymupdf.Rect(where.x0, where.y0, where.x0 + width, where.y1)
        needed, more = width, True
        while more:
            more, filled = story.place(rect)
            story.draw(None)  # on to the next sheet's worth, drawn nowhere
            needed = max(needed, filled[2] - where.x0)
        if needed <= width + 0.5:
            break
        width = needed + 1
    return float(where.width / width)
