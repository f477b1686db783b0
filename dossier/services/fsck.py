"""Check a vault end to end: every row, every blob, the audit chain, the search index.

Problems (exit 5) are things that are damaged or tampered with; notes are leftovers of an
interrupted write (orphan ciphertext) that are harmless and removed by `gc`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from dossier.db.engine import snapshot
from dossier.db.models import (
    AuditEntry,
    Case,
    Document,
    Event,
    Letter,
    Note,
    Page,
    Person,
    Question,
    Quote,
    Redaction,
    Reply,
    VaultSecret,
)
from dossier.db.rowauth import CASE_TABLES
from dossier.db.sealed import Sealed
from dossier.errors import CorruptData, DossierError
from dossier.i18n import N_, _
from dossier.services.dto import FsckReport

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace

SEALED_MODELS: tuple[type[Sealed], ...] = (
    Case,
    Document,
    Page,
    Person,
    Quote,
    Letter,
    Question,
    Reply,
    Redaction,
    Note,
    Event,
    AuditEntry,
    VaultSecret,
)


class FsckService:
    """`ws.fsck`: checking a vault end to end, and removing the leftovers of interrupted writes."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def run(self) -> FsckReport:
        """Every check; the report lists problems (damage, tampering) and notes (leftovers)."""
        ws = self.ws
        report = FsckReport()
        try:
            _check_rows(ws, report)
            _check_catalog(ws, report)
            _check_blobs(ws, report)
        except DatabaseError as exc:
            report.problems.append(
                _("catalog.sqlite is damaged: {exc}").format(exc=_first_line(exc))
            )
            return report
        except CorruptData as exc:
            report.problems.append(str(exc))
            return report
        except (ValueError, TypeError, OverflowError) as exc:
            report.problems.append(_("the catalog holds a malformed value ({exc})").format(exc=exc))
            return report
        audit = ws.audit.verify()
        report.problems.extend(audit.problems)
        report.checked[N_("audit entries")] = audit.entries
        problems, count = ws.search.verify_all()
        report.problems.extend(problems)
        report.checked[N_("index files")] = count
        return report

    def row_problems(self) -> list[str]:
        """Rows changed outside Dossier: altered, added, deleted, duplicated or moved."""
        report = FsckReport()
        try:
            _check_rows(self.ws, report)
        except DatabaseError as exc:
            report.problems.append(
                _("catalog.sqlite is damaged: {exc}").format(exc=_first_line(exc))
            )
        return report.problems

    def collect_garbage(self) -> int:
        """Remove orphan blobs and folders of deleted cases; return how many were removed."""
        ws = self.ws
        removed = 0
        for case_id in ws.blobs.case_ids():
            # Each case's files and rows read together, holding its originals: an import
            # puts its files in place, then commits the rows naming them, under the same
            # hold. Read before it, the rows named none of them, and they were removed.
            with ws.blobs.changing(case_id), ws.vault.session() as session:
                if session.get(Case, case_id) is None:
                    ws.blobs.delete_case(case_id)
                    removed += 1
                    continue
                query = select(Document).where(Document.case_id == case_id)
                used = {d.original_blob for d in session.scalars(query) if d.original_blob}
                for blob_id in list(ws.blobs.iter_ids(case_id)):
                    if blob_id not in used:
                        ws.blobs.delete(case_id, blob_id)
                        removed += 1
        return removed


