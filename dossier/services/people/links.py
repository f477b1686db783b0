"""Moving every reference from one person to another (what merging two people rewrites).

References live in clear columns (a quote's speaker) and inside sealed payloads (a letter's
recipients, the people of a document, note or timeline entry, a redaction rule's person), so
each kind is walked explicitly; a new kind of reference to a person must be added here.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dossier.db.models import Document, Event, Letter, Note, Person, Quote, Redaction, Reply


def _replace_id(ids: list[str], old: str, new: str) -> list[str] | None:
    """`ids` with `old` replaced by `new` (no duplicate), or None when `old` is absent."""
    if old not in ids:
        return None
    result: list[str] = []
    for item in ids:
        item = new if item == old else item
        if item not in result:
            result.append(item)
    return result


def move_person_links(
    session: Session, case_id: str, old: str, new: str
) -> tuple[dict[str, int], list[str]]:
    """Point every reference to person `old` at `new`, in the caller's transaction.

    Returns how many rows of each kind changed, and the ids of changed documents (whose search
    entries carry their people and must be refreshed after the commit).
    """
    links = {
        "quotes": 0,
        "letters": 0,
        "replies": 0,
        "documents": 0,
        "notes": 0,
        "events": 0,
        "redactions": 0,
        "people": 0,
    }
    for quote in session.scalars(select(Quote).where(Quote.speaker_id == old)):
        quote.speaker_id = new
        links["quotes"] += 1
    for letter in session.scalars(select(Letter).where(Letter.case_id == case_id)):
        moved = False
        if letter.sender_id == old:
            letter.sender_id = new
            moved = True
        for attr in ("recipient_ids", "cosigner_ids"):
            replaced = _replace_id(list(getattr(letter, attr)), old, new)
            if replaced is not None:
                setattr(letter, attr, replaced)
                moved = True
        links["letters"] += moved
    for reply in session.scalars(select(Reply).where(Reply.case_id == case_id)):
        if reply.sender_id == old:
            reply.sender_id = new
            links["replies"] += 1
    rows: list[Document | Note | Event] = [
        *session.scalars(select(Document).where(Document.case_id == case_id)),
        *session.scalars(select(Note).where(Note.case_id == case_id)),
        *session.scalars(select(Event).where(Event.case_id == case_id)),
    ]
    changed_docs: list[str] = []
    for row in rows:
        replaced = _replace_id(list(row.people), old, new)
        if replaced is None:
            continue
        row.people = replaced
        links[f"{row.__tablename__}s"] += 1
        if isinstance(row, Document):
            changed_docs.append(row.id)
    for redaction in session.scalars(select(Redaction).where(Redaction.case_id == case_id)):
        if redaction.person_id == old:
            redaction.person_id = new
            links["redactions"] += 1
    for earlier in session.scalars(select(Person).where(Person.merged_into_id == old)):
        earlier.merged_into_id = new
        links["people"] += 1
    return links, changed_docs
