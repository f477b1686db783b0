"""Storing the documents that came out of an imported file, each linked to its parent.

Runs inside the import's transaction: the whole tree is stored or none of it. A child whose
content is already in the case (the same PDF attached to three replies) is not stored twice:
it is named in its parent's `duplicates`, with the document it duplicates.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from dossier.db.models import Document
from dossier.ingest.titles import plausible_title
from dossier.jobs import CancelToken, check
from dossier.services.constants import DATE_FROM_PARENT
from dossier.services.documents.dto import Child, Incoming, TreeState
from dossier.services.pages import page_row
from dossier.text.model import ExtractedDocument

if TYPE_CHECKING:
    from dossier.crypto.keys import CaseKeys


def store_document(
    case_id: str,
    incoming: Incoming,
    extracted: ExtractedDocument,
    blob_id: str,
) -> Document:
    doc = Document(case_id=case_id, kind=incoming.kind)
    doc.set_sealed(
        {
            # A title the file states about itself counts only when it is one ("Microsoft
            # Word - Document1" or "scan0001.pdf" are not): else the extractor's heading, then
            # the file name.
            "title": plausible_title(extracted.title) or Path(incoming.name).stem,
            "author": extracted.author or "",
            "outlet": extracted.outlet or "",
            "date": extracted.date,
            "filename": incoming.name,
            "mime": extracted.mime,
            "size": incoming.size,
            "page_count": len(extracted.pages),
            "language": extracted.language,
            "extractor_version": extracted.extractor_version,
            "original_blob": blob_id,
            "ocr_pages": sum(1 for p in extracted.pages if p.ocr),
            "metadata_": dict(extracted.metadata),
        }
    )
    rows = []
    for page in extracted.pages:
        row = page_row(case_id, page)
        row.document_id = doc.id
        rows.append(row)
    # Given to the document as its loaded pages, without the relationship's events (appended,
    # each page ran its back reference and the collection's history): the rows are inserted
    # from this list by `db/bulk.py`, never flushed through a session.
    set_committed_value(doc, "pages", rows)
    # Not in the session: the caller still sets fields (a parent, a title given), and the
    # group's rows are sealed and written once, together, at its commit (`db/bulk.py`).
    return doc


def store_tree(
    put: Callable[[Child], str],
    parent: Document,
    children: list[Child],
    state: TreeState,
    cancel: CancelToken | None,
) -> None:
    """Make the documents of `children` under `parent` (same kind), depth first, into
    `state.stored`; `put` stores a child's original encrypted and returns its blob id."""
    duplicates: list[str] = []
    for number, child in enumerate(children, start=1):
        check(cancel)
        blob_id = child.blob_id
        twin = state.in_case.get(blob_id) or state.seen.get(blob_id)
        if twin is not None:
            duplicates.append(f"{child.name}: the same file as “{twin.title}” ({twin.id})")
            continue
        put(child)
        incoming = Incoming(child.name, len(child.data), parent.kind, None, None)
        doc = store_document(parent.case_id, incoming, child.extracted, blob_id)
        doc.parent_id = parent.id
        doc.origin = f"{child.origin} {number}"
        if not doc.date and parent.date:
            doc.date = parent.date
            doc.metadata_ = {**doc.metadata_, "date_source": DATE_FROM_PARENT}
        state.seen[blob_id] = doc
        state.stored.append(doc)
        store_tree(put, doc, child.children, state, cancel)
    if duplicates:
        parent.metadata_ = {**parent.metadata_, "duplicates": "\n".join(duplicates)}


def tree_blob_ids(keys: CaseKeys, root: Child) -> list[str]:
    """The blob id each original of the tree will have, each kept in its `Child` (hashed once,
    however many times the import needs it)."""
    if not root.blob_id:
        root.blob_id = keys.blob_id(hashlib.sha256(root.data).digest())
    found = [root.blob_id]
    for child in root.children:
        found += tree_blob_ids(keys, child)
    return found


def children_of(session: Session, doc: Document) -> list[Document]:
    """Direct children of `doc`, in the order they were stored (the order in their parent).

    The link is sealed, so the case's documents are read to find them."""
    rows = session.scalars(select(Document).where(Document.case_id == doc.case_id))
    found = [row for row in rows if row.parent_id == doc.id]
    return sorted(found, key=_order)


def descendants(session: Session, doc: Document) -> list[Document]:
    """Every document below `doc`, each followed by its own (depth first, in stored order)."""
    rows = list(session.scalars(select(Document).where(Document.case_id == doc.case_id)))
    below: dict[str, list[Document]] = {}
    for row in rows:
        if row.parent_id:
            below.setdefault(row.parent_id, []).append(row)
    found: list[Document] = []
    seen: set[str] = {doc.id}

    def visit(parent_id: str) -> None:
        for child in sorted(below.get(parent_id, []), key=_order):
            if child.id not in seen:  # a loop can only come from tampering; never recurse twice
                seen.add(child.id)
                found.append(child)
                visit(child.id)

    visit(doc.id)
    return found


def _order(row: Document) -> tuple[object, int]:
    return (row.created_at, _number(row.origin))


def _number(origin: str) -> int:
    last = origin.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0
