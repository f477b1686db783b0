"""`rekey`: re-encrypt everything of every case (or of one) under new keys, resumably.

`passwd` replaces the master key, but the case keys stay: anyone who once copied them (an old
catalog with an old `vault.json` and passphrase) still reads every row and file sealed before.
`rekey` gives each case a new random key and re-encrypts its rows, word maps, originals and
search index under it, and replaces the master key too (same passphrase, new salt), so that
nothing an old copy of the keys or of the header opens is left in the vault.

Written new-then-switched, with a journal (the vault secret `REKEY_JOURNAL`, sealed and
authenticated like every vault-level row), each step crash-safe:

1. One commit replaces the master key and writes the journal: the cases to re-encrypt.
2. For each case: a new random key, wrapped under the master, goes into the journal (commit);
   every original is written again under it beside the old file (new keys give new ids: the
   two coexist, the catalog names only the old); then one transaction re-seals every row of
   the case, points its documents at the new files, recomputes its row MACs and inventory,
   stores the new wrapped key in the case row and moves the case to `cleanup` in the journal.
   That commit is the switch. Then the old files and the old index are removed, the case
   leaves the journal (commit), and its index is rebuilt under the new key.
3. The journal is removed, with an audit entry.

A kill before a case's switch leaves it whole under its old key, plus files nobody names; the
next `rekey` resumes with the journal's key and keeps the files already written. A kill after
the switch is finished by the next open (`settle`). The vault always opens with exactly one
passphrase (the master key's own switch is that of `keyrotation`).
"""

from __future__ import annotations

import base64
import contextlib
import hmac
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dossier.crypto import aead
from dossier.crypto.keys import CaseKeys
from dossier.db import inventory, originals
from dossier.db import rekey as rows
from dossier.db.models import Case, Document, Page, VaultSecret
from dossier.errors import CorruptData, DossierError, WrongPassphrase
from dossier.i18n import N_, _
from dossier.jobs import CancelToken, Progress, check, report
from dossier.services.dto import Journal, RekeyResult
from dossier.services.keyrotation import REKEY_JOURNAL, rotate_master
from dossier.vault.vault import unlock_master

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace

UNFINISHED = N_(
    "a re-encryption of the vault was interrupted: {n} case(s) are still under their old keys; "
    "run 'dossier rekey' (or Preferences › Re-encrypt the vault…) to finish it"
)


def load_journal(session: Session) -> Journal | None:
    row = session.get(VaultSecret, REKEY_JOURNAL)
    return None if row is None else Journal.parse(row.value)


def _save(session: Session, journal: Journal | None) -> None:
    row = session.get(VaultSecret, REKEY_JOURNAL)
    if journal is None:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        row = VaultSecret(name=REKEY_JOURNAL)
        session.add(row)
    row.value = journal.dump()


