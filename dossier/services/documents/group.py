"""Group commit of imports: the files of a batch stored in one catalog transaction.

Committing each imported file on its own cost a fixed 45-70 ms per file (a catalog commit
synced to disk, the row MACs and inventories, an audit head, two syncs per original), more
than reading most files. So the files of a batch gather in a group, committed when it is
`GROUP_SECONDS` old (unless the batch's last files are about to come), holds `GROUP_BYTES` of
originals or `GROUP_FILES` files, or the batch ends: their originals are synced together,
then every row of every file goes into one transaction, then the index hears of all of them
at once.

Nothing is reported before its group's commit: every success a caller is told of is durable,
and a crash or a failed commit loses only files not yet reported (their temp files are
removed at the next open), never leaves one half-written. A file refused while its group is
stored (its content is already a document of the case) is refused alone.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from dossier.blobstore import BlobBatch
from dossier.crypto.keys import CaseKeys
from dossier.db.bulk import insert_new
from dossier.db.models import Case, Document
from dossier.db.sealed import Sealed
from dossier.errors import DossierError, InputRefused, NotFoundError
from dossier.i18n import _
from dossier.jobs import Progress, fewer_collections, report
from dossier.services.documents.dto import Child, Incoming, Prepared, TreeState
from dossier.services.documents.rows import document_info
from dossier.services.documents.tree import store_document, store_tree, tree_blob_ids
from dossier.services.dto import DocumentInfo, ImportOutcome
from dossier.services.originals import new_rows

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dossier.services.workspace import Workspace

GROUP_SECONDS = 1.0
"""How long a finished file waits for its commit (and its success to be reported), unless the
batch's last files are about to come (`ImportGroup.due`): twice that at most."""
GROUP_BYTES = 64 * 1024 * 1024
"""Originals held in memory by a group before it is committed."""
GROUP_FILES = 500


Stored = DocumentInfo | InputRefused
"""What became of a prepared file: its document, or why it was refused."""


