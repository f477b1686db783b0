"""Documents: import (extract, store encrypted, index), list, read, edit, delete, re-extract.

An import is all-or-nothing: the original is stored first (atomic file), then every row in one
transaction. A crash or a cancel before the commit leaves at most an orphan ciphertext that
`fsck` reports and `gc` removes; it never leaves a half-imported document.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from dossier.db.models import Document, Page
from dossier.errors import (
    InputRefused,
    NotFoundError,
    PasswordRequired,
    UsageError,
)
from dossier.i18n import _
from dossier.jobs import CancelToken, Progress, check, report, scaled
from dossier.services.dates import parse_date
from dossier.services.documents import duplicates as duplicates_mod
from dossier.services.documents import refresh
from dossier.services.documents.children import read_children
from dossier.services.documents.dto import Child, Incoming, TreeState
from dossier.services.documents.duplicates import DUPLICATE_CHOICES, SKIP
from dossier.services.documents.regular import read_regular
from dossier.services.documents.rows import (
    MAX_IMPORT_BYTES,
    check_kind,
    check_size,
    document_info,
    get_document,
)
from dossier.services.documents.tree import (
    children_of,
    descendants,
    store_document,
    store_tree,
    tree_blob_ids,
)
from dossier.services.dto import DocumentInfo, ImportOutcome
from dossier.services.pages import page_text
from dossier.services.people.screen import kept_unless_edited, screen_mask
from dossier.text.model import PageText

if TYPE_CHECKING:
    from dossier.crypto.keys import CaseKeys
    from dossier.services.quotes.dto import DocumentRefresh
    from dossier.services.workspace import Workspace


class DocumentService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # -- import -------------------------------------------------------------------------------

    def import_file(
        self,
        case: str,
        path: Path,
        *,
        kind: str = "source",
        title: str | None = None,
        date: str | None = None,
        ocr: bool = True,
        password: str | None = None,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
        duplicates: str = SKIP,
    ) -> DocumentInfo:
        """Import one file (see `import_bytes`)."""
        path = Path(path)
        check_kind(kind)
        parse_date(date)
        self.ws.cases.resolve(case)
        # Read once from a descriptor checked to be a regular file (never a link's target, a
        # FIFO or a device), then imported from memory: the file cannot be swapped meanwhile.
        data = read_regular(path, MAX_IMPORT_BYTES)
        return self.import_bytes(
            case,
            data,
            path.name,
            kind=kind,
            title=title,
            date=date,
            ocr=ocr,
            password=password,
            progress=progress,
            cancel=cancel,
            duplicates=duplicates,
        )

    def import_bytes(
        self,
        case: str,
        data: bytes,
        name: str,
        *,
        kind: str = "source",
        title: str | None = None,
        date: str | None = None,
        ocr: bool = True,
        password: str | None = None,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
        duplicates: str = SKIP,
    ) -> DocumentInfo:
        """`import_file` for a file held in memory (a document from a bundle): it is extracted
        and encrypted from memory, so its plaintext is never written to disk, on any OS.

        A file whose content is already a document of the case is not imported again: with
        `duplicates="skip"` AlreadyInCase names that document; with "link", the document
        records that it was received again under this name, and is returned."""
        from dossier.ingest.formats import extract_bytes

        check_kind(kind)
        if duplicates not in DUPLICATE_CHOICES:
            raise UsageError(
                _("--duplicates must be one of {DUPLICATE_CHOICES}").format(
                    DUPLICATE_CHOICES=", ".join(DUPLICATE_CHOICES)
                )
            )
        iso_date = parse_date(date)
        case_id = self.ws.cases.resolve(case)
        name = Path(name).name
        check_size(name, len(data))
        linked = duplicates_mod.already_in_case(self.ws, case_id, data, name, duplicates)
        if linked is not None:
            return linked
        if progress is not None:
            # Progress names the files coming out of this one (an attachment, a message by its
            # subject) on screen, before any listing masks them: mask them here too.
            progress = self.ws.screen.mask(case_id).progress(progress)
        report(progress, 0.0, _("reading {name}").format(name=name))
        extracted = extract_bytes(
            data,
            name,
            password=password,
            ocr=ocr,
            progress=scaled(progress, 0.05, 0.5),
            cancel=cancel,
        )
        tree = read_children(
            extracted, name, ocr=ocr, progress=scaled(progress, 0.5, 0.8), cancel=cancel
        )
        return self._commit_import(
            case_id,
            Incoming(name, len(data), kind, title, iso_date),
            Child(name, data, "", extracted, tree.children),
            tree.left_out,
            progress,
            cancel,
        )

    def _commit_import(
        self,
        case_id: str,
        incoming: Incoming,
        root: Child,
        left_out: list[str],
        progress: Progress | None,
        cancel: CancelToken | None,
    ) -> DocumentInfo:
        """The shared second half of an import: store the originals encrypted (the file and
        every file that came out of it), then every row in one transaction (the blobs written
        are removed again if that fails), then the index, in one commit for the whole tree."""
        check(cancel)
        report(progress, 0.8, _("encrypting the original"))
        keys = self.ws.vault.case_keys(case_id)
        written: list[str] = []
        # Only an original already stored can belong to a document of the case: when none is,
        # the case's documents need not be read (and decrypted) to look for duplicates.
        known = any(self.ws.blobs.exists(case_id, blob) for blob in tree_blob_ids(keys, root))
        try:
            blob_id = self._put(keys, root.data, written)
            with self.ws.vault.session() as session:
                query = select(Document).where(Document.case_id == case_id)
                in_case = (
                    {doc.original_blob: doc for doc in session.scalars(query)} if known else {}
                )
                if blob_id in in_case:
                    doc = in_case[blob_id]
                    raise InputRefused(
                        _("{name} is already in this case as {title} ({id})").format(
                            name=incoming.name, title=repr(doc.title), id=doc.id
                        )
                    )
                doc = store_document(session, case_id, incoming, root.extracted, blob_id)
                if incoming.title:
                    doc.title = incoming.title
                if incoming.date:
                    doc.date = incoming.date
                if left_out:
                    doc.metadata_ = {**doc.metadata_, "not_imported": "\n".join(left_out)}
                stored = [doc]
                seen = {blob_id: doc}
                store_tree(
                    session,
                    lambda data: self._put(keys, data, written),
                    doc,
                    root.children,
                    TreeState(keys, in_case, seen, stored),
                    cancel,
                )
                for row in stored:
                    self.ws.audit.append(
                        session, "document.import", case_id, doc_id=row.id, pages=row.page_count
                    )
                check(cancel)
                session.commit()
                info = document_info(doc)
                ids = [row.id for row in stored]
        except BaseException:
            for written_id in written:
                self.ws.blobs.delete(case_id, written_id)
            raise
        report(progress, 0.9, _("indexing"))
        self.ws.index.documents_changed(case_id, ids)
        report(progress, 1.0, _("imported"))
        return info

    def other_cases_holding(self, doc_id: str) -> list[str]:
        """Names of the other cases of the vault that hold the same file (see `duplicates`)."""
        return duplicates_mod.other_cases_holding(self.ws, doc_id)

    def _put(self, keys: CaseKeys, data: bytes, written: list[str]) -> str:
        blob_id, created = self.ws.blobs.put_bytes(keys, data)
        if created:
            written.append(blob_id)
        return blob_id

    def import_many(
        self,
        case: str,
        paths: Sequence[Path],
        *,
        kind: str = "source",
        ocr: bool = True,
        password: str | None = None,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> list[ImportOutcome]:
        """Import a batch; a refused file is reported and the rest of the batch continues."""
        outcomes: list[ImportOutcome] = []
        for number, path in enumerate(paths):
            check(cancel)

            def file_progress(
                fraction: float, message: str, n: int = number, name: str = path.name
            ) -> None:
                report(
                    progress,
                    (n + fraction) / max(1, len(paths)),
                    _("{name}: {message}").format(name=name, message=message),
                )

            try:
                info = self.import_file(
                    case,
                    path,
                    kind=kind,
                    ocr=ocr,
                    password=password,
                    progress=file_progress,
                    cancel=cancel,
                )
                outcomes.append(ImportOutcome(str(path), document=info))
            except PasswordRequired as exc:
                outcomes.append(ImportOutcome(str(path), error=str(exc), needs_password=True))
            except (InputRefused, UsageError) as exc:
                outcomes.append(ImportOutcome(str(path), error=str(exc)))
        return outcomes

    # -- new text for a stored document -------------------------------------------------------

    def reextract(
        self,
        doc_id: str,
        *,
        ocr: bool = True,
        password: str | None = None,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> DocumentRefresh:
        """Extract the stored original again (decrypted in memory), replace the pages in one
        transaction with a re-check of the document's quotes; returns their reviews."""
        return refresh.reextract(
            self.ws, doc_id, ocr=ocr, password=password, progress=progress, cancel=cancel
        )

    def replace_original(
        self,
        doc_id: str,
        path: Path,
        *,
        ocr: bool = True,
        password: str | None = None,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> DocumentRefresh:
        """Give the document a corrected file: same document, new original and pages, its
        quotes re-checked in the same transaction; returns their reviews."""
        return refresh.replace_original(
            self.ws, doc_id, path, ocr=ocr, password=password, progress=progress, cancel=cancel
        )

    # -- reading ------------------------------------------------------------------------------

    def of_case(
        self, case: str, kind: str | None = None, *, reveal: bool = False
    ) -> list[DocumentInfo]:
        """Documents as shown: protected names in titles masked unless `reveal` (audited)."""
        case_id = self.ws.cases.resolve(case)
        with self.ws.vault.session() as session:
            mask = screen_mask(session, case_id, reveal)
            query = select(Document).where(Document.case_id == case_id)
            if kind:
                query = query.where(Document.kind == check_kind(kind))
            docs = [mask.document(document_info(d)) for d in session.scalars(query)]
        self.ws.screen.record(mask, "documents")
        return sorted(docs, key=lambda d: (d.date or "9999", d.title.casefold()))

    def get(self, doc_id: str, *, reveal: bool = False) -> DocumentInfo:
        with self.ws.vault.session() as session:
            doc = get_document(session, doc_id)
            mask = screen_mask(session, doc.case_id, reveal)
            info = mask.document(document_info(doc))
        self.ws.screen.record(mask, "document")
        return info

    def pages(self, doc_id: str, with_words: bool = True) -> list[PageText]:
        with self.ws.vault.session() as session:
            doc = get_document(session, doc_id)
            return [page_text(p, with_words) for p in doc.pages]

    def page(self, doc_id: str, index: int) -> PageText:
        with self.ws.vault.session() as session:
            row = session.scalar(
                select(Page).where(Page.document_id == doc_id, Page.page_index == index)
            )
            if row is None:
                raise NotFoundError(
                    _("document {doc_id} has no page {index}").format(
                        doc_id=doc_id, index=index + 1
                    )
                )
            return page_text(row)

    def text(self, doc_id: str) -> str:
        return "\n\n".join(p.text for p in self.pages(doc_id, with_words=False))

    def original(self, doc_id: str) -> bytes:
        """The original file, decrypted in memory (never written to disk)."""
        with self.ws.vault.session() as session:
            doc = get_document(session, doc_id)
            case_id, blob_id = doc.case_id, doc.original_blob
        if not blob_id:
            raise NotFoundError(_("document {doc_id} has no original file").format(doc_id=doc_id))
        return self.ws.blobs.read(self.ws.vault.case_keys(case_id), blob_id)

    # -- editing ------------------------------------------------------------------------------

    def update(self, doc_id: str, **fields: Any) -> DocumentInfo:
        editable = {
            "title",
            "outlet",
            "author",
            "date",
            "kind",
            "tags",
            "people",
            "notes",
            "language",
        }
        unknown = set(fields) - editable
        if unknown:
            raise UsageError(
                _("cannot edit {unknown} of a document").format(unknown=", ".join(sorted(unknown)))
            )
        with self.ws.vault.session() as session:
            doc = get_document(session, doc_id)
            for name, value in fields.items():
                if name == "kind":
                    doc.kind = check_kind(str(value))
                elif name == "date":
                    doc.date = parse_date(value)
                elif name in ("title", "outlet", "author") and isinstance(value, str):
                    # A field shown masked and sent back untouched keeps the real names.
                    mask = screen_mask(session, doc.case_id)
                    setattr(doc, name, kept_unless_edited(mask, getattr(doc, name), value))
                elif name == "tags" and isinstance(value, list | tuple):
                    mask = screen_mask(session, doc.case_id)
                    stored = list(doc.tags)
                    doc.tags = stored if list(value) == mask.texts(stored) else list(value)
                else:
                    setattr(doc, name, value)
            self.ws.audit.append(
                session, "document.edit", doc.case_id, doc_id=doc.id, fields=sorted(fields)
            )
            session.commit()
            info = document_info(doc)
        self.ws.index.document_changed(info.case_id, doc_id)
        return info

    def delete(self, doc_id: str) -> None:
        """Delete the document and every document that came out of it (its attachments, a
        mailbox's messages), in one transaction."""
        with self.ws.vault.session() as session:
            doc = get_document(session, doc_id)
            case_id = doc.case_id
            doomed = [doc, *descendants(session, doc)]
            blobs = [row.original_blob for row in doomed if row.original_blob]
            ids = [row.id for row in doomed]
            for row in doomed:
                session.delete(row)
                self.ws.audit.append(session, "document.delete", case_id, doc_id=row.id)
            session.commit()
        for blob_id in blobs:
            self.ws.blobs.delete(case_id, blob_id)
        for removed in ids:
            self.ws.index.document_removed(case_id, removed)

    def descendants(self, doc_id: str, *, reveal: bool = False) -> list[DocumentInfo]:
        """Every document that came out of this one, at any depth, parents first; protected
        names masked unless `reveal`."""
        with self.ws.vault.session() as session:
            doc = get_document(session, doc_id)
            mask = screen_mask(session, doc.case_id, reveal)
            found = [mask.document(document_info(row)) for row in descendants(session, doc)]
        self.ws.screen.record(mask, "documents")
        return found

    def children(self, doc_id: str, *, reveal: bool = False) -> list[DocumentInfo]:
        """The documents that came out of this one (attachments, messages, members), in the
        order they sat in it; protected names masked unless `reveal`."""
        with self.ws.vault.session() as session:
            doc = get_document(session, doc_id)
            mask = screen_mask(session, doc.case_id, reveal)
            found = [mask.document(document_info(row)) for row in children_of(session, doc)]
        self.ws.screen.record(mask, "documents")
        return found
