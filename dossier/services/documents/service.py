"""Documents: import (extract, store encrypted, index), list, read, edit, delete, re-extract.

An import is all-or-nothing: the originals are stored and synced first, then every row in one
transaction (`group.py`: a batch stores its files in groups, one transaction each). A crash or
a cancel before the commit leaves at most temp files or an orphan ciphertext that the next open
or `gc` removes; it never leaves a half-imported document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from dossier.db.engine import hold_writes
from dossier.db.models import Document, Page
from dossier.errors import (
    AlreadyInCase,
    CorruptData,
    InputRefused,
    NotFoundError,
    PasswordRequired,
    UsageError,
)
from dossier.i18n import _
from dossier.ingest.docx_file import forget_styles
from dossier.jobs import CancelToken, Progress, check, fewer_collections, report, scaled
from dossier.services.dates import parse_date
from dossier.services.documents import duplicates as duplicates_mod
from dossier.services.documents import listing, refresh
from dossier.services.documents.children import read_children
from dossier.services.documents.dto import Child, DocumentEdit, ImportOptions, Incoming
from dossier.services.documents.duplicates import SKIP, check_duplicates
from dossier.services.documents.group import Batch, BytesLeft, ImportGroup
from dossier.services.documents.pictures import SLOW_TO_DECODE, ShownPictures, shown_pages
from dossier.services.documents.regular import read_regular
from dossier.services.documents.rows import (
    MAX_IMPORT_BYTES,
    check_kind,
    check_size,
    document_info,
    get_document,
)
from dossier.services.documents.tree import children_of, descendants
from dossier.services.dto import DocumentChanges, DocumentInfo, ImportOutcome
from dossier.services.originals import drop_rows
from dossier.services.pages import page_text
from dossier.services.people.screen import kept_unless_edited, screen_mask
from dossier.text.clean import valid_text
from dossier.text.model import PageText

if TYPE_CHECKING:
    from dossier.services.quotes.dto import DocumentRefresh
    from dossier.services.workspace import Workspace


class DocumentService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._pictures = ShownPictures()
        self._originals = duplicates_mod.Originals()

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
        check_kind(kind)
        check_duplicates(duplicates)
        iso_date = parse_date(date)
        case_id = self.ws.cases.resolve(case)
        group = ImportGroup(self.ws, case_id)
        options = ImportOptions(kind, title, iso_date, ocr, password, duplicates)
        blob_id = group.keys.blob_id(hashlib.sha256(data).digest())
        linked = self._prepare(group, data, blob_id, name, options, progress, cancel)
        if linked is not None:
            return linked
        try:
            check(cancel)
        except BaseException:
            group.discard()  # its originals, written as it was read
            raise
        report(progress, 0.8, _("encrypting the original"))
        (result,) = group.commit(progress)
        if isinstance(result, InputRefused):
            raise result
        report(progress, 1.0, _("imported"))
        return result

    def _prepare(
        self,
        group: ImportGroup,
        data: bytes,
        blob_id: str,
        name: str,
        options: ImportOptions,
        progress: Progress | None,
        cancel: CancelToken | None,
    ) -> DocumentInfo | None:
        """Read one file into `group` (nothing stored yet; `blob_id`: its original's keyed
        hash); or the document a duplicate was linked to; or AlreadyInCase."""
        from dossier.ingest.formats import extract_bytes

        case_id = group.case_id
        # A name the system could not decode (made on an old Windows): its bytes as letters.
        name = valid_text(Path(name).name)
        check_size(name, len(data))
        stored = group.stored(blob_id)
        linked = duplicates_mod.already_in_case(
            self.ws, self._originals, case_id, blob_id, name, options.duplicates, stored
        )
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
            password=options.password,
            ocr=options.ocr,
            progress=scaled(progress, 0.05, 0.5),
            cancel=cancel,
            chunk_map=self.ws.index.shared_work(cancel),
            word_records=True,
        )
        tree = read_children(
            extracted,
            name,
            ocr=options.ocr,
            progress=scaled(progress, 0.5, 0.8),
            cancel=cancel,
            size=len(data),
        )
        incoming = Incoming(name, len(data), options.kind, options.title, options.date)
        root = Child(name, data, "", extracted, tree.children, blob_id)
        group.add(incoming, root, tree.left_out, stored)
        return None

    def other_cases_holding(self, doc_id: str) -> list[str]:
        """Names of the other cases of the vault that hold the same file (see `duplicates`)."""
        return duplicates_mod.other_cases_holding(self.ws, doc_id)

    def import_many(
        self,
        case: str,
        paths: Sequence[Path],
        *,
        kind: str = "source",
        title: str | None = None,
        date: str | None = None,
        ocr: bool = True,
        password: str | None = None,
        duplicates: str = SKIP,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
        on_outcome: Callable[[ImportOutcome], None] | None = None,
    ) -> list[ImportOutcome]:
        """Import a batch; a refused file is reported and the rest of the batch continues.

        Files are stored in groups (`group.py`): `on_outcome` hears of each file once its
        group is committed (a refusal at once), so every import it reports is on disk. A
        cancel stores the files finished before it, then raises Cancelled."""
        check_kind(kind)
        check_duplicates(duplicates)
        options = ImportOptions(kind, title, parse_date(date), ocr, password, duplicates)
        case_id = self.ws.cases.resolve(case)
        workers_asked = False
        # A search typed meanwhile does not pay for the import's index commits. Each small
        # file read leaves a few dozen objects to the collector, which at Python's default
        # ran every twenty files, and over the whole heap every two hundred (a mailbox of
        # 2,000 messages: 0.1 s of the app's 1.5).
        with self.ws.index.importing(case_id), fewer_collections():
            batch = Batch(ImportGroup(self.ws, case_id), len(paths), on_outcome)
            bytes_left = BytesLeft(paths)
            for number, path in enumerate(paths):
                # No one listening (`dossier import`): no progress to mask, and no mask of the
                # case's people read for it (a session and a query an import).
                file_progress = _file_progress(progress, number, len(paths), valid_text(path.name))
                try:
                    check(cancel)
                    data = read_regular(Path(path), MAX_IMPORT_BYTES)
                    blob_id = batch.group.keys.blob_id(hashlib.sha256(data).digest())
                    if batch.group.holds(blob_id):
                        batch.commit()  # the same file twice: the second must see the first stored
                    linked = self._prepare(
                        batch.group, data, blob_id, path.name, options, file_progress, cancel
                    )
                    del data
                except PasswordRequired as exc:
                    batch.refused(number, str(path), exc, needs_password=True)
                except AlreadyInCase as exc:
                    batch.refused(number, str(path), exc, already_as=exc.document_id)
                except (InputRefused, UsageError) as exc:
                    batch.refused(number, str(path), exc)
                except BaseException:
                    batch.commit_before_failing()
                    raise
                else:
                    if linked is not None:
                        batch.done(number, ImportOutcome(str(path), document=linked))
                    else:
                        batch.waiting.append((number, str(path)))
                if not workers_asked:
                    # By the text read, not the files' bytes: a PDF's are mostly fonts and
                    # pictures, and a few of them started the workers for nothing.
                    workers_asked = self.ws.index.prepare_batch(batch.group.text)
                if batch.group.due(len(paths) - number - 1, partial(bytes_left, number)):
                    batch.commit()
            batch.commit()
            return batch.outcomes()

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
        return sorted(docs, key=listing.sort_key)

    def changes(
        self,
        case: str,
        *,
        known: Collection[str] = (),
        since: datetime | None = None,
        reveal: bool = False,
        seen: Mapping[str, str] | None = None,
    ) -> DocumentChanges:
        """For a view that keeps a case's documents: those not in `known` or edited since the
        marker `since` (every one without it), shown as `of_case` shows them, and the ids of
        all the case's documents now (the deleted ones are those missing). `seen` is the last
        answer's `recent`: a document edited lately that the view holds as it is now is not
        sent again."""
        return listing.changes(
            self.ws, self.ws.cases.resolve(case), known, since, reveal, seen or {}
        )

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
        return self._read(doc_id, *self._stored(doc_id))

    def _stored(self, doc_id: str) -> tuple[str, str]:
        """(case id, blob id) of the document's original."""
        with self.ws.vault.session() as session:
            doc = get_document(session, doc_id)
            case_id, blob_id = doc.case_id, doc.original_blob
        if not blob_id:
            raise NotFoundError(_("document {doc_id} has no original file").format(doc_id=doc_id))
        return case_id, blob_id

    def _read(self, doc_id: str, case_id: str, blob_id: str) -> bytes:
        try:
            return self.ws.blobs.read(self.ws.vault.case_keys(case_id), blob_id)
        except CorruptData:
            # Named before a corrected file replaced it, or the document was deleted (its
            # file goes with it): what the document names now, or that it is gone.
            now = self._stored(doc_id)
            if now == (case_id, blob_id):
                raise
            return self._read(doc_id, *now)

    def shown(self, doc_id: str) -> bytes:
        """What the viewer draws: the original, or for a photo whose pages its import turned
        to read upright, those turned pages (the page its word boxes belong to); a HEIC or
        WebP picture's pages, decoded once and kept in memory until the vault locks."""
        info = self.get(doc_id)
        if info.mime not in SLOW_TO_DECODE:
            return shown_pages(info, self.original(doc_id))
        case_id, blob_id = self._stored(doc_id)
        return self._pictures.pages(info, blob_id, lambda: self._read(doc_id, case_id, blob_id))

    def kept_bytes(self) -> int:
        """Bytes of decoded pictures' pages kept in memory for showing them again."""
        return self._pictures.size

    def clear_cache(self) -> None:
        """Drop the decoded pictures, the originals' owners and the Word styles kept (the
        vault locks)."""
        self._pictures.clear()
        self._originals.clear()
        forget_styles()

    # -- editing ------------------------------------------------------------------------------

    def update(self, doc_id: str, edit: DocumentEdit) -> DocumentInfo:
        """Apply `edit` to a document (see `DocumentEdit`); returns it as it now is."""
        changed = edit.changed()
        with self.ws.vault.session() as session:
            hold_writes(session)  # the fields this edit keeps are kept as last committed
            doc = get_document(session, doc_id)
            masked = {"title", "outlet", "author", "tags"} & set(changed)
            mask = screen_mask(session, doc.case_id) if masked else None
            for name in changed:
                value = getattr(edit, name)
                if name == "kind":
                    doc.kind = check_kind(str(value))
                elif name == "date":
                    doc.date = parse_date(value)
                elif name in ("title", "outlet", "author") and isinstance(value, str):
                    # A field shown masked and sent back untouched keeps the real names.
                    assert mask is not None
                    setattr(doc, name, kept_unless_edited(mask, getattr(doc, name), value))
                elif name == "people":
                    # Looked up under the write lock: a person merged into another since the
                    # list was shown is the one kept, as the merge made every document say.
                    people = self.ws.people
                    found = (people.find(session, doc.case_id, str(p)).id for p in value)
                    doc.people = list(dict.fromkeys(found))
                elif name == "tags":
                    assert mask is not None
                    stored = list(doc.tags)
                    doc.tags = stored if list(value) == mask.texts(stored) else list(value)
                else:
                    setattr(doc, name, value)
            self.ws.audit.append(
                session, "document.edit", doc.case_id, doc_id=doc.id, fields=sorted(changed)
            )
            session.commit()
            info = document_info(doc)
        self.ws.index.document_changed(info.case_id, doc_id)
        return info

    def delete(self, doc_id: str) -> None:
        """Delete the document and every document that came out of it (its attachments, a
        mailbox's messages), in one transaction."""
        with self.ws.vault.session() as session:
            case_id = get_document(session, doc_id).case_id
        with self.ws.blobs.changing(case_id):
            with self.ws.vault.session() as session:
                doc = get_document(session, doc_id)
                doomed = [doc, *descendants(session, doc)]
                blobs = [row.original_blob for row in doomed if row.original_blob]
                ids = [row.id for row in doomed]
                for row in doomed:
                    session.delete(row)
                    self.ws.audit.append(session, "document.delete", case_id, doc_id=row.id)
                drop_rows(session, case_id, blobs)
                session.commit()
            self.ws.blobs.touched(case_id)
            for blob_id in blobs:
                self.ws.blobs.delete(case_id, blob_id)  # the files among them
        self._pictures.forget(set(ids))
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


def _file_progress(
    progress: Progress | None, number: int, count: int, name: str
) -> Progress | None:
    """`progress` for the file `number` of `count` in a batch, its sentences naming it; None
    when nobody follows the batch (its stages' sentences are then not made at all)."""
    if progress is None:
        return None

    def inner(fraction: float, message: str) -> None:
        report(
            progress,
            (number + fraction) / max(1, count),
            _("{name}: {message}").format(name=name, message=message),
        )

    return inner
