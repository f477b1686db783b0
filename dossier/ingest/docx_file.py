"""Word `.docx` files: body, headings, lists, tables, headers and footers, footnotes and
endnotes, comments, and tracked changes kept as such (see `layout`).

The zip is judged by the same hostile-input rules as a bundle (`dossier.zipsafe`) before
python-docx reads it, so a zip bomb or a traversal name is refused before any part is inflated.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import zipfile
import zlib
from typing import Any

from dossier.errors import InputRefused
from dossier.i18n import _
from dossier.ingest.layout import Layout
from dossier.ingest.office_zip import checked_office_zip
from dossier.ingest.ooxml import BodyWalker, W, comment_label, read_numbering, read_styles
from dossier.ingest.titles import plausible_title
from dossier.text.model import ExtractedDocument

log = logging.getLogger(__name__)

DOCX_EXTRACTOR_VERSION = "docx-4"
"""docx-2: a tracked change inside a word is listed with its whole word; docx-3: hidden text
(w:vanish) is kept like a deletion; docx-4: text a character style hides, too."""
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_NOTE_KINDS = (("footnotes", "footnote", ""), ("endnotes", "endnote", "e"))


def extract_docx(data: bytes, name: str) -> ExtractedDocument:
    """An `ExtractedDocument` for the bytes of a `.docx`; `name` is for messages."""
    # python-docx costs its import only to those who import Word files.
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    checked_office_zip(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
        layout = _layout(document)
        metadata, title, author, date = _properties(document)
    except (PackageNotFoundError, KeyError, ValueError, XMLSyntaxError) as exc:
        log.debug("docx refused: %s", type(exc).__name__)
        raise InputRefused(
            _("{name} is a damaged Word file and cannot be read.").format(name=name)
        ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
        raise InputRefused(
            _("{name} is a damaged Word file and cannot be read.").format(name=name)
        ) from None
    return layout.document(
        mime=DOCX_MIME,
        extractor_version=DOCX_EXTRACTOR_VERSION,
        metadata=metadata,
        title=title,
        author=author,
        date=date,
    )


def _layout(document: Any) -> Layout:
    part = document.part
    layout = Layout()
    styles = read_styles(_related(part, "styles"))
    numbering = read_numbering(_related(part, "numbering"))
    walker = BodyWalker(layout, styles, numbering)
    walker.blocks(document.element.body)
    for kind in ("header", "footer"):
        for element in _all_related(part, kind):
            layout.header(walker.text_of(element))
    for rel_kind, tag, prefix in _NOTE_KINDS:
        root = _related(part, rel_kind)
        if root is None:
            continue
        for note in root.iter(f"{W}{tag}"):
            if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            text = " ".join(walker.text_of(note).split())
            if text:
                layout.footnotes.append(f"[{prefix}{note.get(f'{W}id', '')}] {text}")
    comments = _related(part, "comments")
    if comments is not None:
        for comment in comments.iter(f"{W}comment"):
            text = " ".join(walker.text_of(comment).split())
            who = comment.get(f"{W}author") or "unknown author"
            when = (comment.get(f"{W}date") or "")[:10]
            label = comment_label(comment.get(f"{W}id", ""))
            layout.comments.append(f"{label} {who}" + (f" on {when}" if when else "") + f": {text}")
    return layout


def _all_related(part: Any, kind: str) -> list[Any]:
    found = []
    for rel in part.rels.values():
        if rel.is_external or rel.reltype != _RELS + kind:
            continue
        element = _element(rel.target_part)
        if element is not None:
            found.append(element)
    return found


def _related(part: Any, kind: str) -> Any:
    found = _all_related(part, kind)
    return found[0] if found else None


def _element(part: Any) -> Any:
    element = getattr(part, "element", None)
    if element is not None:
        return element
    from docx.oxml.parser import parse_xml

    # Parts python-docx has no class for (footnotes) are parsed with its safe parser.
    return parse_xml(part.blob)


def _properties(document: Any) -> tuple[dict[str, str], str | None, str | None, str | None]:
    core = document.core_properties
    metadata: dict[str, str] = {}
    for key in ("title", "subject", "author", "last_modified_by", "keywords", "revision"):
        value = getattr(core, key, None)
        if value:
            metadata[key] = " ".join(str(value).split())
    created: dt.datetime | None = core.created
    modified: dt.datetime | None = core.modified
    if created is not None:
        metadata["created"] = created.isoformat()
    if modified is not None:
        metadata["modified"] = modified.isoformat()
    date = None
    if created is not None and created.year > 1980:
        date = created.date().isoformat()
        metadata["date_source"] = "creation date in the Word file's properties"
    author = metadata.get("author") or None
    return metadata, plausible_title(core.title), author, date
