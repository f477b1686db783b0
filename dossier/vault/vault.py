"""Create, unlock, lock and close a vault folder.

Layout: `vault.json` (plaintext header), `catalog.sqlite` (+ WAL), `blobs/<case>/<xx>/<id>`,
`index/<case>/` (encrypted search index), `.lock`.
"""

from __future__ import annotations

import contextlib
import hmac
import itertools
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, select
from sqlalchemy.exc import DatabaseError, IntegrityError, InvalidRequestError
from sqlalchemy.orm import Session, sessionmaker

from dossier.crypto import aead
from dossier.crypto.kdf import (
    DEFAULT,
    KdfParams,
    derive_kek,
    is_weak,
    new_salt,
    weak_vault_expected,
)
from dossier.crypto.keys import CaseKeys, KeyRing
from dossier.crypto.nodump import forbid_core_dumps
from dossier.db import inventory
from dossier.db.bulk import MADE_AHEAD, Change, made_ahead, record_changes
from dossier.db.engine import (
    make_engine,
    make_session_factory,
    migrate,
    read_snapshot,
    snapshot,
)
from dossier.db.inventory import CaseMacs, MadeAhead
from dossier.db.models import Case
from dossier.db.rowauth import VAULT_SCOPE, install_triggers
from dossier.db.rowworker import PageWorker
from dossier.db.schema import schema_problems
from dossier.errors import (
    CorruptData,
    DossierError,
    NotFoundError,
    UsageError,
    VaultLocked,
    WrongPassphrase,
    os_failure,
    safe_text,
)
from dossier.fsutil import remove_stale_temps
from dossier.i18n import _
from dossier.vault import seen
from dossier.vault.header import (
    HEADER_NAME,
    PENDING_NAME,
    VaultHeader,
    key_check,
    new_header,
    settle_pending,
)
from dossier.vault.lock import LOCK_NAME, VaultLock, refused_folder
from dossier.vault.passphrase import check_new_passphrase

CATALOG = "catalog.sqlite"
BLOBS = "blobs"
INDEX = "index"
_SEALED = "sealed macs"
_COUNTER = "vault counter committed"
_DEFER, _DEFERRED = "listeners told later", "changes to tell"
_LEFTOVERS_OF_CREATE = {LOCK_NAME, CATALOG, f"{CATALOG}-wal", f"{CATALOG}-shm", BLOBS, INDEX}

CommitListener = Callable[[set[Change]], None]