def _check_rows(ws: Workspace, report: FsckReport) -> None:
    with snapshot(ws.vault.engine) as conn:
        result = [row[0] for row in conn.execute(text("PRAGMA integrity_check"))]
        if result != ["ok"]:
            report.problems.append("catalog.sqlite: " + "; ".join(result[:5]))
        case_ids = [
            _text(r[0]) for r in conn.exec_driver_sql('SELECT CAST(id AS BLOB) FROM "case"')
        ]
        for spec in CASE_TABLES:
            orphans = conn.exec_driver_sql(
                f'SELECT CAST("{spec.id_column}" AS BLOB), CAST(case_id AS BLOB) '
                f'FROM {spec.quoted} WHERE case_id NOT IN (SELECT id FROM "case")'
            ).fetchall()
            for row_id, case_id in orphans:
                report.problems.append(
                    _("{name} row {row_id} belongs to no case ({case_id})").format(
                        name=spec.name, row_id=_text(row_id), case_id=_text(case_id)
                    )
                )
    report.problems.extend(ws.vault.vault_problems())
    report.notes.extend(ws.vault.warnings)
    for case_id in case_ids:
        try:
            report.problems.extend(ws.vault.case_problems(_text(case_id)))
        except DossierError as exc:
            report.problems.append(
                _("case {case_id}: {exc}").format(case_id=_text(case_id), exc=exc)
            )


def _check_catalog(ws: Workspace, report: FsckReport) -> None:
    """Decrypt every sealed value (the rows' content, not only their MACs)."""
    with ws.vault.session() as session:
        for case in session.scalars(select(Case)):
            try:
                ws.vault.keyring.unwrap_case(case.id, case.wrapped_key)
            except DossierError as exc:
                report.problems.append(_("case {id}: {exc}").format(id=case.id, exc=exc))
        for model in SEALED_MODELS:
            table = str(getattr(model, "__tablename__", model.__name__))
            count = 0
            try:
                for row in session.scalars(select(model)):
                    count += 1
                    try:
                        row.unseal_all()
                    except DossierError as exc:
                        report.problems.append(str(exc))
            except (ValueError, TypeError, OverflowError) as exc:
                # A clear value SQLAlchemy cannot parse (e.g. a timestamp that is not one).
                report.problems.append(
                    _("{table}: a row holds a malformed value ({exc})").format(table=table, exc=exc)
                )
            report.checked[table] = count


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _first_line(exc: DatabaseError) -> str:
    return str(exc.orig or exc).splitlines()[0]


def _check_blobs(ws: Workspace, report: FsckReport) -> None:
    referenced: dict[str, set[str]] = {}
    with ws.vault.session() as session:
        case_ids = set(session.scalars(select(Case.id)))
        for doc in session.scalars(select(Document)):
            try:
                blob = doc.original_blob
            except DossierError:
                continue  # already reported with the row
            if blob:
                referenced.setdefault(doc.case_id, set()).add(blob)
    count = 0
    for case_id, blobs in referenced.items():
        keys = ws.vault.case_keys(case_id)
        for blob_id in sorted(blobs):
            count += 1
            try:
                ws.blobs.verify(keys, blob_id)
            except DossierError as exc:
                report.problems.append(_("case {case_id}: {exc}").format(case_id=case_id, exc=exc))
    for case_id in ws.blobs.case_ids():
        if case_id not in case_ids:
            report.notes.append(
                _("blobs/{case_id}: files of a deleted case (run gc)").format(case_id=case_id)
            )
            continue
        keys = ws.vault.case_keys(case_id)
        rows = ws.blobs.small_ids(case_id)
        for blob_id in ws.blobs.iter_ids(case_id):
            if blob_id in referenced.get(case_id, set()):
                continue
            # A row no document names is decrypted still: a leftover is one written whole,
            # and one edited without the key is tampering. Not a file: one a re-encryption
            # stopped midway wrote is under keys the case does not have yet.
            try:
                if blob_id in rows:
                    ws.blobs.verify(keys, blob_id)
            except DossierError as exc:
                report.problems.append(
                    _("case {case_id}: {exc} (no document names it; gc removes it)").format(
                        case_id=case_id, exc=exc
                    )
                )
                continue
            report.notes.append(
                _("blob {blob_id} is not referenced (run gc)").format(blob_id=blob_id[:12])
            )
    report.checked[N_("blobs")] = count
