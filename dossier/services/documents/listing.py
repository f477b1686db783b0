"""A case's documents for a view that keeps them: what changed since it last asked.

A view of 10,000 documents cannot decrypt every title on each notice of an import; it asks
for the documents it does not hold yet and those edited since its last answer. Ids and
modification times are clear columns, so finding them decrypts nothing; only the documents
returned are opened.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from dossier.db.base import utcnow
from dossier.db.models import Document
from dossier.services.documents.rows import document_info
from dossier.services.dto import DocumentChanges, DocumentInfo
from dossier.services.people.screen import screen_mask

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace

EDIT_MARGIN = timedelta(seconds=5)
"""Edits a little older than the marker are sent again: an edit whose row was written just
before the last answer but committed just after it is not missed (two threads, one clock)."""
_CHUNK = 500
"""Ids per `IN (...)`: far below SQLite's limit on bound values."""


def sort_key(doc: DocumentInfo) -> tuple[str, str]:
    """The order `of_case` lists documents in: by date (undated last), then by title."""
    return (doc.date or "9999", doc.title.casefold())


def changes(
    ws: Workspace,
    case_id: str,
    known: Collection[str],
    since: datetime | None,
    reveal: bool,
) -> DocumentChanges:
    marker = utcnow()
    held = frozenset(known)
    in_case = Document.case_id == case_id
    with ws.vault.session() as session:
        # Only the ids come for every document, the edited ones found by SQLite: a time read
        # back per row (parsed, then given its zone) was a third of the read's CPU at 5,000
        # documents, once a second through an import, holding the GIL the window waits for.
        ids = frozenset(session.scalars(select(Document.id).where(in_case)))
        wanted = [doc_id for doc_id in ids if doc_id not in held]
        if since is not None and held:
            edited = Document.updated_at.is_(None) | (Document.updated_at >= since - EDIT_MARGIN)
            wanted += [
                doc_id
                for doc_id in session.scalars(select(Document.id).where(in_case, edited))
                if doc_id in held
            ]
        elif held:
            wanted += [doc_id for doc_id in ids if doc_id in held]
        mask = screen_mask(session, case_id, reveal)
        changed = [
            mask.document(document_info(doc))
            for start in range(0, len(wanted), _CHUNK)
            for doc in session.scalars(
                select(Document).where(Document.id.in_(wanted[start : start + _CHUNK]))
            )
        ]
    ws.screen.record(mask, "documents")
    return DocumentChanges(sorted(changed, key=sort_key), ids, marker)
