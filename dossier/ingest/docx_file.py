"""Word `.docx` files: body, headings, lists, tables, headers and footers, footnotes and
endnotes, comments, and tracked changes kept as such (see `layout`).

The zip is judged by the same hostile-input rules as a bundle (`dossier.zipsafe`) before any
part is inflated, so a zip bomb or a traversal name is refused first; then only the parts the
text comes from are parsed (`opc`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import zipfile
from collections import OrderedDict
from typing import Any

from dossier.errors import InputRefused
from dossier.i18n import _
from dossier.ingest.layout import Layout
from dossier.ingest.office_zip import checked_office_zip
from dossier.ingest.ooxml import (
    BodyWalker,
    StyleInfo,
    W,
    comment_label,
    read_numbering,
    read_styles,
)
from dossier.ingest.opc import CORE_PROPERTIES, RELS, NotWord, Package, w3cdtf
from dossier.ingest.titles import plausible_title
from dossier.text.marked_text import plain
from dossier.text.model import ExtractedDocument

log = logging.getLogger(__name__)

DOCX_EXTRACTOR_VERSION = "docx-11"
"""docx-2: a tracked change inside a word is listed with its whole word; docx-3: hidden text
(w:vanish) is kept like a deletion; docx-4: text a character style hides, too; docx-5: and
text its paragraph's style, the default paragraph style or the document's defaults hide;
docx-6: and text a table's style, a field's code or markup Word does not read hide, a style
without a type is a paragraph style, and a paragraph whose mark is hidden runs into the next;
docx-7: a note's or comment's mark, or a ruby's annotation, inside a word follows the word;
docx-8: the file's own "[-", "-]", "{+" and "+}" never read as marks, and a mark inside a mark
of its kind is written once (`text.marked_text`); docx-9: a field's code over two paragraphs is
hidden in both, to the end of its story at most; docx-10: a note's number ("-1") no longer reads
as a mark in the list of notes; docx-11: a change inside a word is listed with its word
whatever it starts or ends with ("x-")."""
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_NOTE_KINDS = (("footnotes", "footnote", ""), ("endnotes", "endnote", "e"))
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"
_CORE_TEXTS = (
    ("title", f"{_DC}title"),
    ("subject", f"{_DC}subject"),
    ("author", f"{_DC}creator"),
    ("last_modified_by", f"{_CP}lastModifiedBy"),
    ("keywords", f"{_CP}keywords"),
)


def extract_docx(
    data: bytes, name: str, opened: zipfile.ZipFile | None = None
) -> ExtractedDocument:
    """An `ExtractedDocument` for the bytes of a `.docx`; `name` is for messages; `opened`:
    the zip as `sniffed_zip` left it (closed here)."""
    from lxml.etree import XMLSyntaxError

    archive = checked_office_zip(data, name, opened)
    try:
        with archive:
            package = Package(archive)
            main = package.main_document()
            layout = _layout(package, main)
            metadata, title, author, date = _properties(package)
    except (NotWord, XMLSyntaxError, KeyError, ValueError) as exc:
        log.debug("docx refused: %s", type(exc).__name__)
        raise InputRefused(
            _(
                "{name} is a damaged Word file and cannot be read; ask its sender for a new copy."
            ).format(name=name)
        ) from None
    return layout.document(
        mime=DOCX_MIME,
        extractor_version=DOCX_EXTRACTOR_VERSION,
        metadata=metadata,
        title=title,
        author=author,
        date=date,
    )


def _layout(package: Package, main: str) -> Layout:
    def related(kind: str) -> list[Any]:
        parts = (package.part(target) for target in package.related(main, RELS + kind))
        return [part for part in parts if part is not None]

    def first(kind: str) -> Any:
        found = related(kind)
        return found[0] if found else None

    styles = next((_styles(package, n) for n in package.related(main, RELS + "styles")), {})
    layout = Layout()
    walker = BodyWalker(layout, styles, read_numbering(first("numbering")))
    document = package.part(main)
    body = None if document is None else document.find(f"{W}body")
    if body is not None:
        walker.blocks(body)
    for kind in ("header", "footer"):
        for element in related(kind):
            layout.header(walker.text_of(element))
    for rel_kind, tag, prefix in _NOTE_KINDS:
        root = first(rel_kind)
        if root is None:
            continue
        for note in root.iter(f"{W}{tag}"):
            if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            text = " ".join(walker.text_of(note).split())
            if text:
                label = plain(f"[{prefix}{note.get(f'{W}id', '')}]")  # "[-1]" read as a mark
                layout.footnotes.append(f"{label} {text}")
    comments = first("comments")
    if comments is not None:
        for comment in comments.iter(f"{W}comment"):
            text = " ".join(walker.text_of(comment).split())
            who = plain(comment.get(f"{W}author") or "unknown author")
            when = plain((comment.get(f"{W}date") or "")[:10])
            label = comment_label(comment.get(f"{W}id", ""))
            layout.comments.append(f"{label} {who}" + (f" on {when}" if when else "") + f": {text}")
    return layout


_STYLES_SEEN: OrderedDict[bytes, dict[str, StyleInfo]] = OrderedDict()
"""What the styles parts of the last Word files read say (`read_styles`), by the SHA-256 of
their bytes: the files of a batch mostly share a template, and its styles part (350 KB in
python-docx's, tens of KB in Word's) took longer to parse than the text. Only style ids and
what they do are kept, never a part's bytes. Shared, so read-only."""
_STYLES_SEEN_MAX = 16
_STYLES_SEEN_BYTES = 2 * 1024**2
"""Styles parts larger than this are read for their file alone (a template's is 30-350 KB): a
part of a million styles kept sixteen times over would hold gigabytes through the batch."""
_STYLES_SEEN_LOCK = threading.Lock()


