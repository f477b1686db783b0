"""OpenDocument text (`.odt`): headings, lists, tables, notes, comments, headers and footers,
and tracked changes kept as such (see `layout`).

An `.odt` is a zip of XML parts. It is judged like a bundle (`dossier.zipsafe`) and its XML is
parsed with lxml with entity expansion, DTD loading and network access off. odfpy, the usual
reader, has had no release since 2020 and adds nothing here that lxml does not already do.
"""

from __future__ import annotations

import logging
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from dossier.errors import InputRefused
from dossier.i18n import _
from dossier.ingest.dates import iso_date
from dossier.ingest.layout import Layout, Revision
from dossier.ingest.office_zip import checked_office_zip
from dossier.ingest.titles import plausible_title
from dossier.text.marked_text import closing, literal, opening, page_text, pending, plain
from dossier.text.model import ExtractedDocument
from dossier.zipsafe import SafeZip

log = logging.getLogger(__name__)

ODT_EXTRACTOR_VERSION = "odt-8"
"""odt-2: a tracked change inside a word is listed with its whole word; odt-3: hidden text (a
span styled `text:display="none"`, a hidden-text field) is kept like a deletion; odt-4: also
text whose style inherits `text:display="none"` from its parent style; odt-5: a note's or
comment's mark, or a ruby's annotation, inside a word follows the word; odt-6: the file's own
mark strings ("-]" in hidden text) no longer end a mark (a mark string split across two of
the file's elements still could); odt-7: the marks are written as Word files' are
(`text.marked_text`): no mark string of the file's, whole or split across elements, nor a
note's citation, reads as a mark, hidden text in hidden text is marked once, and a comment's
hidden text is marked; odt-8: a change inside a word is listed with its word whatever it
starts or ends with ("x-"), as before odt-7."""
ODT_MIME = "application/vnd.oasis.opendocument.text"

OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"
META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"

_MAX_DEPTH = 40
_MARK_OPEN, _MARK_CLOSE = "\ufdd4", "\ufdd5"
"""Around a mark the reader sees beside a word, not in it (a note's citation, a comment's
mark, a ruby's annotation), until the paragraph is whole (`_after_words`): two of Unicode's
noncharacters, kept for a program's own use (a file's own are replaced: `literal`)."""
_MARK = re.compile(f"({_MARK_OPEN}[^{_MARK_OPEN}{_MARK_CLOSE}]*{_MARK_CLOSE})")
_WORD_HEAD = re.compile(r"\w*")
_MAX_REPEAT = 50
"""`number-columns-repeated` fills a row to 1,024 empty cells; real content never repeats more."""
_CONTAINERS = frozenset({f"{TEXT}section", f"{TEXT}index-body", f"{OFFICE}forms"})
_H, _P, _LIST, _TABLE = f"{TEXT}h", f"{TEXT}p", f"{TEXT}list", f"{TABLE}table"

Element = Any


def extract_odt(data: bytes, name: str, opened: zipfile.ZipFile | None = None) -> ExtractedDocument:
    """An `ExtractedDocument` for the bytes of an `.odt`; `name` is for messages; `opened`:
    the zip as `sniffed_zip` left it (closed here)."""
    from lxml import etree

    archive = checked_office_zip(data, name, opened)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )

    def part(archive: SafeZip, member: str) -> Element | None:
        if member not in archive.by_name:
            return None
        return etree.fromstring(archive.read(member), parser)

    try:
        with archive:
            content = part(archive, "content.xml")
            styles, meta = part(archive, "styles.xml"), part(archive, "meta.xml")
    except etree.XMLSyntaxError:
        raise InputRefused(
            _(
                "{name} is a damaged OpenDocument file and cannot be read;"
                " ask its sender for a new copy."
            ).format(name=name)
        ) from None
    if content is None:
        raise InputRefused(
            _("{name} is a damaged OpenDocument file: it has no content.").format(name=name)
        )
    layout = Layout()
    walker = _Walker(layout, _changes(content), _numbered_lists(content, styles))
    walker.hidden = _hidden_styles(content, styles)
    for body in content.iter(f"{OFFICE}text"):
        walker.blocks(body, 0)
    if styles is not None:
        for master in styles.iter(f"{STYLE}master-page"):
            for child in master:
                if child.tag.startswith(f"{STYLE}header") or child.tag.startswith(f"{STYLE}footer"):
                    layout.header(walker.text_of(child))
    metadata, title, author, date = _meta(meta)
    return layout.document(
        mime=ODT_MIME,
        extractor_version=ODT_EXTRACTOR_VERSION,
        metadata=metadata,
        title=title,
        author=author,
        date=date,
    )


