"""Quotes of a case: who said it, where it was published, and where in the sources it comes from.

A quote is stored with its speaker (a person of the case), the document that published it, the
day it was said, and its anchoring in a source document: spans (page, offsets, exact text, 32
characters of context each side, rectangles), a fidelity verdict with a score and a word-level
diff (see `dossier.anchor`). Anchoring runs on the stored page texts, never on a file.

Finding where a quote comes from is `locate.py`; re-checking quotes when a document's text changes
(re-extraction, corrected file), and before publication, is `checks.py`.
The audit trail records ids, verdicts and statuses of every change, never a quote's words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from dossier.anchor import Span
from dossier.db.engine import hold_writes, read_snapshot
from dossier.db.models import Document, Quote
from dossier.errors import NotFoundError, UsageError
from dossier.i18n import N_, _
from dossier.services.dates import parse_date
from dossier.services.dto import KEEP, SearchableItem
from dossier.services.people.screen import kept_unless_edited, screen_mask
from dossier.services.quotes.anchoring import PageCache, clean_quote, selection_result
from dossier.services.quotes.checks import QuoteRechecks, case_documents, store_result
from dossier.services.quotes.dto import REVIEW_STATUSES, UNCHECKED, QuoteEdit, QuoteInfo
from dossier.services.quotes.locate import QuoteLocator
from dossier.services.quotes.views import (
    anchor_doc_id,
    find_document,
    find_quote,
    opt_str,
    quote_info,
    search_item,
)

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace


class QuoteService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.pages = PageCache()
        self.locator = QuoteLocator(ws, self.pages)
        self.rechecks = QuoteRechecks(ws, self.pages)
        # One front door: finding where a quote comes from lives in `locate.py`, re-checking in
        # `checks.py`; `ws.quotes` offers both.
        self.find = self.locator.find
        self.check = self.rechecks.check
        self.reanchor_document = self.rechecks.reanchor_document
        self.recheck_document = self.rechecks.recheck_document
        self.prepublication_check = self.rechecks.prepublication_check

    def clear_cache(self) -> None:
        """Drop decrypted pages and anchoring indexes kept between calls (when locking)."""
        self.pages.clear()

    # -- lookup -------------------------------------------------------------------------------

    def _speaker(self, session: Session, case_id: str, ref: str | None) -> str | None:
        return self.ws.people.find(session, case_id, ref).id if ref else None

    # -- changes ------------------------------------------------------------------------------

    def add(
        self,
        case: str,
        text: str,
        *,
        speaker: str | None = None,
        source: str | None = None,
        published_in: str | None = None,
        said_on: str | None = None,
        spans: Sequence[Span] | None = None,
        notes: str = "",
        language: str | None = None,
    ) -> QuoteInfo:
        """Store a quote, anchored in `source` (or the case's documents when not given).

        `spans` (a confirmed candidate, a selection) are stored as the anchor, rebuilt from the
        stored page text and judged against the quote.
        """
        quote_text = clean_quote(text)
        day = parse_date(said_on, N_("date the quote was said"))
        case_id = self.ws.cases.resolve(case)
        with self.ws.vault.session() as session:
            read_snapshot(session)  # the documents anchored in as one commit left them
            speaker_id = self._speaker(session, case_id, speaker)
            source_doc = find_document(session, case_id, source) if source else None
            published = find_document(session, case_id, published_in) if published_in else None
            published_id = published.id if published is not None else None
            result, version = self.locator.anchor(
                session, case_id, quote_text, source_doc, published_id, spans
            )
            quote = Quote(case_id=case_id, speaker_id=speaker_id, published_in_id=published_id)
            quote.source_doc_id = source_doc.id if source_doc is not None else None
            quote.text = quote_text
            quote.said_on = day
            quote.notes = notes
            quote.language = language
            if result is None:
                quote.verdict = UNCHECKED
            else:
                store_result(quote, result, version)
            return self._commit_new(session, quote)

    def _commit_new(self, session: Session, quote: Quote) -> QuoteInfo:
        # Anchored in a read snapshot, without the write lock (as long as that takes): the
        # snapshot ends, and the documents it names are those that exist when it is written,
        # or it is refused.
        session.rollback()
        hold_writes(session)
        named = {quote.source_doc_id, quote.published_in_id} - {None}
        found = set(session.scalars(select(Document.id).where(Document.id.in_(named))))
        if found != named:
            raise NotFoundError(
                _("the document of this quote was deleted meanwhile; the quote was not stored")
            )
        if quote.speaker_id is not None:  # merged into another meanwhile: that one spoke
            quote.speaker_id = self._speaker(session, quote.case_id, quote.speaker_id)
        session.add(quote)
        session.flush()
        self.ws.audit.append(
            session,
            "quote.add",
            quote.case_id,
            quote_id=quote.id,
            source_doc_id=quote.source_doc_id,
            verdict=quote.verdict,
        )
        session.commit()
        return self._info(session, quote)

    def add_from_selection(
        self,
        case: str,
        doc_id: str,
        page_index: int,
        start: int,
        end: int,
        *,
        speaker: str | None = None,
        published_in: str | None = None,
        said_on: str | None = None,
        notes: str = "",
    ) -> QuoteInfo:
        """A quote made of text selected in the viewer: exact by construction (verbatim)."""
        day = parse_date(said_on, N_("date the quote was said"))
        case_id = self.ws.cases.resolve(case)
        with self.ws.vault.session() as session:
            read_snapshot(session)  # the page selected in as one commit left it
            speaker_id = self._speaker(session, case_id, speaker)
            doc = find_document(session, case_id, doc_id)
            published = find_document(session, case_id, published_in) if published_in else None
            page = next((p for p in self.pages.pages(session, doc) if p.index == page_index), None)
            if page is None:
                raise UsageError(
                    _("document {id} has no page {page_index}").format(
                        id=doc.id, page_index=page_index + 1
                    )
                )
            text, result = selection_result(page, start, end, doc.id)
            quote = Quote(
                case_id=case_id,
                speaker_id=speaker_id,
                source_doc_id=doc.id,
                published_in_id=published.id if published is not None else None,
            )
            quote.text = text
            quote.said_on = day
            quote.notes = notes
            store_result(quote, result, doc.extractor_version)
            return self._commit_new(session, quote)

    def update(self, quote_id: str, edit: QuoteEdit) -> QuoteInfo:
        """Apply `edit` to a quote (see `QuoteEdit`); returns the quote as it now is."""
        changed = edit.changed()
        with self.ws.vault.session() as session:
            hold_writes(session)  # the fields this edit keeps are kept as last committed
            quote = find_quote(session, quote_id)
            case_id = quote.case_id
            if edit.text is not KEEP:
                quote.text = clean_quote(edit.text)
            if edit.speaker is not KEEP:
                quote.speaker_id = self._speaker(session, case_id, opt_str(edit.speaker))
            if edit.published_in is not KEEP:
                ref = opt_str(edit.published_in)
                quote.published_in_id = find_document(session, case_id, ref).id if ref else None
            if edit.said_on is not KEEP:
                quote.said_on = parse_date(opt_str(edit.said_on), "date the quote was said")
            if edit.notes is not KEEP:
                # Notes shown masked and sent back untouched keep the real names.
                mask = screen_mask(session, case_id)
                quote.notes = kept_unless_edited(mask, quote.notes, edit.notes or "")
            if edit.language is not KEEP:
                quote.language = opt_str(edit.language)
            if edit.review is not KEEP:
                review = opt_str(edit.review)
                if review is not None and review not in REVIEW_STATUSES:
                    raise UsageError(
                        _("review must be None or one of {REVIEW_STATUSES}").format(
                            REVIEW_STATUSES=", ".join(REVIEW_STATUSES)
                        )
                    )
                quote.review = review
            if edit.text is not KEEP or edit.source is not KEEP or edit.spans is not KEEP:
                self.locator.reanchor_edited(session, quote, edit)
            self.ws.audit.append(
                session,
                "quote.edit",
                case_id,
                quote_id=quote.id,
                fields=sorted(changed),
                verdict=quote.verdict,
            )
            session.commit()
            return self._info(session, quote)

    def delete(self, quote_id: str) -> None:
        with self.ws.vault.session() as session:
            hold_writes(session)  # deleted once: a second deletion finds no quote
            quote = find_quote(session, quote_id)
            case_id, ident = quote.case_id, quote.id
            session.delete(quote)
            self.ws.audit.append(session, "quote.delete", case_id, quote_id=ident)
            session.commit()

    # -- reading ------------------------------------------------------------------------------

    def of_case(
        self, case: str, *, doc_id: str | None = None, reveal: bool = False
    ) -> list[QuoteInfo]:
        """Quotes of the case (those sourced from or published in `doc_id` when given), by
        date said, then speaker."""
        case_id = self.ws.cases.resolve(case)
        with self.ws.vault.session() as session:
            query = select(Quote).where(Quote.case_id == case_id)
            if doc_id is not None:
                doc = find_document(session, case_id, doc_id)
                quotes = [
                    q
                    for q in session.scalars(query)
                    if doc.id in (q.source_doc_id, q.published_in_id, anchor_doc_id(q))
                ]
            else:
                quotes = list(session.scalars(query))
            titles = {d.id: d.title for d in case_documents(session, case_id)}
            mask = screen_mask(session, case_id, reveal)
            infos = [quote_info(q, mask.names, titles, mask) for q in quotes]
        self.ws.screen.record(mask, "quotes")
        return sorted(infos, key=lambda i: (i.said_on or "9999", i.speaker.casefold(), i.id))

    def get(self, quote_id: str, *, reveal: bool = False) -> QuoteInfo:
        with self.ws.vault.session() as session:
            info = self._info(session, find_quote(session, quote_id), reveal)
        if reveal:
            self.ws.people.audit_reveal(info.case_id, "quote")
        return info

    def _info(self, session: Session, quote: Quote, reveal: bool = False) -> QuoteInfo:
        titles: dict[str, str] = {}
        for doc_id in (quote.source_doc_id, quote.published_in_id):
            doc = session.get(Document, doc_id) if doc_id else None
            if doc is not None:
                titles[doc.id] = doc.title
        mask = screen_mask(session, quote.case_id, reveal)
        return quote_info(quote, mask.names, titles, mask)

    def searchable_items(self, case_id: str) -> list[SearchableItem]:
        """One search item per quote: its words, under its speaker's display name."""
        with self.ws.vault.session() as session:
            names = self.ws.people.names_in(session, case_id)
            quotes = session.scalars(select(Quote).where(Quote.case_id == case_id))
            return [search_item(q, names) for q in quotes]
