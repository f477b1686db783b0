"""Append-only, hash-chained, encrypted audit trail.

Each entry's `chain` is HMAC(audit key, previous chain || seq || sealed payload): removing,
reordering or editing any entry breaks every later link, and only the vault's key can forge one.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from dossier.db.bulk import insert_new, write_over
from dossier.db.engine import hold_writes
from dossier.db.models import AuditEntry, VaultSecret
from dossier.errors import DossierError
from dossier.i18n import _
from dossier.services.dto import AuditCheck, AuditRecord
from dossier.vault.vault import Vault, ring_of

GENESIS = b"dossier-audit-genesis"
HEAD = "audit-head"
_LAST_LINK = select(AuditEntry.seq, AuditEntry.chain).order_by(AuditEntry.seq.desc()).limit(1)
"""Built once: building it cost each append (each batch of an import) twice its execution."""


def _link(key: bytes, previous: bytes, seq: int, sealed: bytes) -> bytes:
    return hmac.new(key, previous + seq.to_bytes(8, "big") + sealed, "sha256").digest()


class AuditTrail:
    def __init__(self, vault: Vault) -> None:
        self.vault = vault

    def append(self, session: Session, action: str, case_id: str | None, **details: Any) -> None:
        """Add an entry inside the caller's transaction (it commits with the change it records)."""
        self.append_many(session, [(action, case_id, details)])

    def append_many(
        self, session: Session, records: list[tuple[str, str | None, dict[str, Any]]]
    ) -> None:
        """Add (action, case id, details) entries in order, inside the caller's transaction:
        one read of the last link, one flush and one head for all (a batch import's files)."""
        if not records:
            return
        hold_writes(session)  # the last link read is still the last when this one is written
        last = session.execute(_LAST_LINK).first()
        seq = 0 if last is None else last.seq
        previous = GENESIS if last is None else last.chain
        at = datetime.now(UTC).isoformat(timespec="seconds")
        entries = []
        for action, case_id, details in records:
            seq += 1
            entry = AuditEntry(seq=seq, case_id=case_id, chain=b"")
            entry.at = at
            entry.action = action
            entry.details = details
            entries.append(entry)
        key = self.vault.keyring.audit
        for entry in entries:
            # The link covers the sealed payload: sealed here, then written once with its
            # link, by table (an entry per file of a batch import: not one ORM object each).
            entry.seal_with(session.info["keys"])
            entry.chain = previous = _link(key, previous, entry.seq, entry.sealed)
        insert_new(session, entries)
        # The head, sealed apart from the entries, is what reveals a removed *last* entry.
        value = f"{seq}:{previous.hex()}"
        loaded = session.identity_map.get(identity_key(VaultSecret, HEAD))
        if isinstance(loaded, VaultSecret):  # a change of the master key's session holds it
            loaded.value = value
            return
        # Written over in one statement with its MAC: not read first, nor written twice (the
        # ORM's update, then its MAC's), a tenth of a small batch import's commit.
        head = VaultSecret(name=HEAD)
        head.value = value
        write_over(session, [head])

    def relink(self, session: Session) -> None:
        """Recompute every link and the head under the current audit key (master change)."""
        previous = GENESIS
        last = 0
        for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)):
            entry.chain = _link(self.vault.keyring.audit, previous, entry.seq, entry.sealed)
            previous, last = entry.chain, entry.seq
        if last:
            head = session.get(VaultSecret, HEAD) or VaultSecret(name=HEAD)
            head.value = f"{last}:{previous.hex()}"
            session.add(head)

    def records(self, case_id: str | None = None) -> list[AuditRecord]:
        with self.vault.reading() as session:
            query = select(AuditEntry).order_by(AuditEntry.seq)
            if case_id is not None:
                query = query.where(AuditEntry.case_id == case_id)
            return [
                AuditRecord(e.seq, e.at, e.case_id, e.action, dict(e.details))
                for e in session.scalars(query)
            ]

    def verify(self) -> AuditCheck:
        problems: list[str] = []
        previous = GENESIS
        expected = 1
        with self.vault.reading() as session:  # the count, the entries and the head of one commit
            key = ring_of(session, self.vault).audit
            count = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
            for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)):
                if entry.seq != expected:
                    problems.append(
                        _("audit entries {expected}..{seq} are missing").format(
                            expected=expected, seq=entry.seq - 1
                        )
                    )
                if not hmac.compare_digest(
                    entry.chain, _link(key, previous, entry.seq, entry.sealed)
                ):
                    problems.append(
                        _("audit entry {seq} was altered or re-linked").format(seq=entry.seq)
                    )
                try:
                    entry.unseal_all()
                except DossierError as exc:
                    problems.append(_("audit entry {seq}: {exc}").format(seq=entry.seq, exc=exc))
                previous = entry.chain
                expected = entry.seq + 1
            head = session.get(VaultSecret, HEAD)
            try:
                head_value = head.value if head is not None else ""
            except DossierError as exc:
                problems.append(_("audit head: {exc}").format(exc=exc))
                head_value = ""
            if count and head_value != f"{expected - 1}:{previous.hex()}":
                problems.append(_("the last audit entries were removed (head does not match)"))
        return AuditCheck(entries=count, problems=problems)
