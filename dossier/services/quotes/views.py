"""Finding quotes and documents by reference, and turning quote rows into plain views.

References are ids or unique id prefixes of at least four characters, as the CLI shows them.
Names in views are display names: a masked speaker appears under their pseudonym.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from dossier.db.models import Document, Quote
from dossier.errors import NotFoundError, UsageError
from dossier.services.dto import SearchableItem
from dossier.services.quotes.checks import anchor_doc_id
from dossier.services.quotes.model import QuoteInfo, diff_from_rows, spans_from_rows
from dossier.services.refs import find_by_ref, match_prefix

SEARCH_TITLE_CHARS = 80


def find_quote(session: Session, ref: str) -> Quote:
    """A quote by id or by a unique id prefix of at least four characters."""
    return find_by_ref(session, Quote, ref, "quote")


def find_document(session: Session, case_id: str, ref: str) -> Document:
    """A document of the case by id or unique id prefix; one of another case is refused."""
    key = ref.strip().lower()
    if not key:
        raise UsageError("a document reference cannot be empty")
    doc = session.get(Document, key)
    if doc is None:
        doc = match_prefix(session, Document, ref, "document", Document.case_id == case_id)
    if doc is None:
        raise NotFoundError(f"no document {ref!r} in this case; see 'dossier doc list'")
    if doc.case_id != case_id:
        raise UsageError(f"document {doc.id} belongs to another case")
    return doc


def quote_info(quote: Quote, names: dict[str, str], titles: dict[str, str]) -> QuoteInfo:
    """The view of a quote row; `names` maps person ids to display names, `titles` doc ids
    to titles."""
    return QuoteInfo(
        id=quote.id,
        case_id=quote.case_id,
        text=quote.text,
        speaker_id=quote.speaker_id,
        speaker=names.get(quote.speaker_id, "") if quote.speaker_id else "",
        source_doc_id=quote.source_doc_id,
        source_title=titles.get(quote.source_doc_id or "", ""),
        published_in_id=quote.published_in_id,
        published_in_title=titles.get(quote.published_in_id or "", ""),
        said_on=quote.said_on,
        verdict=quote.verdict,
        score=float(quote.score),
        spans=spans_from_rows(quote.spans, anchor_doc_id(quote)),
        diff=diff_from_rows(quote.diff),
        review=quote.review,
        notes=quote.notes,
        language=quote.language,
        extractor_version=quote.extractor_version,
    )


def search_item(quote: Quote, names: dict[str, str]) -> SearchableItem:
    speaker = names.get(quote.speaker_id, "") if quote.speaker_id else ""
    short = " ".join(quote.text.split())
    if len(short) > SEARCH_TITLE_CHARS:
        short = short[: SEARCH_TITLE_CHARS - 1].rstrip() + "…"
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
