"""Catalog rows of documents and the plain values the services hand out for them.

Shared by the import (`service.py`) and the re-extraction (`refresh.py`) of a document.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from dossier.db.models import DOCUMENT_KINDS, Document
from dossier.errors import InputRefused, NotFoundError, UsageError
from dossier.i18n import _
from dossier.services.dto import DocumentInfo

MAX_IMPORT_BYTES = 2 * 1024**3


def check_size(name: str, size: int) -> None:
    if size > MAX_IMPORT_BYTES:
        raise InputRefused(
            _("{name} is larger than 2 GB; split it before importing").format(name=name)
        )


def document_info(doc: Document) -> DocumentInfo:
    return DocumentInfo(
        id=doc.id,
        case_id=doc.case_id,
        kind=doc.kind,
        title=doc.title,
        date=doc.date,
        outlet=doc.outlet,
        author=doc.author,
        filename=doc.filename,
        mime=doc.mime,
        size=doc.size,
        page_count=doc.page_count,
        language=doc.language,
        ocr_pages=doc.ocr_pages,
        extractor_version=doc.extractor_version,
        created_at=doc.created_at,
        tags=list(doc.tags),
        people=list(doc.people),
        metadata={str(k): str(v) for k, v in doc.metadata_.items()},
        parent_id=doc.parent_id,
        origin=doc.origin,
    )


def get_document(session: Session, doc_id: str) -> Document:
    doc = session.get(Document, doc_id)
    if doc is None:
        raise NotFoundError(_("no document with id {doc_id}").format(doc_id=doc_id))
    return doc


def check_kind(kind: str) -> str:
    if kind not in DOCUMENT_KINDS:
        raise UsageError(
            _("unknown kind {kind}; choose one of {DOCUMENT_KINDS}").format(
                kind=repr(kind), DOCUMENT_KINDS=", ".join(DOCUMENT_KINDS)
            )
        )
    return kind
