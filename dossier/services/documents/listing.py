"""A case's documents for a view that keeps them: what changed since it last asked.

A view of 10,000 documents cannot decrypt every title on each notice of an import; it asks
for the documents it does not hold yet and those edited since its last answer. Ids and
modification times are clear columns, so finding them decrypts nothing; only the documents
returned are opened.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import String, select, type_coerce

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
    seen: Mapping[str, str],
) -> DocumentChanges:
    marker = utcnow()
    held = frozenset(known)
    in_case = Document.case_id == case_id
    lately = min(since or marker, marker) - EDIT_MARGIN
    with ws.vault.session() as session:
        # Only the ids come for every document, the edited ones found by SQLite: a time read
        # back per row (parsed, then given its zone) was a third of the read's CPU at 5,000
        # documents, once a second through an import, holding the GIL the window waits for.
        ids = frozenset(session.scalars(select(Document.id).where(in_case)))
        # The edit times of the documents edited lately, as stored (a token: never parsed),
        # read before the documents: an edit committed between the two reads has a time the
        # view is not handed, and is sent again at its next question.
        edits = session.execute(
            select(
                Document.id,
                type_coerce(Document.updated_at, String),
                Document.updated_at >= marker - EDIT_MARGIN,
            ).where(in_case, Document.updated_at >= lately)
        ).all()
        wanted = [doc_id for doc_id in ids if doc_id not in held]
        if since is not None and held:
            # Within the margin a document the view holds as it is now is not read again: a
            # view asking once a second through an import read each new document five times.
            wanted += [
                doc_id
                for doc_id, version, _recent in edits
                if doc_id in held and seen.get(doc_id) != version
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
    recent = {doc_id: version for doc_id, version, is_recent in edits if is_recent}
    return DocumentChanges(sorted(changed, key=sort_key), ids, marker, recent)
