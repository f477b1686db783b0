"""Finding quotes and documents by reference, and turning quote rows into plain views.

References are ids or unique id prefixes of at least four characters, as the CLI shows them.
Names in views are display names: a masked speaker appears under their pseudonym, and any part
of a protected name in a quote's text, context, diff, notes or titles is shown as it too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from dossier.anchor.model import DiffOp, Span
from dossier.db.models import Document, Quote
from dossier.errors import NotFoundError, UsageError
from dossier.i18n import N_, _
from dossier.services.dto import SearchableItem
from dossier.services.people.dto import ScreenMask
from dossier.services.quotes.dto import QuoteInfo, diff_from_rows, spans_from_rows
from dossier.services.refs import find_by_ref, match_prefix
from dossier.text.model import PageText
from dossier.text.shorten import shorten

SEARCH_TITLE_CHARS = 80


def find_quote(session: Session, ref: str) -> Quote:
    """A quote by id or by a unique id prefix of at least four characters."""
    return find_by_ref(session, Quote, ref, N_("quote"))


def find_document(session: Session, case_id: str, ref: str) -> Document:
    """A document of the case by id or unique id prefix; one of another case is refused."""
    key = ref.strip().lower()
    if not key:
        raise UsageError(_("a document reference cannot be empty"))
    doc = session.get(Document, key)
    if doc is None:
        doc = match_prefix(session, Document, ref, N_("document"), Document.case_id == case_id)
    if doc is None:
        raise NotFoundError(
            _("no document {ref} in this case; see 'dossier doc list'").format(ref=repr(ref))
        )
    if doc.case_id != case_id:
        raise UsageError(_("document {id} belongs to another case").format(id=doc.id))
    return doc


def anchor_doc_id(quote: Quote) -> str | None:
    """The document a quote's spans point into (its source when it has no spans)."""
    for row in quote.spans:
        doc_id = row.get("doc_id")
        if doc_id:
            return str(doc_id)
    return quote.source_doc_id


def quote_info(
    quote: Quote, names: dict[str, str], titles: dict[str, str], mask: ScreenMask | None = None
) -> QuoteInfo:
    """The view of a quote row; `names` maps person ids to display names, `titles` doc ids
    to titles; `mask` (the case's screen mask) hides protected names in every text shown."""
    shown = mask.text if mask is not None else _same
    return QuoteInfo(
        id=quote.id,
        case_id=quote.case_id,
        text=shown(quote.text),
        speaker_id=quote.speaker_id,
        speaker=names.get(quote.speaker_id, "") if quote.speaker_id else "",
        source_doc_id=quote.source_doc_id,
        source_title=shown(titles.get(quote.source_doc_id or "", "")),
        published_in_id=quote.published_in_id,
        published_in_title=shown(titles.get(quote.published_in_id or "", "")),
        said_on=quote.said_on,
        verdict=quote.verdict,
        score=float(quote.score),
        spans=masked_spans(spans_from_rows(quote.spans, anchor_doc_id(quote)), mask),
        diff=masked_diff(diff_from_rows(quote.diff), mask),
        review=quote.review,
        notes=shown(quote.notes),
        language=quote.language,
        extractor_version=quote.extractor_version,
    )


def _same(text: str) -> str:
    return text


def masked_spans(spans: Iterable[Span], mask: ScreenMask | None) -> list[Span]:
    """Spans with protected names masked in their text and context (offsets unchanged)."""
    shown = mask.text if mask is not None else _same
    return [
        replace(s, text=shown(s.text), prefix=shown(s.prefix), suffix=shown(s.suffix))
        for s in spans
    ]


def masked_diff(diff: Iterable[DiffOp], mask: ScreenMask | None) -> list[DiffOp]:
    shown = mask.text if mask is not None else _same
    return [DiffOp(op.op, shown(op.published), shown(op.source)) for op in diff]


def search_item(quote: Quote, names: dict[str, str]) -> SearchableItem:
    speaker = names.get(quote.speaker_id, "") if quote.speaker_id else ""
    short = shorten(quote.text, SEARCH_TITLE_CHARS)  # between words: masked when shown
    return SearchableItem(
        item_type="quote",
        item_id=quote.id,
        case_id=quote.case_id,
        title=f"{speaker or 'Unattributed'}: «{short}»",
        text=f"{speaker}\n{quote.text}".strip(),
        date=quote.said_on,
        people=[quote.speaker_id] if quote.speaker_id else [],
    )


def opt_str(value: object) -> str | None:
    """An optional text field: None or blank means none."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def unmasked_spans(
    spans: Sequence[Span], pages: Sequence[PageText], mask: ScreenMask
) -> list[Span]:
    """Passages chosen on screen, where protected names were shown masked, with their stored
    text again: a span whose text is the masked form of the page's is the same passage."""
    by_index = {p.index: p for p in pages}
    restored: list[Span] = []
    for span in spans:
        page = by_index.get(span.page_index)
        real = page.text[span.start : span.end] if page is not None else None
        if real is not None and span.text != real and span.text == mask.text(real):
            span = replace(span, text=real)
        restored.append(span)
    return restored