def _changes(content: Element) -> dict[str, Revision]:
    """Tracked changes by region id; a deletion's text is the deleted text itself."""
    regions: dict[str, Revision] = {}
    for region in content.iter(f"{TEXT}changed-region"):
        region_id = region.get(f"{TEXT}id") or region.get(
            "{http://www.w3.org/XML/1998/namespace}id"
        )
        for kind, tag in (
            ("inserted", "insertion"),
            ("deleted", "deletion"),
            ("formatted", "format-change"),
        ):
            change = region.find(f"{TEXT}{tag}")
            if change is None or not region_id:
                continue
            info = change.find(f"{OFFICE}change-info")
            author = plain(_child_text(info, f"{DC}creator"))
            date = plain(_child_text(info, f"{DC}date").replace("T", " ")[:16])
            deleted = ""
            if kind == "deleted":
                deleted = " ".join(
                    "".join(p.itertext()) for p in change if p.tag != f"{OFFICE}change-info"
                )
            text = literal(" ".join(deleted.split()))
            regions[region_id] = Revision(kind, author, date, text)
    return regions


def _style_names(
    content: Element, styles: Element | None, tag: str, keep: Callable[[Element], bool]
) -> set[str]:
    """Names of the styles `tag` of the document (its own and its automatic ones) `keep`s."""
    found: set[str] = set()
    for root in (content, styles):
        if root is None:
            continue
        for style in root.iter(tag):
            if keep(style):
                found.add(style.get(f"{STYLE}name", ""))
    return found


def _numbered_lists(content: Element, styles: Element | None) -> set[str]:
    """Names of list styles whose first level is numbered (others are bullets)."""

    def numbered(style: Element) -> bool:
        first = next(iter(style), None)
        return first is not None and first.tag == f"{TEXT}list-level-style-number"

    return _style_names(content, styles, f"{TEXT}list-style", numbered)


def _hidden_styles(content: Element, styles: Element | None) -> set[str]:
    """Names of text styles that hide their text (`text:display="none"`), their own or
    inherited from their parent style (LibreOffice writes bold added to hidden letters as an
    automatic style whose parent is the style that hides them)."""
    display: dict[str, str | None] = {}
    parent: dict[str, str] = {}
    for root in (content, styles):
        if root is None:
            continue
        for style in root.iter(f"{STYLE}style"):
            name = style.get(f"{STYLE}name", "")
            properties = style.find(f"{STYLE}text-properties")
            own = None if properties is None else properties.get(f"{TEXT}display")
            display.setdefault(name, own)
            parent.setdefault(name, style.get(f"{STYLE}parent-style-name", ""))
    hidden: set[str] = set()
    for name in display:
        current, seen = name, set()
        while display.get(current) is None and current in parent and current not in seen:
            seen.add(current)
            current = parent[current]
        if display.get(current) == "none":
            hidden.add(name)
    return hidden