class Vault:
    """An unlocked vault. Holds the lock until `close()`; `lock()` drops keys but keeps nothing.

    `strict` (the default) refuses a vault whose vault-level rows fail authentication, and a
    case whose rows do, the first time its key is used. `fsck` opens with `strict=False` to
    list every problem instead.
    """

    def __init__(
        self,
        folder: Path,
        header: VaultHeader,
        keyring: KeyRing,
        lock: VaultLock,
        *,
        strict: bool = True,
    ):
        self.folder = folder
        self.header = header
        self.strict = strict
        self.warnings: list[str] = []
        self._keyring: KeyRing | None = keyring
        self._lock = lock
        self._verified: set[str] = set()
        self._switching = threading.RLock()
        """Held by a passphrase change from the switch of the master key to its commit: a read
        takes its first look at the catalog and the key it opens it with under it."""
        self._checked_macs: dict[str, tuple[int, CaseMacs]] = {}
        self.engine: Engine = make_engine(folder / CATALOG)
        migrate(self.engine, folder / CATALOG)
        # From here on every connection records the rows it changes (the tables now exist).
        self.engine.dispose()
        event.listen(self.engine, "connect", _install_triggers)
        self._sessions: sessionmaker[Session] = make_session_factory(self.engine)
        self._listeners: list[CommitListener] = []
        for name, listener in self._session_events():
            event.listen(self._sessions, name, listener)

    def _session_events(self) -> list[tuple[str, Callable[..., None]]]:
        return [
            ("before_commit", self._authenticate_changes),
            ("after_flush", _collect_changes),
            ("after_commit", self._notify),
            ("after_commit", self._remember_counter),
            ("after_rollback", _forget_changes),
        ]

    # -- life cycle -------------------------------------------------------------------------

    @classmethod
    def create(cls, folder: Path, passphrase: str, kdf: KdfParams = DEFAULT) -> Vault:
        forbid_core_dumps()  # before the passphrase and keys are in this process's memory
        folder = Path(folder)
        if (folder / HEADER_NAME).exists():
            raise UsageError(_("{folder} already holds a vault").format(folder=folder))
        check_new_passphrase(passphrase)
        lock = VaultLock(folder)
        try:  # a read-only disk, a folder this user may not write: one sentence, exit 7
            if folder.exists():
                extra = {p.name for p in folder.iterdir()} - _LEFTOVERS_OF_CREATE
                if extra:
                    raise UsageError(
                        _("{folder} is not empty; choose a new or empty folder").format(
                            folder=folder
                        )
                    )
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(folder, 0o700)
            lock.acquire()
        except OSError as exc:
            raise os_failure(exc, safe_text(str(folder))) from None
        try:
            for leftover in (CATALOG, f"{CATALOG}-wal", f"{CATALOG}-shm"):
                (folder / leftover).unlink(missing_ok=True)
            salt = new_salt()
            kek = derive_kek(passphrase, salt, kdf)
            master = aead.new_key()
            header = new_header(kdf, salt, kek, master)
            vault = cls(folder, header, KeyRing(master), lock)
            with vault.engine.begin() as conn:
                inventory.create_vault_inventory(conn, vault.keyring.vault_rows, header.key_id)
            # The header is written last: its presence is what makes the folder a vault.
            header.write(folder)
            return vault
        except BaseException:
            lock.release()
            raise

    @classmethod
    def open(cls, folder: Path, passphrase: str, *, strict: bool = True) -> Vault:
        forbid_core_dumps()
        folder = Path(folder)
        if not folder.is_dir():
            raise NotFoundError(_("no vault at {folder}").format(folder=folder))
        lock = VaultLock(folder)
        try:
            if not (folder / HEADER_NAME).exists():
                VaultHeader.read(folder)  # raises the clear "not a Dossier vault"
            lock.acquire()
        except OSError as exc:  # a folder this user may not read or write, a read-only disk
            raise refused_folder(folder, exc) from None
        vault: Vault | None = None
        try:
            if (folder / PENDING_NAME).exists():
                settle_pending(folder, catalog_key_id(folder / CATALOG))
            header = VaultHeader.read(folder)
            master = unlock_master(header, passphrase)
            remove_stale_temps(folder)
            vault = cls(folder, header, KeyRing(master), lock, strict=strict)
            problems = vault.vault_problems()
            if is_weak(header.kdf) and not weak_vault_expected():
                vault.warnings.append(
                    _(
                        "this vault's passphrase is protected by key-derivation settings meant "
                        "for tests: a copy of the vault can be tried against passphrases very "
                        "quickly; change the passphrase ('dossier passwd') to protect it "
                        "properly"
                    )
                )
            if problems and strict:
                raise CorruptData(
                    _(
                        "the vault's catalog was altered or damaged ({problems}); it is not "
                        "opened: run 'dossier fsck' for the full list and restore a backup"
                    ).format(problems=problems[0])
                )
            return vault
        except BaseException:
            if vault is not None:
                vault.engine.dispose()
            lock.release()
            raise

    def close(self) -> None:
        if self._keyring is not None:
            with contextlib.suppress(DossierError, DatabaseError):
                seen.remember(self._keyring.master, self._counter())
            self._keyring.wipe()
            self._keyring = None
        self._checked_macs.clear()
        self.engine.dispose()
        # SQLAlchemy keeps session listeners in a registry that outlives the vault: removed,
        # or every vault ever opened (engine, caches, this object) stays alive in the process.
        for name, listener in self._session_events():
            if event.contains(self._sessions, name, listener):  # closing twice is harmless
                event.remove(self._sessions, name, listener)
        self._lock.release()

    # -- integrity ----------------------------------------------------------------------------

    def vault_problems(self) -> list[str]:
        """Check vault-level rows and the case inventories; note a rolled-back vault."""
        try:
            with snapshot(self.engine) as conn:
                with self._switching:
                    planted = schema_problems(conn)  # the first read: the state checked
                    ring, header = self.keyring, self.header
                found, problems = inventory.verify_vault(conn, ring.vault_rows)
            problems = planted + problems
        except DatabaseError as exc:
            return [f"catalog.sqlite is damaged ({_reason(exc)})"]
        if found is not None:
            if found.master != header.key_id:
                problems.append(_("vault.json and catalog.sqlite do not belong together"))
            warning = seen.rollback_warning(ring.master, found.counter)
            if warning is not None:
                # Lower than remembered may only mean a commit since this check's first read,
                # its counter remembered by another check meanwhile: an older copy put back
                # is older than remembered still as the catalog is now.
                with contextlib.suppress(DossierError, DatabaseError):
                    warning = seen.rollback_warning(ring.master, self._counter())
            if warning is not None:
                if warning not in self.warnings:  # checked again before each export
                    self.warnings.append(warning)
            elif not problems:
                seen.remember(ring.master, found.counter)
        return problems

    def case_problems(
        self, case_id: str, macs: CaseMacs | None = None, ahead: list[PageWorker] | None = None
    ) -> list[str]:
        """Check every row of one case against the case's inventory (fsck, case opening);
        `ahead`: the workers `checking` started, whose pages they check."""
        keys = self.case_keys(case_id, verify=False)
        try:
            with snapshot(self.engine) as conn:
                return inventory.verify_case(
                    conn, case_id, keys.rows, macs, self.folder / CATALOG, ahead
                )
        except DatabaseError as exc:
            return [f"catalog.sqlite is damaged ({_reason(exc)})"]

    @contextlib.contextmanager
    def checking(self, case_id: str) -> Iterator[bool]:
        """The case's first check, its pages checked by worker processes from now on if it is
        due and the case large, and finished when the block ends (CorruptData then, as
        `case_keys`): the block does meanwhile what reads no row of the case (a first search
        reads its index). Yields whether workers run."""
        workers: list[PageWorker] = []
        if self.strict and case_id not in self._verified:
            keys = self.case_keys(case_id, verify=False)
            try:
                with snapshot(self.engine) as conn:
                    workers = inventory.check_ahead(conn, self.folder / CATALOG, case_id, keys.rows)
            except DatabaseError:
                workers = []  # the check says so
        try:
            yield bool(workers)
            if self.strict and case_id not in self._verified:
                self._verify_case(case_id, workers)
        finally:
            for worker in workers:
                worker.stop()

    def checked_macs(self, case_id: str) -> CaseMacs | None:
        """The MACs of the case's documents and pages as its check read them, once, if nothing
        was committed since (the vault's commit counter has not moved)."""
        kept = self._checked_macs.pop(case_id, None)
        if kept is None:
            return None
        counter, macs = kept
        try:
            return macs if self._counter() == counter else None
        except (DossierError, DatabaseError):
            return None

    def _verify_case(self, case_id: str, ahead: list[PageWorker] | None = None) -> None:
        # The counter is read first: a commit during the check makes the MACs kept unused.
        counter = self._counter()
        macs = CaseMacs()
        problems = self.case_problems(case_id, macs, ahead)
        if problems:
            raise CorruptData(
                _(
                    "case {case_id} was altered outside Dossier ({problems}); it is not "
                    "opened: run 'dossier fsck' for the full list and restore a backup"
                ).format(case_id=self._case_label(case_id), problems=problems[0])
            )
        self._verified.add(case_id)
        self._checked_macs[case_id] = (counter, macs)

    @staticmethod
    def _case_label(case_id: str) -> str:
        # Not the case's name: it may be a protected person's, masked on every screen by the
        # case's people, and those are what can no longer be trusted here.
        return case_id

    def _counter(self) -> int:
        with self._switching, self.engine.connect() as conn:  # read under the key that signed it
            return inventory.load(conn, VAULT_SCOPE, self.keyring.vault_rows).counter

    def row_key(self, scope: str) -> bytes:
        """The key of the scope's row MACs (a case id, or the vault's)."""
        if scope == VAULT_SCOPE:
            return self.keyring.vault_rows
        return self.case_keys(scope).rows

    def _authenticate_changes(self, session: Session) -> None:
        # Runs before the commit's own flush: flush now so the MACs cover the final rows.
        session.flush()
        session.info.pop(_SEALED, None)  # a failed seal leaves none of an earlier commit's
        ahead = session.info.pop(MADE_AHEAD, None)
        sealed, counter = inventory.seal_changes(session.connection(), self.row_key, ahead)
        session.info[_SEALED] = sealed
        session.info[_COUNTER] = counter

    def _remember_counter(self, session: Session) -> None:
        """Remember each commit's counter as seen (`dossier.vault.seen`), not only at the
        vault's opening, closing and exports: a session ended by a crash or a power cut left
        its changes unremembered, and the catalog put back as it was before them, or its
        write-ahead log deleted, undid them (a document deleted came back) without a word."""
        counter = session.info.pop(_COUNTER, None)
        if counter is not None and self._keyring is not None:
            seen.remember(self._keyring.master, counter, sync=False)

    @property
    def is_open(self) -> bool:
        return self._keyring is not None

    def switch_master(self, header: VaultHeader, keyring: KeyRing) -> None:
        """Use a new master key (passphrase change); case keys already unwrapped carry over.
        Called in `switching()`, holding the catalog's write lock."""
        old = self.keyring
        keyring.adopt_cases(old)
        self._keyring = keyring
        self.header = header

    @contextlib.contextmanager
    def switching(self, session: Session) -> Iterator[None]:
        """Held from the switch of the master key to the commit of the rows sealed under it
        (or the switch back): a read that began meanwhile would read rows sealed under the
        old key and open them with the new one, and report them altered. Reads begin after
        it, and take the key of the rows they read (`reading`). The commit listeners hear of
        `session`'s commit once it is released: one waiting for a lock held by a thread that
        waits here to read would wait forever."""
        session.info[_DEFER] = True
        try:
            with self._switching:
                yield
        finally:
            session.info.pop(_DEFER, None)
            deferred: set[Change] = session.info.pop(_DEFERRED, set())
        self._tell(deferred)

    def rebuild_vault_inventory(self, conn: Any, counter: int) -> None:
        """Re-MAC every vault-level row under the current master (after a check, same commit)."""
        inventory.rebuild_vault(conn, self.keyring.vault_rows, self.header.key_id, counter)

    # -- keys ---------------------------------------------------------------------------------

    @property
    def keyring(self) -> KeyRing:
        if self._keyring is None:
            raise VaultLocked(_("the vault is locked"))
        return self._keyring

    def fields_key(self, scope: str, case_id: str | None) -> bytes:
        if scope == "vault":
            return self.keyring.vault_fields
        if case_id is None:
            raise CorruptData(_("a case-scoped row has no case"))
        # The case row itself (its name) can be read before its rows are checked.
        return self.case_keys(case_id, verify=scope != "case-row").fields

    def case_keys(self, case_id: str, *, verify: bool = True) -> CaseKeys:
        """The case's keys; in strict mode, its rows are checked the first time (CorruptData)."""
        ring = self.keyring
        keys = ring.cached_case(case_id)
        if keys is None:
            with self._switching, self._sessions() as session:
                ring = self.keyring  # the key that wrapped what is read
                wrapped = session.scalar(select(Case.wrapped_key).where(Case.id == case_id))
            if wrapped is None:
                raise NotFoundError(_("no case with id {case_id}").format(case_id=case_id))
            keys = ring.unwrap_case(case_id, wrapped)
        if verify and self.strict and case_id not in self._verified:
            self._verify_case(case_id)
        return keys

    def new_case_key(self, case_id: str) -> bytes:
        """A random key for a new case, returned wrapped; the (empty) case counts as checked."""
        wrapped = self.keyring.new_case(case_id)
        self._verified.add(case_id)
        return wrapped

    # -- storage ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose sealed rows decrypt with this vault's keys; rolled back on error."""
        session = self._sessions()
        session.info["keys"] = self
        try:
            yield session
        except DatabaseError as exc:
            _roll_back(session)
            if _is_damage(exc):
                raise CorruptData(
                    _("catalog.sqlite is damaged ({exc})").format(exc=_reason(exc))
                ) from exc
            if isinstance(exc, IntegrityError) and "FOREIGN KEY" in _reason(exc):
                # A case or document found before the change, then deleted by another task
                # of the app before it was written: the change names a row no longer there.
                raise NotFoundError(
                    _(
                        "what this change belongs to was deleted meanwhile (in another window "
                        "or task); nothing of it was saved"
                    )
                ) from exc
            raise
        except BaseException:
            _roll_back(session)
            raise
        finally:
            session.close()

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A session that only reads: every read sees the catalog as one commit left it, and
        the vault's sealed values open under the master key of that commit, whatever a
        passphrase change does meanwhile (`switching`)."""
        with self.session() as session:
            read_snapshot(session)
            with self._switching:
                session.execute(select(Case.id).limit(1))  # the first read: the state read
                session.info["keys"] = _KeysOf(self, self.keyring)
            yield session

    def add_commit_listener(self, listener: CommitListener) -> None:
        """Call `listener` with the rows each committed transaction changed (derived data)."""
        self._listeners.append(listener)

    def _notify(self, session: Session) -> None:
        changes: set[Change] = session.info.pop("changes", set())
        if session.info.get(_DEFER):
            session.info.setdefault(_DEFERRED, set()).update(changes)
        else:
            self._tell(changes)

    def _tell(self, changes: set[Change]) -> None:
        if changes:
            for listener in self._listeners:
                listener(changes)

    @property
    def blobs_dir(self) -> Path:
        return self.folder / BLOBS

    def index_dir(self, case_id: str) -> Path:
        return self.folder / INDEX / case_id


class _KeysOf:
    """The vault's keys, its own sealed under `ring` (the master of what a session reads)."""

    def __init__(self, vault: Vault, ring: KeyRing) -> None:
        self.vault = vault
        self.ring = ring

    def fields_key(self, scope: str, case_id: str | None) -> bytes:
        if scope == "vault":
            return self.ring.vault_fields
        return self.vault.fields_key(scope, case_id)


