"""Cases: create, list, rename, delete (crypto-shredding first, then files)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import Session

from dossier.db.engine import hold_writes
from dossier.db.models import Case, Document
from dossier.errors import NotFoundError, UsageError
from dossier.i18n import N_, _
from dossier.services.dates import parse_date
from dossier.services.dto import CaseInfo
from dossier.services.people.casenames import case_name_mask
from dossier.services.people.dto import CaseNameMask

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace

STATUSES = ("open", "published", "archived")


def _info(case: Case, document_count: int = 0, shown: CaseNameMask | None = None) -> CaseInfo:
    """What the screen may show of the case: its name and description masked (`casenames`)
    unless `shown` is None (real names: an audited reveal, or a case just created)."""

    def text(value: str) -> str:
        return value if shown is None else shown.text(case.id, value)

    return CaseInfo(
        id=case.id,
        name=text(case.name),
        description=text(case.description),
        status=case.status,
        created_at=case.created_at,
        published_on=case.published_on,
        document_count=document_count,
    )


_CASE_ID = select(Case.id).where(Case.id == bindparam("ref"))


MAX_CASE_NAME = 200
"""A case name is shown in titles, lists and every message naming it: a name of a megabyte
(a bundle's manifest, a pasted page) made each of them unusable."""


class CaseService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def _find(self, session: Session, ref: str, *, check: bool = True) -> Case:
        """The case named or identified by `ref`; opening it checks its rows (CorruptData)."""
        case = self._match(session, ref)
        if check:
            self.ws.vault.case_keys(case.id)
        return case

    def _match(self, session: Session, ref: str) -> Case:
        case = session.get(Case, ref)
        if case is not None:
            return case
        matches = [c for c in session.scalars(select(Case)) if c.name == ref]
        if not matches:
            lowered = [
                c for c in session.scalars(select(Case)) if c.name.casefold() == ref.casefold()
            ]
            matches = lowered
        if not matches:
            raise NotFoundError(_("no case named {ref}").format(ref=repr(ref)))
        if len(matches) > 1:
            raise UsageError(
                _("several cases are named {ref}; use the case id").format(ref=repr(ref))
            )
        return matches[0]

    def resolve(self, ref: str, *, check: bool = True) -> str:
        """Case id for a case name or id; without `check`, its rows are left to be checked at
        their first use (`Vault.checking`)."""
        with self.ws.vault.session() as session:
            # An id, as the app and each batch of an import give it: looked up alone, its row
            # not loaded as an object (0.5 of the 1.0 ms of CPU it cost an 8-file import).
            case_id = session.connection().scalar(_CASE_ID, {"ref": ref})
            if case_id is None:
                case_id = self._match(session, ref).id
            if check:
                self.ws.vault.case_keys(case_id)
            return str(case_id)

    def create(self, name: str, description: str = "") -> CaseInfo:
        name = name.strip()
        if not name:
            raise UsageError(_("a case needs a name"))
        if len(name) > MAX_CASE_NAME:
            raise UsageError(
                _("a case name is at most {limit} characters; this one has {count}").format(
                    limit=MAX_CASE_NAME, count=len(name)
                )
            )
        with self.ws.vault.session() as session:
            hold_writes(session)  # no case of this name made between the check and this one
            if any(c.name.casefold() == name.casefold() for c in session.scalars(select(Case))):
                raise UsageError(_("a case named {name} already exists").format(name=repr(name)))
            case = Case(wrapped_key=b"")
            case.wrapped_key = self.ws.vault.new_case_key(case.id)
            case.name = name
            case.description = description
            session.add(case)
            session.flush()
            self.ws.audit.append(session, "case.create", case.id)
            session.commit()
        return _info(case, shown=self.shown())

    def shown(self) -> CaseNameMask:
        """How case names are masked on screen now (this session's reveals applied)."""
        return case_name_mask(self.ws.vault, self.ws.screen.revealed_cases())

    def all(self, *, reveal: bool = False) -> list[CaseInfo]:
        """Every case, names masked unless `reveal` (audited for the people it shows)."""
        shown = self.shown()
        with self.ws.vault.session() as session:
            counts: dict[str, int] = {
                row[0]: row[1]
                for row in session.execute(
                    select(Document.case_id, func.count()).group_by(Document.case_id)
                )
            }
            rows = list(session.scalars(select(Case)))
            cases = [_info(c, counts.get(c.id, 0), None if reveal else shown) for c in rows]
            named = {owner for c in rows for owner in shown.sources(f"{c.name}\n{c.description}")}
        if reveal:
            for owner in sorted(named):
                self.ws.screen.mask(owner, reveal=True, where="case list")
        return sorted(cases, key=lambda c: c.name.casefold())

    def document_counts(self) -> dict[str, int]:
        """How many documents each case holds (a case with none is left out): what a view
        shows beside a case it already lists, read without masking every case's names again."""
        with self.ws.vault.session() as session:
            rows = session.execute(
                select(Document.case_id, func.count()).group_by(Document.case_id)
            )
            return {case_id: count for case_id, count in rows}

    def get(self, ref: str) -> CaseInfo:
        with self.ws.vault.session() as session:
            case = self._find(session, ref)
            count = session.scalar(
                select(func.count()).select_from(Document).where(Document.case_id == case.id)
            )
            return _info(case, count or 0, self.shown())

    def update(
        self,
        ref: str,
        *,
        name: str | None = None,
        description: str | None = None,
        status: str | None = None,
        published_on: str | None = None,
    ) -> CaseInfo:
        shown = self.shown()
        with self.ws.vault.session() as session:
            hold_writes(session)  # the names checked and the row changed are those committed
            case = self._find(session, ref)

            def kept(stored: str, incoming: str) -> str:
                # A name or description shown masked and sent back untouched keeps the real one.
                return stored if incoming == shown.text(case.id, stored) else incoming

            if name is not None:
                name = kept(case.name, name.strip())
                if not name:
                    raise UsageError(_("a case needs a name"))
                others = [c for c in session.scalars(select(Case)) if c.id != case.id]
                if any(c.name.casefold() == name.casefold() for c in others):
                    raise UsageError(
                        _("a case named {name} already exists").format(name=repr(name))
                    )
                case.name = name
            if description is not None:
                case.description = kept(case.description, description)
            if status is not None:
                if status not in STATUSES:
                    raise UsageError(
                        _("status must be one of {STATUSES}").format(STATUSES=", ".join(STATUSES))
                    )
                case.status = status
            if published_on is not None:
                case.published_on = parse_date(published_on, N_("publication date")) or None
            self.ws.audit.append(session, "case.update", case.id)
            session.commit()
            return _info(case, shown=self.shown())

    def delete(self, ref: str) -> None:
        """Destroy the case key first (its data becomes unreadable), then rows and files."""
        with self.ws.vault.session() as session:
            # A case altered outside Dossier can still be destroyed.
            case = self._find(session, ref, check=False)
            case_id = case.id
            # Crypto-shredding: the wrapped key goes in its own committed transaction, so even
            # an interruption right after leaves nothing of the case decryptable.
            session.execute(delete(Case).where(Case.id == case_id))
            self.ws.audit.append(session, "case.delete", case_id)
            session.commit()
        self.ws.recent_searches.forget(case_id)  # sealed with the vault's key, not the case's
        self.ws.vault.keyring.forget_case(case_id)
        with self.ws.vault.engine.connect() as conn:
            # secure_delete overwrote the rows; the checkpoint empties the WAL of old pages.
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        self.ws.index.case_removed(case_id)
        self.ws.blobs.delete_case(case_id)
