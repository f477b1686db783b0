"""Key rotation: a passphrase change that also replaces the master key.

`ws.keys.change_passphrase` makes a new master key and re-wraps under it every case key and re-seals
every vault-level row (audit trail, secrets), so an old `vault.json` with the old passphrase
(a backup, a cloud copy) opens nothing written after the change. It is crash-safe: the new
header is written beside the old one as `vault.json.next`, the catalog switches in one
transaction that records the new key's id, and the next open promotes or drops the pending
header according to that id (`dossier.vault.header.settle_pending`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from dossier.crypto import aead
from dossier.crypto.kdf import KdfParams, derive_kek, new_salt
from dossier.crypto.keys import KeyRing
from dossier.db import inventory
from dossier.db.engine import hold_writes
from dossier.db.models import AuditEntry, Case, VaultSecret
from dossier.db.sealed import Sealed
from dossier.errors import CorruptData, UsageError
from dossier.i18n import _
from dossier.vault import seen
from dossier.vault.header import PENDING_NAME, VaultHeader, key_check, promote_pending
from dossier.vault.passphrase import check_new_passphrase
from dossier.vault.vault import CATALOG, Vault, catalog_key_id

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace


REKEY_JOURNAL = "rekey-journal"
"""Vault secret holding an unfinished `rekey` (`dossier.services.rekey`)."""


class KeyService:
    """`ws.keys`: the passphrase and the master key it unlocks."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def change_passphrase(self, new_passphrase: str, kdf: KdfParams | None = None) -> None:
        """A new passphrase, and a new master key under it (see the module's docstring)."""
        check_new_passphrase(new_passphrase)
        with self.ws.vault.session() as session:
            if session.get(VaultSecret, REKEY_JOURNAL) is not None:
                raise UsageError(
                    _(
                        "a re-encryption of the vault is unfinished: finish it first ('dossier "
                        "rekey')"
                    )
                )
        rotate_master(self.ws, new_passphrase, kdf, action="vault.passwd")


@contextlib.contextmanager
def _no_commits_meanwhile(ws: Workspace) -> Iterator[None]:
    """Held from the switch of the master key to the commit of the rows signed under it.

    Every session signs and checks with the key in memory: a group of imports committing
    after the switch and before this commit checked the audit trail's head, still signed
    under the old key, with the new one, and failed as if the vault had been altered. Imports,
    deletions and replaced originals commit while holding their case's `changing`: all are
    held here, in one order (an import holds only its own)."""
    with ws.vault.session() as session:
        case_ids = sorted(session.scalars(select(Case.id)))
    with contextlib.ExitStack() as held:
        for case_id in case_ids:
            held.enter_context(ws.blobs.changing(case_id))
        yield


def rotate_master(
    ws: Workspace,
    passphrase: str,
    kdf: KdfParams | None = None,
    *,
    action: str,
    also: Callable[[Session], None] | None = None,
) -> None:
    """Replace the master key, wrapped under `passphrase`; `also` joins the switch commit."""
    vault = ws.vault
    problems = vault.vault_problems()
    if problems:
        raise CorruptData(
            _(
                "the passphrase was not changed: the vault's catalog was altered ({problems})"
            ).format(problems=problems[0])
        )
    old_ring, old_header = vault.keyring, vault.header
    params = kdf or old_header.kdf
    master = aead.new_key()
    salt = new_salt()
    kek = derive_kek(passphrase, salt, params)
    header = VaultHeader(
        vault_id=old_header.vault_id,
        kdf=params,
        salt=salt,
        wrapped_master=aead.seal(kek, master, old_header.master_ad()),
        key_check=key_check(kek),
    )
    header.mac = header.compute_mac(master)
    new_ring = KeyRing(master)
    header.write_pending(vault.folder)
    try:
        with _no_commits_meanwhile(ws), vault.session() as session:
            # Before the first read, and until the commit: no writer seals or signs a row
            # under either key while the rows are read under the old one, switched and
            # sealed again, nor commits a row this switch has not read.
            hold_writes(session)
            counter = inventory.current_counter(session.connection(), old_ring.vault_rows)
            cases = list(session.scalars(select(Case)))
            rows: list[Sealed] = [
                *session.scalars(select(AuditEntry).order_by(AuditEntry.seq)),
                *session.scalars(select(VaultSecret)),
            ]
            for row in rows:
                row.unseal_all()  # read under the old master before switching
            for case in cases:
                case.wrapped_key = old_ring.rewrap_case(case.id, case.wrapped_key, new_ring)
            with vault.switching(session):
                vault.switch_master(header, new_ring)
                try:
                    for row in rows:
                        row._mark_dirty()
                    session.flush()
                    ws.audit.relink(session)
                    session.flush()
                    vault.rebuild_vault_inventory(session.connection(), counter + 1)
                    if also is not None:
                        also(session)
                    ws.audit.append(session, action, None)
                    session.commit()  # the switch: the catalog now names the new master key
                except BaseException:
                    # Before the rollback lets another writer seal under the new key.
                    if not _switched(vault, header):
                        vault.switch_master(old_header, old_ring)
                    raise
    except BaseException:
        if _switched(vault, header):
            # Stopped once its commit was made (a Ctrl-C or a listener as it returned): the
            # change happened, and the pending header is the only one that opens the vault.
            if vault.header is not header:
                vault.switch_master(header, new_ring)
            with contextlib.suppress(OSError):  # or the next open promotes it
                promote_pending(vault.folder)
            raise
        with contextlib.suppress(OSError):
            (vault.folder / PENDING_NAME).unlink(missing_ok=True)
        if vault.header is header:
            vault.switch_master(old_header, old_ring)
        raise
    promote_pending(vault.folder)
    seen.forget(old_ring.master)
    with contextlib.suppress(CorruptData):
        seen.remember(master, counter + 2)


def _switched(vault: Vault, header: VaultHeader) -> bool:
    """Whether the catalog on disk names `header`'s master key: the switch's commit was made,
    whatever was raised after it (read from the file, as the next open reads it)."""
    return catalog_key_id(vault.folder / CATALOG) == header.key_id
