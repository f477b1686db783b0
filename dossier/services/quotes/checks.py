"""Re-checking stored quotes against the current page texts, and the pre-publication check.

A quote is re-found in the document its spans point into, from their exact text, context and
position (`reanchor_many`, one index per document). A quote without spans is looked for afresh:
in its source document when it has one, else in the case's documents. What changed is stored
on the quote (`review` stays set until a journalist marks it reviewed, so a later clean check
cannot hide a pending one) and returned with the anchoring before and after.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from dossier.anchor import (
    AnchorResult,
    anchor_in_documents,
    anchor_quote,
    extract_quoted_passages,
    reanchor_many,
)
from dossier.anchor.model import NOT_FOUND
from dossier.db.engine import hold_writes
from dossier.db.models import Document, Quote
from dossier.errors import NotFoundError, UsageError
from dossier.i18n import _
from dossier.jobs import CancelToken, Progress, check, report
from dossier.services.quotes.dto import (
    UNCHECKED,
    AnchorState,
    PassageCheck,
    QuoteReview,
    ReviewStatus,
    diff_json,
    spans_from_rows,
)
from dossier.services.quotes.views import anchor_doc_id, find_document
from dossier.text.model import PageText

if TYPE_CHECKING:
    from dossier.services.quotes.anchoring import PageCache
    from dossier.services.workspace import Workspace

PagesOf = Callable[[str], list[PageText] | None]
"""The current pages of a document of the case, None when it no longer exists."""


def case_documents(session: Session, case_id: str) -> list[Document]:
    return list(session.scalars(select(Document).where(Document.case_id == case_id)))


def searched_documents(docs: Sequence[Document], published_in_id: str | None) -> list[Document]:
    """Where a quote without a source is looked for: every document of the case except the
    article that published it (an article is never the source of its own quotes)."""
    return [d for d in docs if not (d.id == published_in_id and d.kind == "article")]


def store_result(quote: Quote, result: AnchorResult, version: str) -> None:
    """Record an anchoring on the quote (the caller decides the review status)."""
    quote.verdict = result.verdict
    quote.score = float(result.score)
    quote.spans = [span.to_json() for span in result.spans]
    quote.diff = diff_json(result.diff)
    quote.extractor_version = version
    if result.spans and result.doc_id is not None:
        quote.source_doc_id = result.doc_id


class Rechecker:
    """Re-checks quotes of one case inside the caller's transaction."""

    def __init__(
        self,
        session: Session,
        case_id: str,
        pages_of: PagesOf,
        names: Mapping[str, str],
        cancel: CancelToken | None = None,
    ) -> None:
        self.session = session
        self.case_id = case_id
        self.pages_of = pages_of
        self.names = names
        self.cancel = cancel
        self.docs = {d.id: d for d in case_documents(session, case_id)}

    def run(self, quotes: Sequence[Quote], progress: Progress | None = None) -> list[QuoteReview]:
        groups: dict[str | None, list[Quote]] = {}
        for quote in quotes:
            groups.setdefault(anchor_doc_id(quote), []).append(quote)
        reviews: list[QuoteReview] = []
        for number, (doc_id, members) in enumerate(groups.items()):
            check(self.cancel)
            report(progress, number / max(1, len(groups)), _("re-anchoring quotes"))
            reviews.extend(self._group(doc_id, members))
        report(progress, 1.0, _("quotes re-checked"))
        order = {quote.id: n for n, quote in enumerate(quotes)}
        return sorted(reviews, key=lambda r: order[r.quote_id])

    def _group(self, doc_id: str | None, quotes: list[Quote]) -> Iterator[QuoteReview]:
        if doc_id is None:
            for quote in quotes:
                yield self._afresh(quote)
            return
        pages = self.pages_of(doc_id) if doc_id in self.docs else None
        if pages is None:
            for quote in quotes:
                status: ReviewStatus = "lost" if quote.spans else "unchanged"
                yield self._record(quote, status, NOT_FOUND, "")
            return
        version = self.docs[doc_id].extractor_version
        anchored = [q for q in quotes if q.spans]
        unanchored = [q for q in quotes if not q.spans]
        stored = [(q.text, spans_from_rows(q.spans, doc_id)) for q in anchored]
        for quote, outcome in zip(anchored, reanchor_many(stored, pages), strict=True):
            yield self._record(quote, outcome.status, outcome.result, version, outcome.moved_spans)
        for quote in unanchored:
            result = anchor_quote(quote.text, pages, doc_id=doc_id)
            yield self._record(quote, "found" if result.found else "unchanged", result, version)

    def _afresh(self, quote: Quote) -> QuoteReview:
        """A quote with no document: look for it in the case's documents."""
        docs: dict[str, Sequence[PageText]] = {}
        for doc in searched_documents(list(self.docs.values()), quote.published_in_id):
            pages = self.pages_of(doc.id)
            if pages is not None:
                docs[doc.id] = pages
        if not docs:
            return self._record(quote, "unchanged", None, "")
        result = anchor_in_documents(quote.text, docs)
        version = self.docs[result.doc_id].extractor_version if result.doc_id else ""
        return self._record(quote, "found" if result.found else "unchanged", result, version)

    def _record(
        self,
        quote: Quote,
        status: ReviewStatus,
        result: AnchorResult | None,
        version: str,
        moved: tuple[int, ...] = (),
    ) -> QuoteReview:
        """Store the outcome on the quote; `result` None: nothing to anchor in (unchecked)."""
        before = AnchorState(
            quote.verdict, float(quote.score), spans_from_rows(quote.spans, anchor_doc_id(quote))
        )
        if result is None:
            if not quote.spans:
                quote.verdict = UNCHECKED
        else:
            store_result(quote, result, version)
        if status != "unchanged":
            quote.review = status
        after = AnchorState(
            quote.verdict, float(quote.score), spans_from_rows(quote.spans, anchor_doc_id(quote))
        )
        return QuoteReview(
            quote_id=quote.id,
            text=quote.text,
            speaker=self.names.get(quote.speaker_id or "", ""),
            doc_id=anchor_doc_id(quote),
            status=status,
            before=before,
            after=after,
            moved_spans=moved,
        )


