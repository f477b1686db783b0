"""Structured documents (Word, OpenDocument) laid out as plain text a person reads easily.

The viewer shows page text as it is stored, and search, quotes and redaction all address that
text, so the structure has to survive as text: headings on their own line (the first two
levels underlined), list items with their bullet or number and indented by level, tables as
aligned columns, footnotes, comments and tracked changes gathered in notes after the body.

Tracked changes stay visible where they were made, in the convention of `wdiff`:
`[-deleted words-]` and `{+inserted words+}`; the notes list each change with its author and
date, since a leaked draft's revisions are often the story.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from dossier.ingest.plaintext import text_pages
from dossier.ingest.titles import first_line_title
from dossier.text.lang import guess_language
from dossier.text.marked_text import plain, written_mark
from dossier.text.model import ExtractedDocument

PAGE_BREAK = "\f"

_MAX_PADDED_CELL = 40
"""Columns are padded to their widest cell up to this width; a longer cell is left as is."""
_UNDERLINES = {1: "=", 2: "-"}
_MAX_INDENT = 10
"""List levels indented, at most: Word has nine, OpenDocument ten; deeper is a hostile file."""


@dataclass(frozen=True)
class Revision:
    kind: str
    """"inserted", "deleted" or "formatted"."""
    author: str
    date: str
    text: str


@dataclass
class Layout:
    """Blocks in reading order, then notes; `text()` joins them into page text."""

    blocks: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    first_heading: str | None = None

    def heading(self, text: str, level: int) -> None:
        text = clean(text)
        if not text:
            return
        if self.first_heading is None:
            self.first_heading = text
        mark = _UNDERLINES.get(level)
        self.blocks.append(f"{text}\n{mark * min(len(text), 80)}" if mark else text)

    def paragraph(self, text: str, *, marker: str = "", level: int = 0) -> None:
        text = clean(text)
        if not text and not marker:
            return
        indent = "  " * min(level, _MAX_INDENT)
        self.blocks.append(f"{indent}{marker} {text}" if marker else f"{indent}{text}")

    def plain_paragraphs(self, texts: list[str]) -> None:
        """`paragraph(plain(text))` for each of `texts` (a file's text, no marks in it, no
        marker), in one pass over them joined by line feeds: escaped, normalised and rid of
        control characters in C, not a paragraph at a time (most of reading a plain
        OpenDocument file). The same blocks: none of these changes a line feed, nor anything
        across one (`clean_lines`; no mark string spans one); a text of several lines is
        cleaned alone, as `clean` cleans it."""
        joined = "\n".join(texts)
        if joined.count("\n") != len(texts) - 1:
            for text in texts:
                self.paragraph(plain(text))
            return
        lines = _CONTROLS.sub(" ", unicodedata.normalize("NFC", plain(joined))).split("\n")
        self.blocks += [line for line in map(str.strip, lines) if line]

    def table(self, rows: list[list[str]]) -> None:
        rendered = table_text(rows)
        if rendered:
            self.blocks.append(rendered)

    def page_break(self) -> None:
        self.blocks.append(PAGE_BREAK)

    def header(self, text: str) -> None:
        text = clean(text)
        if text and text not in self.headers:
            self.headers.append(text)

    def text(self) -> str:
        body = _join_blocks(self.blocks)
        notes: list[str] = []
        if self.headers:
            notes.append("Headers and footers\n" + "\n".join(self.headers))
        if self.footnotes:
            notes.append("Notes\n" + "\n".join(self.footnotes))
        if self.comments:
            notes.append("Comments\n" + "\n".join(self.comments))
        if self.revisions:
            lines = [
                f"{r.kind} by {r.author or 'unknown author'}"
                + (f" on {r.date}" if r.date else "")
                + f": {_with_its_words(body, r)}"
                for r in self.revisions
            ]
            notes.append("Tracked changes\n" + "\n".join(lines))
        return "\n\n".join(part for part in (body, *notes) if part.strip())

    def document(
        self,
        *,
        mime: str,
        extractor_version: str,
        metadata: dict[str, str],
        title: str | None,
        author: str | None,
        date: str | None,
    ) -> ExtractedDocument:
        """The laid-out text as an extracted document, Word and OpenDocument alike: titled by its
        properties, else its first heading, else its first line; tracked changes counted in the
        metadata with who made them."""
        text = self.text()
        if self.revisions:
            metadata["tracked_changes"] = str(len(self.revisions))
            authors = sorted({r.author for r in self.revisions if r.author})
            if authors:
                metadata["revision_authors"] = ", ".join(authors)
        return ExtractedDocument(
            pages=text_pages(text),
            extractor_version=extractor_version,
            mime=mime,
            title=title or self.first_heading or first_line_title(text),
            author=author,
            date=date,
            language=guess_language(text),
            metadata=metadata,
        )


def _with_its_words(body: str, revision: Revision) -> str:
    """A change's text for the list of changes; a change inside a word ("Quarter{+maine+}")
    with its whole word as the body shows it, since a piece of a word alone ("maine") could
    give away a word the export hides."""
    shown = written_mark(revision.kind, revision.text)
    at = body.find(shown) if shown else -1
    if at < 0:
        return revision.text
    start, end = at, at + len(shown)
    while start > 0 and body[start - 1].isalnum():
        start -= 1
    while end < len(body) and body[end].isalnum():
        end += 1
    return revision.text if (start, end) == (at, at + len(shown)) else body[start:end]


def _join_blocks(blocks: list[str]) -> str:
    out: list[str] = []
    for block in blocks:
        if block == PAGE_BREAK:
            if out and out[-1] != PAGE_BREAK:
                out.append(PAGE_BREAK)
            continue
        if out and out[-1] != PAGE_BREAK:
            out.append("\n\n")
        out.append(block)
    while out and out[-1] == PAGE_BREAK:
        out.pop()
    return "".join(out)


def table_text(rows: list[list[str]]) -> str:
    """Rows as lines of cells separated by " | ", short columns padded to line up."""
    rows = [[" ".join(clean(cell).split()) for cell in row] for row in rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        return ""
    columns = max(len(row) for row in rows)
    widths = [0] * columns
    for row in rows:
        for number, cell in enumerate(row):
            widths[number] = max(widths[number], len(cell))
    lines = []
    for row in rows:
        cells = [
            cell.ljust(widths[n]) if widths[n] <= _MAX_PADDED_CELL else cell
            for n, cell in enumerate(row)
        ]
        lines.append(" | ".join(cells).rstrip())
    return "\n".join(lines)


_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Every control character (category Cc is U+0000-U+001F and U+007F-U+009F, fixed by Unicode)
but tab and line feed: a regular expression finds them in C, not a test per character."""


def clean(text: str) -> str:
    """NFC, no control characters but tab and line feed, no trailing spaces on lines."""
    text = _CONTROLS.sub(" ", unicodedata.normalize("NFC", text))
    if "\n" not in text:  # one line (most paragraphs): the same, without splitting it
        return text.strip()
    return "\n".join(line.rstrip() for line in text.strip("\n").split("\n")).strip()


def clean_lines(text: str) -> str:
    """`clean` of each line of `text`, its lines kept (an RTF file's whole text): normalised
    and rid of control characters at once, in C, then each line stripped. The same text as a
    `clean` a line: no character composes with a line feed, and none is one once normalised."""
    text = _CONTROLS.sub(" ", unicodedata.normalize("NFC", text))
    return "\n".join(line.strip() for line in text.split("\n"))
