"""From Whoosh's stored fields to `Hit`s: where each lands, and its snippet.

A page's text is not stored in the index: its snippet is cut from the text the catalog holds,
asked for once per search for all the page hits (`PageTexts`). Other items store their text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dossier.search.model import Hit, ScorePart
from dossier.search.query import ParsedQuery
from dossier.search.ranking import OCR_FIELD
from dossier.search.schema import decompress_text
from dossier.search.snippets import build_snippet

Found = tuple[float, dict[str, Any], tuple[ScorePart, ...]]
"""A hit as the index gives it: score, stored fields, the parts of its score."""
PageTexts = Callable[[list[tuple[str, int]]], dict[tuple[str, int], str]]
"""Given (doc_id, page_index) pairs, their texts."""


def _page_of(fields: dict[str, Any]) -> tuple[str, int] | None:
    if fields.get("text") is None and fields.get("page_index") is not None:
        return fields["doc_id"], fields["page_index"]
    return None


def make_hits(
    found: list[Found],
    parsed: ParsedQuery,
    page_texts: PageTexts | None,
    case_id: str,
) -> list[Hit]:
    pages = [page for _score, fields, _parts in found if (page := _page_of(fields)) is not None]
    texts = page_texts(pages) if pages and page_texts is not None else {}
    hits = []
    for score, fields, parts in found:
        page = _page_of(fields)
        text = decompress_text(fields.get("text")) if page is None else texts.get(page, "")
        # An OCR variant is no query word: the parts of the score say which ones the hit holds.
        variants = {p.term for p in parts if p.field == OCR_FIELD}
        snippet = build_snippet(text, parsed.highlight, also=variants)
        hits.append(
            Hit(
                item_id=fields["item_id"],
                doc_id=fields["doc_id"],
                case_id=fields.get("case_id") or case_id,
                item_type=fields["item_type"],
                kind=fields.get("kind", ""),
                title=fields.get("title") or "",
                page_index=fields.get("page_index"),
                page_label=fields.get("page_label") or "",
                date=fields.get("date"),
                score=score,
                snippet=snippet.text,
                highlights=snippet.highlights,
                terms=snippet.terms,
                parts=parts,
            )
        )
    return hits
