"""Create, unlock, lock and close a vault folder.

Layout: `vault.json` (plaintext header), `catalog.sqlite` (+ WAL), `blobs/<case>/<xx>/<id>`,
`index/<case>/` (encrypted search index), `.lock`.
"""

from __future__ import annotations

import contextlib
import hmac
import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from dossier.crypto import aead
from dossier.crypto.kdf import DEFAULT, KdfParams, derive_kek, new_salt
from dossier.crypto.keys import CaseKeys, KeyRing
from dossier.db.engine import make_engine, make_session_factory, migrate
from dossier.db.models import Case
from dossier.errors import CorruptData, NotFoundError, UsageError, VaultLocked, WrongPassphrase
from dossier.fsutil import remove_stale_temps
from dossier.vault.header import HEADER_NAME, VaultHeader, key_check, new_header
from dossier.vault.lock import LOCK_NAME, VaultLock

CATALOG = "catalog.sqlite"
BLOBS = "blobs"
INDEX = "index"
_LEFTOVERS_OF_CREATE = {LOCK_NAME, CATALOG, f"{CATALOG}-wal", f"{CATALOG}-shm", BLOBS, INDEX}

Change = tuple[str, str | None, str]
"""(table, case id, row id) of a row a committed transaction inserted, updated or deleted."""
CommitListener = Callable[[set[Change]], None]


class Vault:
    """An unlocked vault. Holds the lock until `close()`; `lock()` drops keys but keeps nothing."""

    def __init__(self, folder: Path, header: VaultHeader, keyring: KeyRing, lock: VaultLock):
        self.folder = folder
        self.header = header
        self._keyring: KeyRing | None = keyring
        self._lock = lock
        self.engine: Engine = make_engine(folder / CATALOG)
        migrate(self.engine, folder / CATALOG)
        self._sessions: sessionmaker[Session] = make_session_factory(self.engine)
        self._listeners: list[CommitListener] = []
        event.listen(self._sessions, "after_flush", _collect_changes)
        event.listen(self._sessions, "after_commit", self._notify)
        event.listen(self._sessions, "after_rollback", _forget_changes)

    # -- life cycle -------------------------------------------------------------------------

    @classmethod
    def create(cls, folder: Path, passphrase: str, kdf: KdfParams = DEFAULT) -> Vault:
        folder = Path(folder)
        if not passphrase:
            raise UsageError("the passphrase must not be empty")
        if (folder / HEADER_NAME).exists():
            raise UsageError(f"{folder} already holds a vault")
        if folder.exists():
            extra = {p.name for p in folder.iterdir()} - _LEFTOVERS_OF_CREATE
            if extra:
                raise UsageError(f"{folder} is not empty; choose a new or empty folder")
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(folder, 0o700)
        lock = VaultLock(folder)
        lock.acquire()
        try:
            for leftover in (CATALOG, f"{CATALOG}-wal", f"{CATALOG}-shm"):
                (folder / leftover).unlink(missing_ok=True)
            salt = new_salt()
            kek = derive_kek(passphrase, salt, kdf)
            master = aead.new_key()
            header = new_header(kdf, salt, kek, master)
            vault = cls(folder, header, KeyRing(master), lock)
            # The header is written last: its presence is what makes the folder a vault.
            header.write(folder)
            return vault
        except BaseException:
            lock.release()
            raise

    @classmethod
    def open(cls, folder: Path, passphrase: str) -> Vault:
        folder = Path(folder)
        if not folder.is_dir():
            raise NotFoundError(f"no vault at {folder}")
        header = VaultHeader.read(folder)
        lock = VaultLock(folder)
        lock.acquire()
        try:
            master = unlock_master(header, passphrase)
            remove_stale_temps(folder)
            return cls(folder, header, KeyRing(master), lock)
        except BaseException:
            lock.release()
            raise

    def close(self) -> None:
        if self._keyring is not None:
            self._keyring.wipe()
            self._keyring = None
        self.engine.dispose()
        self._lock.release()

    @property
    def is_open(self) -> bool:
        return self._keyring is not None

    def change_passphrase(self, new_passphrase: str, kdf: KdfParams | None = None) -> None:
        """Re-wrap the master key under a new passphrase; no data is re-encrypted."""
        if not new_passphrase:
            raise UsageError("the new passphrase must not be empty")
        master = self.keyring.master
        params = kdf or self.header.kdf
        salt = new_salt()
        kek = derive_kek(new_passphrase, salt, params)
        header = VaultHeader(
            vault_id=self.header.vault_id,
            kdf=params,
            salt=salt,
            wrapped_master=aead.seal(kek, master, self.header.master_ad()),
            key_check=key_check(kek),
        )
        header.mac = header.compute_mac(master)
        header.write(self.folder)
        self.header = header

    # -- keys ---------------------------------------------------------------------------------

    @property
    def keyring(self) -> KeyRing:
        if self._keyring is None:
            raise VaultLocked("the vault is locked")
        return self._keyring

    def fields_key(self, scope: str, case_id: str | None) -> bytes:
        if scope == "vault":
            return self.keyring.vault_fields
        if case_id is None:
            raise CorruptData("a case-scoped row has no case")
        return self.case_keys(case_id).fields

    def case_keys(self, case_id: str) -> CaseKeys:
        ring = self.keyring
        cached = ring.cached_case(case_id)
        if cached is not None:
            return cached
        with self._sessions() as session:
            wrapped = session.scalar(select(Case.wrapped_key).where(Case.id == case_id))
        if wrapped is None:
            raise NotFoundError(f"no case with id {case_id}")
        return ring.unwrap_case(case_id, wrapped)

    # -- storage ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose sealed rows decrypt with this vault's keys; rolled back on error."""
        session = self._sessions()
        session.info["keys"] = self
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def add_commit_listener(self, listener: CommitListener) -> None:
        """Call `listener` with the rows each committed transaction changed (derived data)."""
        self._listeners.append(listener)

    def _notify(self, session: Session) -> None:
        changes: set[Change] = session.info.pop("changes", set())
        if changes:
            for listener in self._listeners:
                listener(changes)

    @property
    def blobs_dir(self) -> Path:
        return self.folder / BLOBS

    def index_dir(self, case_id: str) -> Path:
        return self.folder / INDEX / case_id


def _collect_changes(session: Session, _context: Any) -> None:
    changes: set[Change] = session.info.setdefault("changes", set())
    for row in itertools.chain(session.new, session.dirty, session.deleted):
        table = getattr(row, "__tablename__", None)
        if table is not None:
            case_id = row.id if table == "case" else getattr(row, "case_id", None)
            changes.add((table, case_id, str(getattr(row, "id", ""))))


def _forget_changes(session: Session) -> None:
    session.info.pop("changes", None)


def unlock_master(header: VaultHeader, passphrase: str) -> bytes:
    kek = derive_kek(passphrase, header.salt, header.kdf)
    if not hmac.compare_digest(key_check(kek), header.key_check):
        raise WrongPassphrase("wrong passphrase")
    master = aead.open_sealed(kek, header.wrapped_master, header.master_ad(), "vault master key")
    header.verify_mac(master)
    return master
