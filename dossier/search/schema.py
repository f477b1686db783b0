"""The Whoosh schema of a case index, and how an `IndexItem` becomes a Whoosh document.

Stored fields hold what a hit shows (title, kind, page label, date). A page's text is not
stored: its snippet is cut from the catalog's page text (the index stays under twice the size of
the text). Other items (quotes, letters...) are short and live in several tables: their text is
stored, zlib-compressed; the index is sealed, so this is no more exposed than the catalog.
Stems are not indexed either: a typed word is expanded at search time (`stems.py`).
People and tags are indexed as (unkeyed) digests of their folded value, so any value (spaces,
commas, accents) makes exactly one term.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from typing import Any

from whoosh import fields

from dossier.errors import UsageError
from dossier.i18n import _
from dossier.search.analysis import FoldingAnalyzer, fold_pattern
from dossier.search.model import IndexItem
from dossier.search.variants import exact_value

INDEX_NAME = "MAIN"
"""The name of a case index in its folder (its files' names start with it)."""

SCHEMA_VERSION = 10
"""Bump when fields or analysis change: an index of another version is rebuilt on open."""

SECONDARY_BOOST = 0.2
"""A word found only around an article (a web page's menu, footer) counts a fifth of one in it."""

OCR_MARK = "1"
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def build_schema() -> Any:
    return fields.Schema(
        item_id=fields.ID(stored=True, unique=True),
        doc_id=fields.ID(stored=True),
        # "<doc_id> <version>": which version of each document the index holds, read as terms.
        doc_version=fields.ID(),
        item_type=fields.ID(stored=True),
        kind=fields.ID(stored=True),
        people=fields.KEYWORD(scorable=False),
        # "1" on an item read by OCR: its words are also looked up one error away.
        ocr=fields.ID(),
        tags=fields.KEYWORD(scorable=False),
        # Signed on purpose: with signed=False, Whoosh 2.7.5's range [0 TO x] matched every
        # document (its tiered range terms cover everything).
        day=fields.NUMERIC(numtype=int, bits=32, signed=True),
        # Folded words with positions: phrases, prefixes, wildcards, fuzzy terms.
        exact=fields.TEXT(analyzer=FoldingAnalyzer(), phrase=True, multitoken_query="phrase"),
        # Folded words of `IndexItem.secondary`, ranked below the item's own text.
        secondary=fields.TEXT(analyzer=FoldingAnalyzer(), phrase=True, field_boost=SECONDARY_BOOST),
        case_id=fields.STORED(),
        title=fields.STORED(),
        page_index=fields.STORED(),
        page_label=fields.STORED(),
        date=fields.STORED(),
        text=fields.STORED(),
    )


def value_token(value: str) -> str:
    """The term standing for a person id or a tag (case- and accent-insensitive)."""
    return hashlib.blake2b(fold_pattern(value.strip()).encode("utf-8"), digest_size=12).hexdigest()


def day_number(date: str | None, *, end: bool = False) -> int | None:
    """YYYYMMDD as an int; a missing month or day counts as 00 (or 99 for the end of a range)."""
    if not date:
        return None
    match = _DATE.match(date.strip())
    if match is None:
        raise UsageError(_("{date} is not a date (expected YYYY-MM-DD)").format(date=repr(date)))
    year, month, day = match.group(1), match.group(2), match.group(3)
    filler = "99" if end else "00"
    return int(year + (month or filler) + (day or filler))


def compress_text(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 1)


def decompress_text(blob: bytes | str | None) -> str:
    if blob is None:
        return ""
    if isinstance(blob, str):
        return blob
    return zlib.decompress(blob).decode("utf-8")


def to_document(item: IndexItem) -> dict[str, Any]:
    """Fields of the Whoosh document for `item`.

    The title is searchable on the item that introduces a document (its first page, or the
    item itself when it is not a page), not on every page: otherwise a word of a 300-page
    report's title would make all 300 pages hits.
    """
    searchable = item.text
    if item.title and (item.page_index is None or item.page_index == 0):
        searchable = f"{item.title}\n\n{item.text}"
    doc: dict[str, Any] = {
        "item_id": item.item_id,
        "doc_id": item.doc_id,
        "item_type": item.item_type,
        "kind": item.kind,
        "exact": exact_value(searchable),
        "case_id": item.case_id,
        "title": item.title,
        "page_index": item.page_index,
        "page_label": item.page_label,
        "date": item.date,
    }
    if item.item_type != "page":
        doc["text"] = compress_text(item.text)
    if item.version:
        doc["doc_version"] = f"{item.doc_id} {item.version}"
    if item.secondary:
        doc["secondary"] = exact_value(item.secondary)
    if item.ocr:
        doc["ocr"] = OCR_MARK
    if item.people:
        doc["people"] = " ".join(value_token(p) for p in item.people)
    if item.tags:
        doc["tags"] = " ".join(value_token(t) for t in item.tags)
    day = day_number(item.date)
    if day is not None:
        doc["day"] = day
    return doc