class RekeyService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def unfinished(self) -> Journal | None:
        with self.ws.vault.session() as session:
            return load_journal(session)

    def settle(self) -> None:
        """At open: finish the cases a crash stopped after their switch; say what remains."""
        journal = self.unfinished()
        if journal is None:
            return
        for case_id in list(journal.cleanup):
            try:
                if self._exists(case_id):
                    with self.ws.search.rebuilding(case_id):
                        self._cleanup(case_id)
                        self.ws.search.reindex(case_id)
                    self._cleaned(case_id)
                else:
                    self._forget(case_id)
            except DossierError as exc:
                # The vault still opens; this case's own check says what is wrong with it.
                self.ws.vault.warnings.append(
                    _(
                        "an interrupted re-encryption could not be finished ({exc}); run "
                        "'dossier rekey' again"
                    ).format(exc=exc)
                )
        journal = self.unfinished()
        if journal is not None and journal.todo:
            self.ws.vault.warnings.append(_(UNFINISHED).format(n=len(journal.todo)))

    def run(
        self,
        passphrase: str,
        case: str | None = None,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> RekeyResult:
        """Re-encrypt every case (or `case`), or finish a re-encryption that was interrupted."""
        vault = self.ws.vault
        try:
            master = unlock_master(vault.header, passphrase)
        except WrongPassphrase:
            raise WrongPassphrase(_("wrong passphrase: nothing was re-encrypted")) from None
        if not hmac.compare_digest(master, vault.keyring.master):
            raise CorruptData(_("vault.json changed while the vault was open"))
        journal = self.unfinished()
        resumed = journal is not None
        if journal is None:
            targets = [self.ws.cases.resolve(case)] if case else self._case_ids()
            for case_id in targets:
                problems = vault.case_problems(case_id)
                if problems:
                    raise CorruptData(
                        _(
                            "nothing was re-encrypted: case {case_id} was altered outside Dossier "
                            "({problems}); run 'dossier fsck'"
                        ).format(case_id=case_id, problems=problems[0])
                    )
            journal = Journal(todo=list(targets), started=list(targets))
            report(progress, 0.0, _("replacing the master key"))
            start = journal
            rotate_master(
                self.ws, passphrase, action="vault.rekey.start", also=lambda s: _save(s, start)
            )
        documents = pages = originals = 0
        total = max(1, len(journal.todo) + len(journal.cleanup))
        for n, case_id in enumerate(list(journal.cleanup) + list(journal.todo)):

            def step(fraction: float, message: str, n: int = n) -> None:
                report(progress, (n + fraction) / total, message)

            def indexing(fraction: float, message: str, n: int = n) -> None:
                report(progress, (n + 0.8 + 0.2 * fraction) / total, message)

            if not self._exists(case_id):
                self._forget(case_id)  # deleted since: crypto-shredded with its key
                continue
            # No import, deletion or replaced original of the case meanwhile: one would name
            # and seal its originals under the old key after the switch, or see them removed.
            with contextlib.ExitStack() as rebuilding:
                with self.ws.blobs.changing(case_id):
                    if case_id in journal.todo:
                        counts = self._case(case_id, step, cancel)
                        documents += counts[0]
                        pages += counts[1]
                        originals += counts[2]
                    # From the old index's removal to the new one built, a search waits.
                    rebuilding.enter_context(self.ws.search.rebuilding(case_id))
                    self._cleanup(case_id)
                step(0.8, _("rebuilding the search index"))
                self.ws.search.reindex(case_id, indexing)
            self._cleaned(case_id)
        finished = self.unfinished() or journal
        with vault.session() as session:
            _save(session, None)
            self.ws.audit.append(session, "vault.rekey", None, cases=len(finished.started))
            session.commit()
        with vault.engine.connect() as conn:
            # The rows were sealed again in place (secure_delete overwrote the old cells), but
            # the write-ahead log still held the pages they were in, under the old keys, for
            # whoever has the old passphrase and vault.json: copied into the catalog and the
            # log emptied, as a case's deletion does.
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        warnings = vault.warnings
        unfinished = _(UNFINISHED).split(":")[0]
        warnings[:] = [w for w in warnings if not w.startswith(unfinished)]
        report(progress, 1.0, _("done"))
        return RekeyResult(len(finished.started), documents, pages, originals, resumed)

    # -- one case -------------------------------------------------------------------------------

    def _case(
        self, case_id: str, step: Callable[[float, str], None], cancel: CancelToken | None
    ) -> tuple[int, int, int]:
        vault = self.ws.vault
        new = self._new_key(case_id)
        old = vault.case_keys(case_id)
        with vault.session() as session:
            referenced = rows.referenced_blobs(session.connection(), case_id, old)
        blob_ids: dict[str, str] = {}
        moved: list[str] = []
        """Small originals in files, sealed in the catalog by the switch (`BlobStore.rekey`)."""

        def rekey(blob_id: str) -> None:
            blob_ids[blob_id], _size, to_row = self.ws.blobs.rekey(old, new, blob_id)
            if to_row:
                moved.append(blob_id)

        for i, blob_id in enumerate(sorted(referenced)):
            check(cancel)
            rekey(blob_id)
            step(
                0.6 * (i + 1) / max(1, len(referenced)), f"originals: {i + 1} of {len(referenced)}"
            )
        step(0.6, _("re-encrypting the catalog"))
        with vault.session() as session:
            journal = load_journal(session)
            if journal is None or case_id not in journal.todo:
                raise CorruptData(_("the re-encryption journal changed under way"))
            journal.todo.remove(case_id)
            journal.cleanup.append(case_id)
            wrapped = base64.b64decode(journal.keys.pop(case_id))
            _save(session, journal)
            session.flush()  # the first write: from here nothing else writes the catalog
            conn = session.connection()
            problems = inventory.verify_case(conn, case_id, old.rows)
            if problems:
                raise CorruptData(
                    _(
                        "case {case_id} was altered outside Dossier ({problems}); it was not "
                        "re-encrypted: run 'dossier fsck'"
                    ).format(case_id=case_id, problems=problems[0])
                )
            for blob_id in rows.referenced_blobs(conn, case_id, old) - set(blob_ids):
                rekey(blob_id)
            count = rows.reseal_case_rows(conn, case_id, old, new, blob_ids)
            for blob_id in moved:  # after the rows sealed again: these are under `new` already
                originals.insert(conn, new, blob_ids[blob_id], self.ws.blobs.moved(old, blob_id))
            rows.reseal_case_row(conn, case_id, old, new, wrapped)
            rows.rebuild_case_inventory(conn, case_id, new.rows, vault.keyring.vault_rows)
            documents = _count(session, Document, case_id)
            pages = _count(session, Page, case_id)
            self.ws.audit.append(
                session, "case.rekey", case_id, rows=count, originals=len(blob_ids)
            )
            # Taken into use before the commit, while it holds the write lock: a writer that
            # waited for it seals and signs under the new key, never under the old one.
            vault.keyring.replace_case(case_id, new)
            try:
                session.commit()  # the switch
            except BaseException:
                vault.keyring.replace_case(case_id, old)
                raise
            finally:
                self.ws.blobs.touched(case_id)  # its originals in the catalog have new ids
        self.ws.quotes.clear_cache()
        return documents, pages, len(blob_ids)

    def _new_key(self, case_id: str) -> CaseKeys:
        """The case's new key: the journal's (a resumed rekey), or a new one recorded there."""
        ring = self.ws.vault.keyring
        with self.ws.vault.session() as session:
            journal = load_journal(session)
            if journal is None:
                raise CorruptData(_("the re-encryption journal is gone"))
            wrapped_b64 = journal.keys.get(case_id)
            if wrapped_b64 is None:
                wrapped = ring.wrap_case_key(case_id, aead.new_key())
                journal.keys[case_id] = base64.b64encode(wrapped).decode("ascii")
                _save(session, journal)
                session.commit()
            else:
                wrapped = base64.b64decode(wrapped_b64)
        return ring.open_case_key(case_id, wrapped)

    def _cleanup(self, case_id: str) -> None:
        """After the switch: remove what the old key sealed (originals, index).

        The case stays in the journal's `cleanup` until its index is rebuilt (`_cleaned`): a
        kill while the new index is written is finished by the next open, which rebuilds it,
        instead of leaving a case with an empty index and nothing to say so."""
        vault = self.ws.vault
        self.ws.search.case_removed(case_id)  # closes the index and removes its files
        with vault.session() as session:
            used = rows.referenced_blobs(session.connection(), case_id, vault.case_keys(case_id))
        for blob_id in list(self.ws.blobs.iter_ids(case_id)):
            if blob_id not in used:
                self.ws.blobs.delete(case_id, blob_id)

    def _cleaned(self, case_id: str) -> None:
        """The case's old files are gone and its index is rebuilt: it leaves the journal."""
        with self.ws.vault.session() as session:
            journal = load_journal(session)
            if journal is not None and case_id in journal.cleanup:
                journal.cleanup.remove(case_id)
                _save(session, journal)
                session.commit()

    def _exists(self, case_id: str) -> bool:
        with self.ws.vault.session() as session:
            return session.get(Case, case_id) is not None

    def _forget(self, case_id: str) -> None:
        with self.ws.vault.session() as session:
            journal = load_journal(session)
            if journal is not None:
                for where in (journal.todo, journal.cleanup):
                    if case_id in where:
                        where.remove(case_id)
                journal.keys.pop(case_id, None)
                _save(session, journal)
                session.commit()

    def _case_ids(self) -> list[str]:
        with self.ws.vault.session() as session:
            return list(session.scalars(select(Case.id).order_by(Case.created_at)))


def _count(session: Session, model: type[Document] | type[Page], case_id: str) -> int:
    query = select(func.count()).select_from(model).where(model.case_id == case_id)
    return int(session.scalar(query) or 0)