@dataclass
class _Walker:
    layout: Layout
    changes: dict[str, Revision]
    numbered: set[str]
    open_insertions: dict[str, tuple[list[str], int]] = field(default_factory=dict)
    """Insertions begun and not yet ended: the parts list they began in, and where."""
    hidden: set[str] = field(default_factory=set)
    """Text styles that hide their text."""
    written: bool = True
    """Whether a paragraph's marks are written once it is read, or left pending for the
    paragraph a text box is in (`marked_text`)."""

    def blocks(self, container: Element, depth: int) -> None:
        if depth > _MAX_DEPTH:
            return
        # Paragraphs of text alone (most of them), read together (`Layout.plain_paragraphs`).
        alone: list[str] = []
        for child in container:
            tag = child.tag
            if tag == _P and self.written and not len(child):
                alone.append(child.text or "")
                continue
            if alone:
                self.layout.plain_paragraphs(alone)
                alone = []
            if tag == _P:
                self.layout.paragraph(self.inline(child))
            elif tag == _H:
                level = int(child.get(f"{TEXT}outline-level", "1") or 1)
                self.layout.heading(self.inline(child), level)
            elif tag == _LIST:
                self.list_items(child, 0, child.get(f"{TEXT}style-name", ""), depth)
            elif tag == _TABLE:
                self.layout.table(self.table_rows(child, depth))
            elif tag in _CONTAINERS:
                self.blocks(child, depth + 1)
        if alone:
            self.layout.plain_paragraphs(alone)

    def list_items(self, node: Element, level: int, style: str, depth: int) -> None:
        count = 0
        for item in node:
            if item.tag not in (f"{TEXT}list-item", f"{TEXT}list-header"):
                continue
            count += 1
            marker = f"{count}." if style in self.numbered else "•"
            for child in item:
                if child.tag == f"{TEXT}list":
                    self.list_items(child, level + 1, style, depth + 1)
                elif child.tag in (f"{TEXT}p", f"{TEXT}h"):
                    self.layout.paragraph(self.inline(child), marker=marker, level=level)
                    marker = " " * len(marker)

    def table_rows(self, table: Element, depth: int) -> list[list[str]]:
        rows: list[list[str]] = []
        for row in table.iter(f"{TABLE}table-row"):
            if _nesting(row, table) > 0:
                continue  # a nested table's rows belong to its cell
            cells: list[str] = []
            for cell in row:
                if cell.tag not in (f"{TABLE}table-cell", f"{TABLE}covered-table-cell"):
                    continue
                repeat = min(
                    int(cell.get(f"{TABLE}number-columns-repeated", "1") or 1), _MAX_REPEAT
                )
                inner = Layout()
                self._inner(inner).blocks(cell, depth + 1)
                cells += [" / ".join(b for b in inner.blocks if b.strip())] * repeat
            rows.append(cells)
        return rows

    def text_of(self, container: Element, *, written: bool | None = None) -> str:
        inner = Layout()
        self._inner(inner, written).blocks(container, 1)
        return inner.text()

    def _inner(self, layout: Layout, written: bool | None = None) -> _Walker:
        written = self.written if written is None else written
        return _Walker(layout, self.changes, self.numbered, hidden=self.hidden, written=written)

    def inline(self, node: Element) -> str:
        """A paragraph's text, its marks written (`marked_text`) unless left pending."""
        if not len(node):  # most paragraphs: text alone, nothing to walk
            return plain(node.text or "") if self.written else literal(node.text or "")
        parts: list[str] = []
        self._inline_into(node, parts, 0)
        text = _after_words("".join(parts))
        return page_text(text) if self.written else text

    def _comment_paragraphs(self, annotation: Element) -> list[str]:
        """A comment's paragraphs, hidden text in them marked as in the body's."""
        return [
            self.inline(p) if p.tag == f"{TEXT}p" else plain("".join(p.itertext()))
            for p in annotation
            if p.tag in (f"{TEXT}p", f"{TEXT}list")
        ]

    def _inline_into(self, node: Element, parts: list[str], depth: int) -> None:
        if depth > _MAX_DEPTH:
            return
        if node.text:
            parts.append(literal(node.text))
        for child in node:
            self._inline_element(child, parts, depth)
            if child.tail:
                parts.append(literal(child.tail))

    def _inline_element(self, child: Element, parts: list[str], depth: int) -> None:
        tag = child.tag
        if not isinstance(tag, str):
            return
        if tag == f"{TEXT}s":
            parts.append(" " * min(int(child.get(f"{TEXT}c", "1") or 1), 100))
        elif tag == f"{TEXT}tab":
            parts.append("\t")
        elif tag == f"{TEXT}line-break":
            parts.append("\n")
        elif tag == f"{TEXT}note":
            citation = literal(_child_text(child, f"{TEXT}note-citation"))
            body = child.find(f"{TEXT}note-body")
            parts.append(f"{_MARK_OPEN}[{citation}]{_MARK_CLOSE}")
            if body is not None:
                text = " ".join(self.text_of(body).split())
                self.layout.footnotes.append(f"{plain(f'[{citation}]')} {text}")
        elif tag == f"{OFFICE}annotation":
            number = len(self.layout.comments) + 1
            who = _child_text(child, f"{DC}creator") or "unknown author"
            when = _child_text(child, f"{DC}date")[:10]
            text = " ".join(" ".join(self._comment_paragraphs(child)).split())
            parts.append(f"{_MARK_OPEN}[comment {number}]{_MARK_CLOSE}")
            label = f"[comment {number}] {who}" + (f" on {when}" if when else "")
            self.layout.comments.append(f"{plain(label)}: {text}")
        elif tag in (f"{TEXT}change-start", f"{TEXT}change"):
            self._change_start(child.get(f"{TEXT}change-id", ""), tag == f"{TEXT}change", parts)
        elif tag == f"{TEXT}change-end":
            self._change_end(child.get(f"{TEXT}change-id", ""), parts)
        elif tag in (f"{DRAW}frame", f"{DRAW}text-box"):
            for box in child.iter(f"{DRAW}text-box"):
                # Its marks are written with the paragraph's, which holds it.
                text = " ".join(self.text_of(box, written=False).split())
                if text:
                    parts.append(f" {text} ")
                break
        elif tag == f"{TEXT}ruby-text":
            annotation = literal(" ".join("".join(child.itertext()).split()))
            if annotation:
                parts.append(f"{_MARK_OPEN}({annotation}){_MARK_CLOSE}")
        elif tag in (f"{OFFICE}annotation-end", f"{TEXT}tracked-changes"):
            return
        elif _hides(child, self.hidden):
            # In the file, not on the page: kept like a deletion, so a name it splits reads
            # whole ("Quarter[-zz-]maine") to what looks for it.
            inner: list[str] = []
            self._inline_into(child, inner, depth + 1)
            text = "".join(inner) or literal(child.get(f"{TEXT}string-value", ""))
            parts.append(pending("deleted", text))
        else:
            self._inline_into(child, parts, depth + 1)

    def _change_start(self, change_id: str, point: bool, parts: list[str]) -> None:
        revision = self.changes.get(change_id)
        if revision is None:
            return
        if revision.kind == "deleted":
            parts.append(pending("deleted", revision.text))
            self.layout.revisions.append(replace(revision, text=page_text(revision.text)))
        elif revision.kind == "inserted" and not point:
            self.open_insertions[change_id] = (parts, len(parts))
            parts.append(opening("inserted"))

    def _change_end(self, change_id: str, parts: list[str]) -> None:
        begun = self.open_insertions.pop(change_id, None)
        revision = self.changes.get(change_id)
        if begun is None or revision is None:
            return
        began_in, start = begun
        # An insertion that spans paragraphs is listed without its text: it is in the body.
        inserted = ""
        if began_in is parts:
            inserted = " ".join(page_text(_after_words("".join(parts[start + 1 :]))).split())
        parts.append(closing("inserted"))
        self.layout.revisions.append(
            Revision(revision.kind, revision.author, revision.date, inserted)
        )