def ring_of(session: Session, vault: Vault) -> KeyRing:
    """The master key ring the session's sealed vault values open under."""
    keys = session.info.get("keys")
    return keys.ring if isinstance(keys, _KeysOf) else vault.keyring


def sealed_macs(session: Session) -> dict[tuple[str, Any], bytes]:
    """The row MACs the session's last commit wrote, by (table, row id), as it stored them:
    what reading those rows back would find (empty after a rollback)."""
    return dict(session.info.get(_SEALED, {}))


def macs_ahead(session: Session) -> dict[tuple[str, str], MadeAhead]:
    """Where to keep the MACs of rows the session's transaction wrote, made before its commit
    from the rows as stored (an import's rows as they were inserted, its pages handed to the
    index early): the commit takes each whose row, key and stored values are still those,
    rather than MAC the row again."""
    return made_ahead(session)


def _collect_changes(session: Session, _context: Any) -> None:
    record_changes(session, itertools.chain(session.new, session.dirty, session.deleted))


def catalog_key_id(path: Path) -> str | None:
    """The master key id the catalog records, read without keys (to settle a passphrase change)."""
    if not path.exists():
        return None
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            row = db.execute("SELECT CAST(body AS BLOB) FROM inventory WHERE scope = ''").fetchone()
        master = json.loads(row[0])["master"] if row else None
    except (sqlite3.Error, ValueError, TypeError, KeyError):
        return None
    return master if isinstance(master, str) else None


