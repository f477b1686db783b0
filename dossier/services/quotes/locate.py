"""Where a quote comes from: the candidates shown for a pasted quote, and the anchoring stored
with a new or edited quote (given passages, one source, or the case's documents).

Anchoring runs on the stored page texts, never on a file; what is shown of the sources hides
protected names while the spans' offsets stay those of the real text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dossier.anchor import AnchorResult, Span, anchor_in_documents, anchor_quote, reanchor
from dossier.db.models import Document, Page, Quote
from dossier.errors import UsageError
from dossier.i18n import _
from dossier.services.dto import KEEP
from dossier.services.pages import page_text
from dossier.services.people.screen import screen_mask
from dossier.services.quotes.anchoring import PageCache, anchor_given, best_first, clean_quote
from dossier.services.quotes.checks import case_documents, searched_documents, store_result
from dossier.services.quotes.dto import UNCHECKED, QuoteCandidate, QuoteEdit, spans_from_rows
from dossier.services.quotes.views import (
    find_document,
    masked_diff,
    masked_spans,
    opt_str,
    unmasked_spans,
)
from dossier.text.model import PageText

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace

INDEX_ABOVE_PAGES = 2_000
"""A case with more pages takes a quote's candidate pages from the search index: anchoring in
every page costs about a second per 500 pages, the index answers in well under one."""
CANDIDATE_PAGES = 12
"""Pages the index proposes for a quote (each anchored with its neighbours)."""


class QuoteLocator:
    """Finds where a quote comes from; `ws.quotes.find` is its `find`."""

    def __init__(self, ws: Workspace, pages: PageCache) -> None:
        self.ws = ws
        self.pages = pages
        self.index_above_pages = INDEX_ABOVE_PAGES

    def _pages_to_search(
        self, session: Session, case_id: str, quote: str, docs: Sequence[Document]
    ) -> list[tuple[Document, list[PageText]]]:
        """The documents (and pages) to anchor `quote` in: all of them in a small case; in a
        big one, the pages the search index ranks first for the quote's words, each with the
        pages either side (a quote may run over a page break)."""
        counted = select(func.count()).select_from(Page).where(Page.case_id == case_id)
        total = session.scalar(counted)
        if int(total or 0) <= self.index_above_pages:
            return [(doc, self.pages.pages(session, doc)) for doc in docs]
        wanted: dict[str, set[int]] = {}
        for doc_id, page in self.ws.search.candidate_pages(case_id, quote, CANDIDATE_PAGES):
            wanted.setdefault(doc_id, set()).update((page - 1, page, page + 1))
        chosen: list[tuple[Document, list[PageText]]] = []
        for doc in docs:
            if doc.id in wanted:
                rows = session.scalars(
                    select(Page)
                    .where(Page.document_id == doc.id, Page.page_index.in_(wanted[doc.id]))
                    .order_by(Page.page_index)
                )
                chosen.append((doc, [page_text(row) for row in rows]))
        return chosen

    def find(
        self, case: str, text: str, doc_ids: Sequence[str] | None = None
    ) -> list[QuoteCandidate]:
        """Where a pasted quote may come from: the best place in each document of the case (or
        in `doc_ids`), best first. Documents where it is not found are left out."""
        quote = clean_quote(text)
        case_id = self.ws.cases.resolve(case)
        with self.ws.vault.session() as session:
            if doc_ids:
                docs = [find_document(session, case_id, ref) for ref in doc_ids]
            else:
                docs = case_documents(session, case_id)
            found: list[tuple[AnchorResult, Document]] = []
            for doc, pages in self._pages_to_search(session, case_id, quote, docs):
                result = anchor_quote(quote, pages, doc_id=doc.id)
                if result.found:
                    found.append((result, doc))
            found.sort(key=lambda pair: (*best_first(pair[0]), pair[1].title.casefold()))
            # What is shown of the sources hides protected names (the spans' offsets stay).
            mask = screen_mask(session, case_id)
            return [
                QuoteCandidate(
                    d.id,
                    mask.text(d.title),
                    d.kind,
                    r.verdict,
                    r.score,
                    masked_spans(r.spans, mask),
                    masked_diff(r.diff, mask),
                )
                for r, d in found
            ]

    def anchor(
        self,
        session: Session,
        case_id: str,
        quote: str,
        source: Document | None,
        published_in_id: str | None,
        spans: Sequence[Span] | None,
    ) -> tuple[AnchorResult | None, str]:
        """The anchoring to store (None: nothing to anchor in) and the extractor version."""
        if spans is not None:
            if source is None:
                source = self._span_document(session, case_id, spans)
            elif any(s.doc_id not in (None, source.id) for s in spans):
                raise UsageError(_("the chosen passages are not in the quote's source document"))
            pages = self.pages.pages(session, source)
            spans = unmasked_spans(spans, pages, screen_mask(session, case_id))
            return anchor_given(quote, spans, pages, source.id), source.extractor_version
        if source is not None:
            result = anchor_quote(quote, self.pages.pages(session, source), doc_id=source.id)
            return result, source.extractor_version
        docs = searched_documents(case_documents(session, case_id), published_in_id)
        if not docs:
            return None, ""
        searched = self._pages_to_search(session, case_id, quote, docs)
        result = anchor_in_documents(quote, {d.id: pages for d, pages in searched})
        versions = {d.id: d.extractor_version for d in docs}
        return result, versions.get(result.doc_id or "", "")

    def _span_document(self, session: Session, case_id: str, spans: Sequence[Span]) -> Document:
        doc_ids = {s.doc_id for s in spans}
        if len(doc_ids) != 1 or None in doc_ids:
            raise UsageError(_("the passages of a quote must all come from one given document"))
        return find_document(session, case_id, str(doc_ids.pop()))

    def reanchor_edited(self, session: Session, quote: Quote, edit: QuoteEdit) -> None:
        case_id = quote.case_id
        if edit.source is not KEEP:
            ref = opt_str(edit.source)
            quote.source_doc_id = find_document(session, case_id, ref).id if ref else None
        source = session.get(Document, quote.source_doc_id) if quote.source_doc_id else None
        if edit.spans is not KEEP:
            result, version = self.anchor(
                session, case_id, quote.text, source, quote.published_in_id, list(edit.spans)
            )
        elif source is not None and edit.source is KEEP and quote.spans:
            # Same source, new wording: look near where the old wording was anchored first.
            stored = spans_from_rows(quote.spans, source.id)
            pages = self.pages.pages(session, source)
            result = reanchor(stored, quote.text, pages, doc_id=source.id).result
            version = source.extractor_version
        else:
            result, version = self.anchor(
                session, case_id, quote.text, source, quote.published_in_id, None
            )
        quote.spans, quote.diff, quote.score = [], [], 0.0
        if result is None:
            quote.verdict = UNCHECKED
        else:
            store_result(quote, result, version)
        quote.review = None