class ImportGroup:
    """Prepared files of one case, stored together by `commit`."""

    def __init__(self, ws: Workspace, case_id: str) -> None:
        self.ws = ws
        self.case_id = case_id
        self.keys = ws.vault.case_keys(case_id)
        self.files: list[Prepared] = []
        self._blobs: BlobBatch | None = None
        """The group's originals, written (and synced) as its files come."""
        self._blob_ids: set[str] = set()
        self._looked = 0
        """`BlobStore.changes` of the case as the group's first file was looked for on disk."""
        self._counted = False
        """Whether `_looked` was read for the group's files (before the first was looked for)."""
        self._bytes = 0
        self._started = 0.0
        self.text = 0
        """Characters of text read into the group since it was made, commits included."""

    def __len__(self) -> int:
        return len(self.files)

    def holds(self, blob_id: str) -> bool:
        """Whether an original of a file waiting here has this id (a file importing it again
        must wait for this group's commit to be recognised as a duplicate)."""
        return blob_id in self._blob_ids

    def stored(self, blob_id: str) -> bool:
        """Whether the case's store holds an original of this id (a file's, looked for once
        by the duplicate check, then told to `add`)."""
        self._count_changes()
        return self.ws.blobs.exists(self.case_id, blob_id)

    def _count_changes(self) -> None:
        if not self.files and not self._counted:
            # Read before the group's first look at the disk: another job's originals stored
            # after it moved the count, and the commit looks again.
            self._looked = self.ws.blobs.changes(self.case_id)
            self._counted = True

    def add(
        self, incoming: Incoming, root: Child, left_out: list[str], stored: bool | None = None
    ) -> None:
        """`stored`: what `stored` said of the root's original just now (None: look)."""
        self._count_changes()
        ids = tree_blob_ids(self.keys, root)
        looked = ids if stored is None else ids[1:]
        known = bool(stored) or any(self.ws.blobs.exists(self.case_id, i) for i in looked)
        if not known:
            # Written by the writer threads while the next files are read, not at the commit
            # (where the import's thread waited for them). A tree holding an original the
            # case has is left to the commit, which sees what of it is a duplicate.
            if self._blobs is None:
                self._blobs = self.ws.blobs.batch()
            _put_tree(self._blobs, self.keys, root)
        if not self.files:
            self._started = time.monotonic()
        self.files.append(Prepared(incoming, root, left_out, ids, known))
        self._blob_ids.update(ids)
        self._bytes += _tree_size(root)
        self.text += _tree_text(root)

    def discard(self) -> None:
        """Drop the group's files, uncommitted, and the originals written for them."""
        self.files, self._bytes, self._counted = [], 0, False
        self._blob_ids.clear()
        blobs, self._blobs = self._blobs, None
        if blobs is not None:
            blobs.discard()

    def due(self, left: int = 0, left_bytes: Callable[[], int] | None = None) -> bool:
        """Whether the group is to be committed now, `left` files of its batch still to read,
        `left_bytes` telling their size.

        Past `GROUP_SECONDS`, it waits for the batch's last files if, read at the group's pace
        so far, they come before its first file has waited twice that: cut by time, a batch a
        loaded machine reads a little past it was two commits, the second of a few files and
        indexed apart (each commit of a group has costs of its own: signing, syncing, an audit
        entry, the index's table of contents). The pace is weighed by bytes as well as files:
        by files alone, quick notes then one long file waited, unreported and lost to a crash,
        for as long as that file took to read."""
        if not self.files:
            return False
        if len(self.files) >= GROUP_FILES or self._bytes >= GROUP_BYTES:
            return True
        waited = time.monotonic() - self._started
        if waited < GROUP_SECONDS:
            return False
        if waited + waited / len(self.files) * left > 2 * GROUP_SECONDS:
            return True
        if left_bytes is None or not self._bytes:
            return False
        return waited + waited / self._bytes * left_bytes() > 2 * GROUP_SECONDS

    @fewer_collections()  # a row object or more per page: see `fewer_collections`
    def commit(self, progress: Progress | None = None) -> list[Stored]:
        """Store every file of the group (originals synced first, then one transaction), then
        index them; returns what became of each, in order. A failure of the commit itself
        (a full disk, a damaged catalog) raises, with nothing of the group kept."""
        files, self.files = self.files, []
        self._blob_ids.clear()
        self._bytes, self._counted = 0, False
        if not files:
            return []
        blobs, self._blobs = self._blobs or self.ws.blobs.batch(), None
        try:
            self.ws.index.prepare_case(self.case_id)
        except BaseException:
            blobs.discard()
            raise
        stored: list[Document | InputRefused] = []
        early: object | None = None
        try:
            with self.ws.vault.session() as session:
                with self.ws.blobs.changing(self.case_id):
                    try:
                        docs, early = self._commit_rows(session, files, blobs, stored)
                    except BaseException:
                        # Under the lock: another job may find these originals in place
                        # only once they are committed, never as they are removed.
                        blobs.discard()
                        raise
                results = [r if isinstance(r, InputRefused) else document_info(r) for r in stored]
                if docs:
                    report(progress, 0.9, _("indexing"))
                    # Their pages are still here: the index need not read them back.
                    self.ws.index.documents_imported(session, self.case_id, docs, early)
                    early = None
        except BaseException:
            blobs.discard()
            self.ws.index.abandon_storing(early)
            raise
        return results

    def _commit_rows(
        self,
        session: Session,
        files: list[Prepared],
        blobs: BlobBatch,
        stored: list[Document | InputRefused],
    ) -> tuple[list[Document], object | None]:
        """Store the files' rows and commit them, their originals in place first: the
        documents stored, and what went to the index's workers before the commit
        (`documents_storing`). The caller holds the case's originals (`BlobStore.changing`)."""
        keys = self.ws.vault.case_keys(self.case_id)
        if keys.blob_ids != self.keys.blob_ids or keys.blobs != self.keys.blobs:
            # The vault was re-encrypted since these files were read: their originals were
            # named and written under keys that open nothing now.
            self.keys = keys
            blobs.discard()
            stored += [
                InputRefused(
                    _("{name} was read while the vault was re-encrypted: import it again").format(
                        name=prepared.incoming.name
                    )
                )
                for prepared in files
            ]
            return [], None
        if self.ws.blobs.changes(self.case_id) != self._looked:
            for prepared in files:
                # Stored since it was read, by another job of this case that committed
                # meanwhile: the case may hold it now.
                prepared.known = prepared.known or any(
                    self.ws.blobs.exists(self.case_id, blob_id) for blob_id in prepared.blob_ids
                )
        in_case: dict[str | None, Document] = {}
        if any(prepared.known for prepared in files):
            query = select(Document).where(Document.case_id == self.case_id)
            in_case = {doc.original_blob: doc for doc in session.scalars(query)}
        state = TreeState(self.keys, in_case, {}, [])
        for prepared in files:
            try:
                stored.append(self._store(blobs, prepared, state))
            except InputRefused as exc:  # raised before any row of it was made
                stored.append(exc)
        rows: list[Sealed] = []
        for doc in state.stored:
            rows += [doc, *doc.pages]
        try:
            insert_new(session, rows)
        except IntegrityError as exc:
            # Deleted by another task of the app since the batch was read (its key was still
            # in memory): the database refuses rows that name it, which is no damage to report.
            if session.scalar(select(Case.id).where(Case.id == self.case_id)) is None:
                raise NotFoundError(
                    _(
                        "the case {case_id} was deleted during the import; nothing of this "
                        "batch was kept"
                    ).format(case_id=self.case_id)
                ) from exc
            raise
        early: object | None = None
        if state.stored:
            # The index's workers build their segments while the commit signs, syncs.
            early = self.ws.index.documents_storing(session, self.case_id, state.stored)
        try:
            if state.stored:
                self.ws.audit.append(
                    session, "document.import", self.case_id, **_imported(state.stored)
                )
            # Every original synced and in place before the rows commit (none that no row
            # refers to: written early, it is dropped).
            blobs.settle({doc.original_blob for doc in state.stored})
            # The small ones in this very commit: one transaction, one sync, no file each.
            insert_new(session, new_rows(session, blobs.small()))
            session.commit()
        except BaseException:
            self.ws.index.abandon_storing(early)
            if self._committed(state.stored):
                # Raised once the commit was made (a Ctrl-C as it returned): the catalog names
                # these originals now, and removed as written for nothing, they were lost.
                blobs.forget()
            raise
        blobs.forget()
        return state.stored, early

    def _committed(self, docs: list[Document]) -> bool:
        """Whether the catalog on disk holds these documents (their commit failed or not);
        when it cannot tell, their originals are kept (for `gc`), never removed."""
        if not docs:
            return False
        try:
            with self.ws.vault.session() as session:
                query = select(Document.id).where(Document.id == docs[0].id)
                return session.scalar(query) is not None
        except Exception:  # the failure being raised is the one to report
            return True

    def _store(self, blobs: BlobBatch, prepared: Prepared, state: TreeState) -> Document:
        incoming, root = prepared.incoming, prepared.root
        blob_id = prepared.blob_ids[0]
        twin = state.in_case.get(blob_id) or state.seen.get(blob_id)
        if twin is not None:
            raise InputRefused(
                _("{name} is already in this case as {title} ({id})").format(
                    name=incoming.name, title=repr(twin.title), id=twin.id
                )
            )

        def put(child: Child) -> str:
            return blobs.put(self.keys, child.data, child.blob_id)[0]

        put(root)
        doc = store_document(self.case_id, incoming, root.extracted, blob_id)
        if incoming.title:
            doc.title = incoming.title
        if incoming.date:
            doc.date = incoming.date
        if prepared.left_out:
            doc.metadata_ = {**doc.metadata_, "not_imported": "\n".join(prepared.left_out)}
        state.seen[blob_id] = doc
        state.stored.append(doc)
        store_tree(put, doc, root.children, state, None)
        return doc


