"""Append-only, hash-chained, encrypted audit trail.

Each entry's `chain` is HMAC(audit key, previous chain || seq || sealed payload): removing,
reordering or editing any entry breaks every later link, and only the vault's key can forge one.
"""

from __future__ import annotations

import hmac
import threading
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from dossier.db.bulk import insert_new, write_over
from dossier.db.engine import hold_writes
from dossier.db.models import AuditEntry, VaultSecret
from dossier.errors import CorruptData, DossierError
from dossier.i18n import _
from dossier.services.dto import AuditCheck, AuditRecord
from dossier.vault.vault import Vault, ring_of

GENESIS = b"dossier-audit-genesis"
HEAD = "audit-head"
_LAST_LINK = select(AuditEntry.seq, AuditEntry.chain).order_by(AuditEntry.seq.desc()).limit(1)
"""Built once: building it cost each append (each batch of an import) twice its execution."""
_STAGED = "audit link staged"
"""session.info: (trail, (seq, link)) of the last entry the session's transaction wrote."""

Link = tuple[int, bytes]
"""(seq, chain) of a trail's last entry; (0, GENESIS) for an empty trail."""


def _last_link(session: Session) -> Link:
    last = session.execute(_LAST_LINK).first()
    return (0, GENESIS) if last is None else (last.seq, last.chain)


@event.listens_for(Session, "before_commit")
def _commit_begins(session: Session) -> None:
    staged = session.info.get(_STAGED)
    if staged is not None:
        staged[0]._landing_now(session, staged[1])


@event.listens_for(Session, "after_commit")
def _commit_done(session: Session) -> None:
    staged = session.info.pop(_STAGED, None)
    if staged is not None:
        staged[0]._committed(session, staged[1])


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    staged = session.info.pop(_STAGED, None)
    if staged is not None:
        staged[0]._committed(session, None)


def _link(key: bytes, previous: bytes, seq: int, sealed: bytes) -> bytes:
    return hmac.new(key, previous + seq.to_bytes(8, "big") + sealed, "sha256").digest()


class AuditTrail:
    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self._guard = threading.Lock()
        with vault.session() as session:
            self._known: Link = _last_link(session)
        """The last link committed, as this process wrote it (read at unlock): the row an
        append chains to must be it, or the trail was cut behind the vault's back."""
        self._landing: dict[int, Link] = {}
        """Links of transactions whose commit is under way, by session: another writer may
        read one as the last before its commit is known here (`_committed`)."""

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
        seq, previous = self._chained_to(session)
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
        self._stage(session, (seq, previous))
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
        self._stage(session, (last, previous))

    def _chained_to(self, session: Session) -> Link:
        """The trail's last link, which an append chains to: the one this process committed
        last (or its transaction wrote), else CorruptData. Entries deleted while the vault is
        open, head and all, leave a trail whole in itself that the append would extend and
        `audit verify` pass; the comparison reads only clear columns."""
        last = _last_link(session)
        staged = session.info.get(_STAGED)
        with self._guard:
            expected = {staged[1]} if staged is not None else {self._known, *self._landing.values()}
        if last not in expected:
            raise CorruptData(
                _(
                    "the audit trail was altered outside Dossier while the vault was open (its "
                    "last entries are not those written); nothing was saved: run 'dossier fsck'"
                )
            )
        return last

    def _stage(self, session: Session, link: Link) -> None:
        session.info[_STAGED] = (self, link)

    def _landing_now(self, session: Session, link: Link) -> None:
        with self._guard:
            self._landing[id(session)] = link

    def _committed(self, session: Session, link: Link | None) -> None:
        with self._guard:
            self._landing.pop(id(session), None)
            # Two threads' commits may be told here out of their order: the later link stays
            # (a relink keeps the number and changes the link).
            if link is not None and link[0] >= self._known[0]:
                self._known = link

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