def _hides(node: Element, hidden: set[str]) -> bool:
    if node.tag == f"{TEXT}hidden-text":
        return str(node.get(f"{TEXT}is-hidden", "true")) != "false"
    return node.tag == f"{TEXT}span" and str(node.get(f"{TEXT}style-name")) in hidden


def _nesting(row: Element, table: Element) -> int:
    """How many tables lie between `row` and `table` (0: the row is `table`'s own)."""
    depth, node = 0, row.getparent()
    while node is not None and node is not table:
        if node.tag == f"{TABLE}table":
            depth += 1
        node = node.getparent()
    return depth


def _after_words(text: str) -> str:
    """`text` with each mark met inside a word moved to the word's end: "Quarter[1]maine",
    which the reader sees as "Quartermaine" (the citation raised, a comment's mark in the
    margin), was a name no redaction mark found."""
    if _MARK_OPEN not in text:
        return text
    pieces = _MARK.split(text)  # text, mark, text, mark, ..., text
    out: list[str] = []
    waiting: list[str] = []
    for number, piece in enumerate(pieces):
        if number % 2:
            waiting.append(piece[1:-1])
            continue
        if not waiting:
            out.append(piece)
            continue
        end = _WORD_HEAD.match(piece).end()  # type: ignore[union-attr]
        if end == len(piece) and number + 1 < len(pieces):
            out.append(piece)  # the word goes on past the next mark
            continue
        out += [piece[:end], *waiting, piece[end:]]
        waiting = []
    out += waiting
    return "".join(out)


def _child_text(node: Element | None, tag: str) -> str:
    if node is None:
        return ""
    child = node.find(tag)
    return " ".join("".join(child.itertext()).split()) if child is not None else ""


def _meta(meta: Element | None) -> tuple[dict[str, str], str | None, str | None, str | None]:
    metadata: dict[str, str] = {}
    if meta is None:
        return metadata, None, None, None
    for key, tag in (
        ("title", f"{DC}title"),
        ("subject", f"{DC}subject"),
        ("author", f"{META}initial-creator"),
        ("last_modified_by", f"{DC}creator"),
        ("created", f"{META}creation-date"),
        ("modified", f"{DC}date"),
    ):
        node = next(meta.iter(tag), None)
        value = " ".join("".join(node.itertext()).split()) if node is not None else ""
        if value:
            metadata[key] = value
    date = iso_date(metadata.get("created"))
    if date:
        metadata["date_source"] = "creation date in the OpenDocument file's properties"
    author = metadata.get("author") or metadata.get("last_modified_by")
    return metadata, plausible_title(metadata.get("title")), author, date
