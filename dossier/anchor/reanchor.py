"""Re-anchoring: a document was re-extracted (new extractor, OCR redone) or replaced.

Every stored quote is found again from its exact text, its 32-character prefix and suffix and its
old position (the W3C text-quote and text-position selectors), then classified: `unchanged` (same
text at the same offsets), `moved` (same words elsewhere), `degraded` (now anchored to different
wording) or `lost`. Everything but `unchanged` goes on the review list.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz.distance import Indel

from dossier.anchor.docindex import DocIndex, doc_index
from dossier.anchor.engine import Prefer, anchor_in_index
from dossier.anchor.match import KeyMatch
from dossier.anchor.model import ReanchorResult, Span
from dossier.anchor.normalize import build_keys
from dossier.anchor.spans import CONTEXT
from dossier.text.model import PageText


def reanchor(
    stored: list[Span], quote: str, pages: Sequence[PageText], *, doc_id: str | None = None
) -> ReanchorResult:
    """Find `quote` again in `pages`, preferring the place its stored spans described."""
    idx = doc_index(pages)
    prefer = _preference(idx, stored) if stored else None
    if doc_id is None and stored:
        doc_id = stored[0].doc_id
    result = anchor_in_index(quote, idx, doc_id=doc_id, prefer=prefer)
    if not result.found:
        return ReanchorResult(status="lost", result=result, moved_spans=tuple(range(len(stored))))
    old_key = build_keys(" ".join(s.text for s in stored)).key
    new_key = build_keys(" ".join(s.text for s in result.spans)).key
    moved = tuple(
        i
        for i, old in enumerate(stored)
        if i >= len(result.spans) or not _same_place(old, result.spans[i])
    )
    if stored and old_key != new_key:
        return ReanchorResult(status="degraded", result=result, moved_spans=moved)
    if moved or len(stored) != len(result.spans):
        return ReanchorResult(status="moved", result=result, moved_spans=moved)
    return ReanchorResult(status="unchanged", result=result)


def reanchor_many(
    quotes: Sequence[tuple[str, list[Span]]], pages: Sequence[PageText]
) -> list[ReanchorResult]:
    """Re-anchor every quote of one document (the index is built once and shared)."""
    return [reanchor(spans, quote, pages) for quote, spans in quotes]


def _same_place(old: Span, new: Span) -> bool:
    return (old.page_index, old.start, old.end, old.text) == (
        new.page_index,
        new.start,
        new.end,
        new.text,
    )


def _preference(idx: DocIndex, stored: list[Span]) -> Prefer:
    first, last = stored[0], stored[-1]
    page_numbers = {page.index: no for no, page in enumerate(idx.pages)}

    def cost(match: KeyMatch) -> float:
        lo, hi = match.ranges[0][0], match.ranges[-1][1]
        page_no, start, _ = idx.orig_range(lo, min(hi, idx.page_end(idx.page_of(lo))))
        end_page_no = idx.page_of(hi - 1)
        _, _, end = idx.orig_range(max(idx.page_start[end_page_no], hi - 1), hi)
        text = idx.pages[page_no].text
        end_text = idx.pages[end_page_no].text
        prefix = text[max(0, start - CONTEXT) : start]
        suffix = end_text[end : end + CONTEXT]
        context = Indel.normalized_similarity(prefix, first.prefix) + Indel.normalized_similarity(
            suffix, last.suffix
        )
        old_page = page_numbers.get(first.page_index, first.page_index)
        distance = abs(page_no - old_page) + abs(start - first.start) / max(1, len(text))
        return (2.0 - context) + 0.25 * min(distance, 8.0)

    return cost
