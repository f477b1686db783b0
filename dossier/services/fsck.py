"""Check a vault end to end: every row, every blob, the audit chain, the search index.

Problems (exit 5) are things that are damaged or tampered with; notes are leftovers of an
interrupted write (orphan ciphertext) that are harmless and removed by `gc`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

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
from dossier.db.sealed import Sealed
from dossier.errors import DossierError

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


@dataclass
class FsckReport:
    checked: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def run_fsck(ws: Workspace) -> FsckReport:
    report = FsckReport()
    try:
        _check_catalog(ws, report)
    except DatabaseError as exc:
        report.problems.append(f"catalog.sqlite is damaged: {exc.orig or exc}")
        return report
    _check_blobs(ws, report)
    audit = ws.audit.verify()
    report.problems.extend(audit.problems)
    report.checked["audit entries"] = audit.entries
    checker = getattr(ws.index, "verify_all", None)
    if checker is not None:
        problems, count = checker()
        report.problems.extend(problems)
        report.checked["index files"] = count
    return report


def _check_catalog(ws: Workspace, report: FsckReport) -> None:
    with ws.vault.engine.connect() as conn:
        result = [row[0] for row in conn.execute(text("PRAGMA integrity_check"))]
    if result != ["ok"]:
        report.problems.append("catalog.sqlite: " + "; ".join(result[:5]))
    with ws.vault.session() as session:
        for case in session.scalars(select(Case)):
            try:
                ws.vault.keyring.unwrap_case(case.id, case.wrapped_key)
            except DossierError as exc:
                report.problems.append(f"case {case.id}: {exc}")
        for model in SEALED_MODELS:
            count = 0
            for row in session.scalars(select(model)):
                count += 1
                try:
                    row.unseal_all()
                except DossierError as exc:
                    report.problems.append(str(exc))
            report.checked[str(getattr(model, "__tablename__", model.__name__))] = count


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
                report.problems.append(f"case {case_id}: {exc}")
    for case_id in ws.blobs.case_folders():
        if case_id not in case_ids:
            report.notes.append(f"blobs/{case_id}: files of a deleted case (run gc)")
            continue
        for blob_id in ws.blobs.iter_ids(case_id):
            if blob_id not in referenced.get(case_id, set()):
                report.notes.append(f"blob {blob_id[:12]} is not referenced (run gc)")
    report.checked["blobs"] = count


def collect_garbage(ws: Workspace) -> int:
    """Remove orphan blobs and folders of deleted cases; return how many were removed."""
    removed = 0
    with ws.vault.session() as session:
        case_ids = set(session.scalars(select(Case.id)))
        used = {
            (d.case_id, d.original_blob)
            for d in session.scalars(select(Document))
            if d.original_blob
        }
    for case_id in ws.blobs.case_folders():
        if case_id not in case_ids:
            ws.blobs.delete_case(case_id)
            removed += 1
            continue
        for blob_id in list(ws.blobs.iter_ids(case_id)):
            if (case_id, blob_id) not in used:
                ws.blobs.delete(case_id, blob_id)
                removed += 1
    return removed
