"""New text for a stored document: re-extraction of its original, or a corrected file.

Re-extraction (a newer extractor, OCR redone) reads the original the vault holds, decrypted in
memory only: nothing is written to disk in clear. A corrected file replaces the original of the
same document (its id, title, people, quotes stay). Either way the pages are replaced and every
quote anchored in the document is re-found in the new text in the same transaction, so no quote
ever points at text that is gone; the re-check says which moved, degraded or were lost.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from dossier.db.bulk import insert_new
from dossier.db.engine import hold_writes
from dossier.db.models import Document
from dossier.errors import InputRefused, NotFoundError
from dossier.i18n import _
from dossier.ingest.email_message import EMAIL_MIME
from dossier.ingest.formats import HTML_MIME, extract_bytes
from dossier.ingest.plaintext import MARKDOWN_MIME, TEXT_MIME
from dossier.jobs import CancelToken, Progress, check, report, scaled
from dossier.pdf.extract import PDF_MIME
from dossier.services.documents.regular import read_regular
from dossier.services.documents.rows import MAX_IMPORT_BYTES, document_info, get_document
from dossier.services.dto import DocumentInfo
from dossier.services.originals import drop_rows, new_rows
from dossier.services.pages import page_row
from dossier.services.quotes.dto import DocumentRefresh, QuoteReview
from dossier.text.clean import valid_text
from dossier.text.model import ExtractedDocument

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace

_KIND_BY_MIME = {
    PDF_MIME: "pdf",
    HTML_MIME: "html",
    EMAIL_MIME: "email",
    MARKDOWN_MIME: "markdown",
    TEXT_MIME: "text",
}
"""Read an original again the way it was first read (Markdown stays Markdown)."""


def reextract(
    ws: Workspace,
    doc_id: str,
    *,
    ocr: bool = True,
    password: str | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> DocumentRefresh:
    report(progress, 0.0, _("decrypting the original"))
    with ws.vault.session() as session:
        case_id = get_document(session, doc_id).case_id
    # The original named and its file read together: a replaced original's file is removed.
    with ws.blobs.changing(case_id):
        with ws.vault.session() as session:
            doc = get_document(session, doc_id)
            blob_id, name, mime = doc.original_blob, doc.filename, doc.mime
        if not blob_id:
            raise NotFoundError(
                _("document {doc_id} has no original file to read again").format(doc_id=doc_id)
            )
        data = ws.blobs.read(ws.vault.case_keys(case_id), blob_id)
    extracted = extract_bytes(
        data,
        name or "original",
        kind_hint=_KIND_BY_MIME.get(mime),
        password=password,
        ocr=ocr,
        progress=scaled(progress, 0.05, 0.8),
        cancel=cancel,
    )
    del data  # the plaintext original is not needed any longer
    check(cancel)
    report(progress, 0.85, _("replacing the text and re-checking quotes"))
    with ws.vault.session() as session:
        hold_writes(session)  # the row, pages and quotes replaced are those last committed
        doc = get_document(session, doc_id)
        if doc.original_blob != blob_id:
            raise InputRefused(
                _(
                    "the original of document {doc_id} was replaced while it was read again; "
                    "nothing was changed (read it again now if needed)"
                ).format(doc_id=doc_id)
            )
        reviews = _replace_text(ws, session, doc, extracted)
        info = _commit(ws, session, doc, "document.reextract", extracted, cancel)
    ws.index.document_changed(case_id, doc_id)
    report(progress, 1.0, _("re-extracted"))
    return DocumentRefresh(info, reviews, replaced=False)


def replace_original(
    ws: Workspace,
    doc_id: str,
    path: Path,
    *,
    ocr: bool = True,
    password: str | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> DocumentRefresh:
    path = Path(path)
    with ws.vault.session() as session:
        case_id = get_document(session, doc_id).case_id
    data = read_regular(path, MAX_IMPORT_BYTES)
    size = len(data)
    name = valid_text(path.name)  # as an import names it: undecodable bytes as letters
    extracted = extract_bytes(
        data,
        name,
        password=password,
        ocr=ocr,
        progress=scaled(progress, 0.0, 0.75),
        cancel=cancel,
    )
    check(cancel)
    report(progress, 0.8, _("encrypting the corrected file"))
    with ws.blobs.changing(case_id):
        # As an import stores it: a small original a row of this very commit, a large one
        # a file synced and in place before it.
        blobs = ws.blobs.batch()
        blob_id, _created = blobs.put(ws.vault.case_keys(case_id), data)
        try:
            with ws.vault.session() as session:
                hold_writes(session)  # the row, pages and quotes replaced are those last committed
                doc = get_document(session, doc_id)
                old_blob = doc.original_blob
                _refuse_other_document(session, doc, blob_id, name)
                doc.filename = name
                doc.mime = extracted.mime
                doc.size = size
                doc.original_blob = blob_id
                report(progress, 0.85, _("replacing the text and re-checking quotes"))
                reviews = _replace_text(ws, session, doc, extracted)
                if old_blob and old_blob != blob_id:
                    drop_rows(session, case_id, [old_blob])
                blobs.settle({blob_id})
                insert_new(session, new_rows(session, blobs.small()))
                info = _commit(ws, session, doc, "document.replace", extracted, cancel)
        except BaseException:
            # Unless raised once the commit was made (a Ctrl-C as it returned): the catalog
            # names the new original then, and removed, it was lost.
            if _names(ws, doc_id, blob_id):
                ws.blobs.touched(case_id)  # its row, if small, is the catalog's
            else:
                blobs.discard()
            raise
        blobs.forget()
        ws.blobs.touched(case_id)
        if old_blob and old_blob != blob_id:
            ws.blobs.delete(case_id, old_blob)  # a file, if it was one
    ws.index.document_changed(case_id, doc_id)
    report(progress, 1.0, _("replaced"))
    return DocumentRefresh(info, reviews, replaced=True)


def _names(ws: Workspace, doc_id: str, blob_id: str) -> bool:
    """Whether the catalog on disk names `blob_id` the document's original (its commit failed
    or not); when it cannot tell, the original is kept (for `gc`), never removed."""
    try:
        with ws.vault.session() as session:
            doc = session.scalar(select(Document).where(Document.id == doc_id))
            return doc is not None and doc.original_blob == blob_id
    except Exception:  # the failure being raised is the one to report
        return True


def _refuse_other_document(session: Session, doc: Document, blob_id: str, name: str) -> None:
    query = select(Document).where(Document.case_id == doc.case_id, Document.id != doc.id)
    for other in session.scalars(query):
        if other.original_blob == blob_id:
            raise InputRefused(
                _("{name} is already in this case as {title} ({id})").format(
                    name=name, title=repr(other.title), id=other.id
                )
            )


def _commit(
    ws: Workspace,
    session: Session,
    doc: Document,
    action: str,
    extracted: ExtractedDocument,
    cancel: CancelToken | None,
) -> DocumentInfo:
    """Audit the new text and commit it (a last cancel check first); the document as it is."""
    ws.audit.append(
        session,
        action,
        doc.case_id,
        doc_id=doc.id,
        pages=len(extracted.pages),
        extractor_version=extracted.extractor_version,
    )
    check(cancel)
    session.commit()
    return document_info(doc)


def _replace_text(
    ws: Workspace, session: Session, doc: Document, extracted: ExtractedDocument
) -> list[QuoteReview]:
    """Swap the document's pages for the new ones and re-check its quotes against them."""
    doc.pages.clear()
    session.flush()  # the old rows are gone before the new ones arrive
    for page in extracted.pages:
        doc.pages.append(page_row(doc.case_id, page))
    doc.page_count = len(extracted.pages)
    doc.extractor_version = extracted.extractor_version
    doc.ocr_pages = sum(1 for p in extracted.pages if p.ocr)
    doc.metadata_ = dict(extracted.metadata)
    doc.language = doc.language or extracted.language
    doc.outlet = doc.outlet or extracted.outlet or ""
    session.flush()
    # The next anchoring in this document can reuse these very pages (and their index).
    ws.quotes.pages.remember(doc.id, tuple(row.id for row in doc.pages), extracted.pages)
    return ws.quotes.recheck_document(session, doc, extracted.pages)