def audit_details(reviews: Sequence[QuoteReview]) -> dict[str, object]:
    """What a re-check writes to the audit trail: counts, and ids with verdicts of changes."""
    changed = [
        {"quote_id": r.quote_id, "status": r.status, "verdict": r.after.verdict}
        for r in reviews
        if r.needs_review
    ]
    return {"checked": len(reviews), "changed": changed}


def prepublication(
    session: Session,
    case_id: str,
    article: Document,
    cache: PageCache,
    *,
    min_words: int = 1,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> list[PassageCheck]:
    """Every passage in quotation marks of `article`, anchored in the case's other documents."""
    article_pages = cache.pages(session, article)
    text = "\n\n".join(page.text for page in article_pages)
    passages = extract_quoted_passages(text, min_words=min_words)
    others = [d for d in case_documents(session, case_id) if d.id != article.id]
    titles = {d.id: d.title for d in others}
    sources: dict[str, Sequence[PageText]] = {}
    for number, doc in enumerate(others):
        check(cancel)
        report(
            progress,
            0.5 * number / max(1, len(others)),
            _("reading {title}").format(title=doc.title),
        )
        sources[doc.id] = cache.pages(session, doc)
    checks: list[PassageCheck] = []
    for number, passage in enumerate(passages, start=1):
        check(cancel)
        report(progress, 0.5 + 0.5 * number / max(1, len(passages)), _("anchoring quotations"))
        result = anchor_in_documents(passage, sources)
        where = anchor_quote(passage, article_pages, doc_id=article.id)
        checks.append(
            PassageCheck(
                number=number,
                text=passage,
                verdict=result.verdict,
                score=result.score,
                doc_id=result.doc_id,
                doc_title=titles.get(result.doc_id or "", ""),
                spans=list(result.spans),
                diff=list(result.diff),
                article_spans=list(where.spans),
            )
        )
    report(progress, 1.0, _("article checked"))
    return checks


class QuoteRechecks:
    """The re-checking use cases; `ws.quotes.check` and its siblings are these methods."""

    def __init__(self, ws: Workspace, pages: PageCache) -> None:
        self.ws = ws
        self.pages = pages

    def _rechecker(self, session: Session, case_id: str) -> Rechecker:
        names = self.ws.people.names_in(session, case_id)

        def pages_of(doc_id: str) -> list[PageText] | None:
            doc = session.get(Document, doc_id)
            return None if doc is None else self.pages.pages(session, doc)

        return Rechecker(session, case_id, pages_of, names)

    def check(
        self, case: str, *, progress: Progress | None = None, cancel: CancelToken | None = None
    ) -> list[QuoteReview]:
        """Re-anchor every quote of the case against the current page texts and store the
        outcome; each review says unchanged, moved, degraded, lost or found."""
        case_id = self.ws.cases.resolve(case)
        with self.ws.vault.session() as session:
            query = select(Quote).where(Quote.case_id == case_id).options(undefer(Quote.row_mac))
            quotes = list(session.scalars(query))
            rechecker = self._rechecker(session, case_id)
            rechecker.cancel = cancel
            with session.no_autoflush:  # written once, as committed (`_as_committed`)
                reviews = rechecker.run(quotes, progress)
                reviews = self._as_committed(session, case_id, quotes, reviews)
            if reviews:
                self.ws.audit.append(session, "quote.check", case_id, **audit_details(reviews))
            session.commit()
        return reviews

    def _as_committed(
        self, session: Session, case_id: str, quotes: list[Quote], reviews: list[QuoteReview]
    ) -> list[QuoteReview]:
        """The reviews to store, under the write lock: a quote edited or deleted since it was
        read (the check ran without the lock, for as long as anchoring takes) keeps the edit
        and is checked again as it now is, or is left out."""
        hold_writes(session)
        stored = select(Quote.id, Quote.row_mac).where(Quote.case_id == case_id)
        now: dict[str, bytes] = {row.id: row.row_mac for row in session.execute(stored)}
        changed = [quote for quote in quotes if now.get(quote.id) != quote.row_mac]
        if not changed:
            return reviews
        for quote in changed:
            session.expunge(quote)  # the outcome computed from the row as it was: dropped
        session.flush()
        session.expire_all()  # documents and pages too, as an edit may have left them
        ids = [quote.id for quote in changed if quote.id in now]
        again = list(session.scalars(select(Quote).where(Quote.id.in_(ids)))) if ids else []
        redone = {r.quote_id: r for r in self._rechecker(session, case_id).run(again)}
        return [redone.get(r.quote_id, r) for r in reviews if r.quote_id in now]

    def reanchor_document(self, doc_id: str) -> list[QuoteReview]:
        """Re-check the quotes anchored in (or sourced from) one document, after it changed."""
        with self.ws.vault.session() as session:
            doc = session.get(Document, doc_id)
            if doc is None:
                raise NotFoundError(_("no document with id {doc_id}").format(doc_id=doc_id))
            reviews = self.recheck_document(session, doc, self.pages.pages(session, doc))
            session.commit()
        return reviews

    def recheck_document(
        self, session: Session, doc: Document, pages: list[PageText]
    ) -> list[QuoteReview]:
        """Re-check the quotes of `doc` against `pages`, inside the caller's transaction (the
        one that replaced the pages, so anchors never point at text that is gone)."""
        quotes = [
            q
            for q in session.scalars(select(Quote).where(Quote.case_id == doc.case_id))
            if anchor_doc_id(q) == doc.id
        ]
        names = self.ws.people.names_in(session, doc.case_id)

        def pages_of(doc_id: str) -> list[PageText] | None:
            return pages if doc_id == doc.id else None

        reviews = Rechecker(session, doc.case_id, pages_of, names).run(quotes)
        if reviews:
            self.ws.audit.append(
                session, "quote.check", doc.case_id, doc_id=doc.id, **audit_details(reviews)
            )
        return reviews

    def prepublication_check(
        self,
        case: str,
        article_doc_id: str,
        *,
        min_words: int = 1,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> list[PassageCheck]:
        """Every passage in quotation marks of an article, anchored in the case's other
        documents; `PassageCheck.issue` flags those not found or altered."""
        if min_words < 1:
            raise UsageError(_("the minimum number of words must be at least 1"))
        case_id = self.ws.cases.resolve(case)
        with self.ws.vault.session() as session:
            article = find_document(session, case_id, article_doc_id)
            return prepublication(
                session,
                case_id,
                article,
                self.pages,
                min_words=min_words,
                progress=progress,
                cancel=cancel,
            )
