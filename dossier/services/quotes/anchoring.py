"""What the quote service needs around the anchoring engine: stored pages, spans a journalist
chose (a selection, a confirmed candidate) checked against the stored text, and their verdict.

Spans handed in by a front end are never trusted as they are: only their page and offsets are
kept, and text, context and rectangles are rebuilt from the page text in the vault (a widget's
idea of the text may differ, and a document may have been re-extracted since).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from dossier.anchor import AnchorResult, DiffOp, Span, anchor_quote, clear_cache, span_for_selection
from dossier.anchor.normalize import display_text
from dossier.db.models import Document, Page
from dossier.errors import UsageError
from dossier.i18n import _
from dossier.services.pages import page_text
from dossier.text.model import PageText

MAX_QUOTE_CHARS = 20_000
"""A quote longer than this is a pasted document, not a quote."""


def clean_quote(text: str) -> str:
    """The quote as typed, without surrounding blanks; refused when empty or absurdly long."""
    cleaned = text.strip()
    if not cleaned:
        raise UsageError(_("a quote needs its text"))
    if len(cleaned) > MAX_QUOTE_CHARS:
        raise UsageError(
            _("a quote is limited to {MAX_QUOTE_CHARS} characters").format(
                MAX_QUOTE_CHARS=MAX_QUOTE_CHARS
            )
        )
    return cleaned


class PageCache:
    """Decrypted pages of the documents last anchored in, per document.

    The anchoring engine caches its index of a document by the identity of the page objects, so
    handing it the same objects again saves decrypting the pages and rebuilding the index (about
    a second per 500 pages) on every "Find in sources". An entry is valid while the document's
    page rows are the same rows: re-extraction replaces them, which invalidates it.
    """

    def __init__(self, limit: int = 16) -> None:
        self._limit = limit
        self._docs: OrderedDict[str, tuple[tuple[str, ...], list[PageText]]] = OrderedDict()
        self._lock = threading.Lock()

    def pages(self, session: Session, doc: Document) -> list[PageText]:
        query = select(Page.id).where(Page.document_id == doc.id).order_by(Page.page_index)
        row_ids = tuple(session.scalars(query))
        with self._lock:
            hit = self._docs.get(doc.id)
            if hit is not None and hit[0] == row_ids:
                self._docs.move_to_end(doc.id)
                return hit[1]
        pages = [page_text(row) for row in doc.pages]
        self.remember(doc.id, tuple(row.id for row in doc.pages), pages)
        return pages

    def remember(self, doc_id: str, row_ids: tuple[str, ...], pages: list[PageText]) -> None:
        with self._lock:
            self._docs[doc_id] = (row_ids, pages)
            self._docs.move_to_end(doc_id)
            while len(self._docs) > self._limit:
                self._docs.popitem(last=False)

    def clear(self) -> None:
        """Forget every page, and the engine's indexes of them (the vault is being locked)."""
        with self._lock:
            self._docs.clear()
        clear_cache()


def selection_result(page: PageText, start: int, end: int, doc_id: str) -> tuple[str, AnchorResult]:
    """The quote a selection makes (its text, blanks at either end left out) and its anchoring,
    verbatim by construction."""
    text = page.text
    if 0 <= start < end <= len(text):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            raise UsageError(_("the selection holds no text"))
    span = replace(span_for_selection(page, start, end), doc_id=doc_id)
    quote = display_text(span.text)
    return quote, AnchorResult("verbatim", 1.0, (span,), (DiffOp("equal", quote, quote),), doc_id)


def rebuild_spans(
    spans: Sequence[Span], pages: Mapping[int, PageText], doc_id: str
) -> tuple[Span, ...]:
    """The spans from the stored page text (checked: same text where the caller gave one)."""
    if not spans:
        raise UsageError(_("no passage was chosen for this quote"))
    rebuilt: list[Span] = []
    for span in spans:
        page = pages.get(span.page_index)
        if page is None:
            raise UsageError(
                _("document {doc_id} has no page {page_index}").format(
                    doc_id=doc_id, page_index=span.page_index + 1
                )
            )
        fresh = replace(span_for_selection(page, span.start, span.end), doc_id=doc_id)
        if span.text and fresh.text != span.text:
            raise UsageError(
                _("the document's text changed since this passage was chosen; find the quote again")
            )
        rebuilt.append(fresh)
    return tuple(rebuilt)


def anchor_given(
    quote: str, spans: Sequence[Span], pages: Sequence[PageText], doc_id: str
) -> AnchorResult:
    """The verdict of `quote` against passages the journalist chose, kept as the anchor.

    A candidate the engine proposed keeps the engine's verdict, score and diff. Other passages
    (a selection with a quote typed differently) are judged against their own text only.
    """
    rebuilt = rebuild_spans(spans, {p.index: p for p in pages}, doc_id)
    found = anchor_quote(quote, pages, doc_id=doc_id)
    if _places(found.spans) == _places(rebuilt):
        return AnchorResult(found.verdict, found.score, rebuilt, found.diff, doc_id)
    pieces = [PageText(index=number, text=span.text) for number, span in enumerate(rebuilt)]
    judged = anchor_quote(quote, pieces)
    if not judged.found:
        source = " ".join(display_text(span.text) for span in rebuilt)
        return AnchorResult("not_found", 0.0, rebuilt, (DiffOp("replace", quote, source),), doc_id)
    return AnchorResult(judged.verdict, judged.score, rebuilt, judged.diff, doc_id)


def _places(spans: Sequence[Span]) -> list[tuple[int, int, int]]:
    return [(s.page_index, s.start, s.end) for s in spans]


def best_first(result: AnchorResult) -> tuple[int, float]:
    """Sort key: verdict rank (verbatim first), then score, highest first."""
    return (result.rank, -result.score)