def _styles(package: Package, name: str) -> dict[str, StyleInfo]:
    data = package.raw(name)
    if data is None:
        return {}
    digest = hashlib.sha256(data).digest()
    with _STYLES_SEEN_LOCK:
        seen = _STYLES_SEEN.get(digest)
        if seen is not None:
            _STYLES_SEEN.move_to_end(digest)
            return seen
    styles = read_styles(package.part(name))
    if len(data) > _STYLES_SEEN_BYTES:
        return styles
    with _STYLES_SEEN_LOCK:
        _STYLES_SEEN[digest] = styles
        while len(_STYLES_SEEN) > _STYLES_SEEN_MAX:
            _STYLES_SEEN.popitem(last=False)
    return styles


def forget_styles() -> None:
    """Drop the styles remembered (the vault locks): their ids and digests are the case's."""
    with _STYLES_SEEN_LOCK:
        _STYLES_SEEN.clear()


def _properties(package: Package) -> tuple[dict[str, str], str | None, str | None, str | None]:
    """The core properties (docProps/core.xml); none when the file has none."""
    metadata: dict[str, str] = {}
    core = next(
        (p for p in map(package.part, package.related("", CORE_PROPERTIES)) if p is not None),
        None,
    )
    if core is None:
        return metadata, None, None, None

    def text(tag: str) -> str:
        node = core.find(tag)
        return (node.text or "") if node is not None else ""

    for key, tag in _CORE_TEXTS:
        value = " ".join(text(tag).split())
        if value:
            metadata[key] = value
    try:
        revision = int(text(f"{_CP}revision"))
    except ValueError:
        revision = 0
    if revision > 0:
        metadata["revision"] = str(revision)
    created: dt.datetime | None = w3cdtf(text(f"{_DCTERMS}created"))
    modified: dt.datetime | None = w3cdtf(text(f"{_DCTERMS}modified"))
    if created is not None:
        metadata["created"] = created.isoformat()
    if modified is not None:
        metadata["modified"] = modified.isoformat()
    date = None
    if created is not None and created.year > 1980:
        date = created.date().isoformat()
        metadata["date_source"] = "creation date in the Word file's properties"
    author = metadata.get("author") or None
    return metadata, plausible_title(text(f"{_DC}title")), author, date