def _install_triggers(dbapi_conn: Any, _record: Any) -> None:
    install_triggers(dbapi_conn)


def _roll_back(session: Session) -> None:
    """Roll back after a failure, which is the one reported: raised once the commit was made
    (a Ctrl-C as its listeners ran), there is nothing to roll back, and SQLAlchemy's refusal
    to would have been reported instead ("interrupted" became an internal error)."""
    with contextlib.suppress(InvalidRequestError):
        session.rollback()


def _is_damage(exc: DatabaseError) -> bool:
    text = str(exc.orig or exc).lower()
    return any(
        word in text for word in ("malformed", "not a database", "decode", "no such", "corrupt")
    )


def _reason(exc: DatabaseError) -> str:
    return str(exc.orig or exc).splitlines()[0]


def _forget_changes(session: Session) -> None:
    session.info.pop("changes", None)
    session.info.pop(_COUNTER, None)
    session.info.pop(_SEALED, None)
    session.info.pop(MADE_AHEAD, None)


def unlock_master(header: VaultHeader, passphrase: str) -> bytes:
    kek = derive_kek(passphrase, header.salt, header.kdf)
    if not hmac.compare_digest(key_check(kek), header.key_check):
        raise WrongPassphrase(
            _(
                "wrong passphrase, or vault.json was altered (if the passphrase is "
                "right, compare vault.json with a backup copy of it, or put the "
                "backup's vault.json in its place)"
            )
        )
    master = aead.open_sealed(kek, header.wrapped_master, header.master_ad(), "vault master key")
    header.verify_mac(master)
    return master