def _imported(docs: list[Document]) -> dict[str, object]:
    """The audit details of the documents a group stored: one entry names them all, as the
    one commit stored them (an entry each, sealed, linked, MACed and read back at the commit,
    was a fifth of a mailbox's commits); one document is named as before."""
    if len(docs) == 1:
        return {"doc_id": docs[0].id, "pages": docs[0].page_count}
    return {"doc_ids": [doc.id for doc in docs], "pages": sum(doc.page_count for doc in docs)}


def _put_tree(blobs: BlobBatch, keys: CaseKeys, root: Child) -> None:
    """Write the tree's originals, none of which the store holds (`ImportGroup.add` looked)."""
    blobs.put(keys, root.data, root.blob_id, absent=True)
    for child in root.children:
        _put_tree(blobs, keys, child)


class BytesLeft:
    """The bytes of a batch's files after a given one, for `ImportGroup.due`: looked up on
    disk once, when a group first asks (most batches commit before)."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = paths
        self._after: list[int] | None = None

    def __call__(self, number: int) -> int:
        if self._after is None:
            after, total = [0] * len(self.paths), 0
            for index in range(len(self.paths) - 1, -1, -1):
                after[index] = total
                with contextlib.suppress(OSError):  # gone: its read will say so
                    total += os.stat(self.paths[index]).st_size
            self._after = after
        return self._after[number]


def _tree_size(root: Child) -> int:
    return len(root.data) + sum(_tree_size(child) for child in root.children)


def _tree_text(root: Child) -> int:
    own = sum(len(page.text) for page in root.extracted.pages)
    return own + sum(_tree_text(child) for child in root.children)


class Batch:
    """The outcomes of a batch import: each file's, reported once it is final (a success
    once its group is committed), and returned in the order of the files."""

    def __init__(
        self, group: ImportGroup, size: int, on_outcome: Callable[[ImportOutcome], None] | None
    ) -> None:
        self.group = group
        self.waiting: list[tuple[int, str]] = []
        """(number, path) of the files in the open group."""
        self._outcomes: list[ImportOutcome | None] = [None] * size
        self._on_outcome = on_outcome

    def done(self, number: int, outcome: ImportOutcome) -> None:
        self._outcomes[number] = outcome
        if self._on_outcome is not None:
            self._on_outcome(outcome)

    def refused(
        self,
        number: int,
        path: str,
        exc: DossierError,
        *,
        needs_password: bool = False,
        already_as: str | None = None,
    ) -> None:
        self.done(
            number,
            ImportOutcome(
                path,
                error=str(exc),
                needs_password=needs_password,
                exit_code=exc.exit_code,
                already_as=already_as,
            ),
        )

    def commit(self) -> None:
        waiting, self.waiting = self.waiting, []
        for (number, path), result in zip(waiting, self.group.commit(), strict=True):
            if isinstance(result, InputRefused):
                self.refused(number, path, result)
            else:
                self.done(number, ImportOutcome(path, document=result))

    def commit_before_failing(self) -> None:
        """Store the files finished before a failure (a cancel, a full disk, a bug) that is
        about to be raised; if even that fails, the failure raised is the first one."""
        with contextlib.suppress(Exception):
            self.commit()

    def outcomes(self) -> list[ImportOutcome]:
        return [outcome for outcome in self._outcomes if outcome is not None]
