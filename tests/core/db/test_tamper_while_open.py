"""A row edited by another process while Dossier has the vault open is never signed again.

Dossier re-signs the rows a transaction changes. A row changed behind its back (malware, a
forensic tamperer with the sqlite3 CLI, no key) must not be re-signed when Dossier later
rewrites or deletes it, directly or through a foreign-key action: the write is refused with
a clear error, nothing of it is kept, and the tampered row stays for `fsck` to name.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dossier.db.rowauth import SPECS, TableSpec
from dossier.errors import CorruptData
from dossier.sample.build import SAMPLE_PASSPHRASE
from dossier.services.cases import CaseService
from dossier.services.documents.dto import DocumentEdit
from dossier.services.quotes.dto import QuoteEdit
from dossier.services.workspace import Workspace
from tests.clirun import run_cli
from tests.core.db.tampering import (
    Pristine,
    attacker,
    copy_vault,
    other_value,
    pristine_sample,
    victim,
)

REFUSED = "altered outside Dossier"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pristine]:
    with pristine_sample(tmp_path_factory) as pristine:
        yield pristine


def _opened(pristine: Pristine, tmp_path: Path) -> Workspace:
    """A copy of the vault, open, both cases checked and their keys in memory (as in the app)."""
    ws = Workspace.open(copy_vault(pristine, tmp_path), SAMPLE_PASSPHRASE)
    for case_id in pristine[1:]:
        ws.documents.of_case(case_id)
    return ws


def _problems(ws: Workspace, pristine: Pristine) -> list[str]:
    found = ws.vault.vault_problems()
    for case_id in pristine[1:]:
        found += ws.vault.case_problems(case_id)
    return found


def _rewrite(ws: Workspace, spec: TableSpec, row_id: object) -> None:
    """Dossier rewrites the row (any statement: the commit re-signs what it changed)."""
    with ws.vault.session() as session:
        session.connection().exec_driver_sql(
            f'UPDATE {spec.quoted} SET row_mac = row_mac WHERE "{spec.id_column}" = ?', (row_id,)
        )
        session.commit()


def _remove(ws: Workspace, spec: TableSpec, row_id: object) -> None:
    """Dossier deletes the row, with the foreign-key actions that follow from it."""
    with ws.vault.session() as session:
        session.connection().exec_driver_sql(
            f'DELETE FROM {spec.quoted} WHERE "{spec.id_column}" = ?', (row_id,)
        )
        session.commit()


@pytest.mark.parametrize("table", sorted(SPECS))
def test_no_column_edited_while_open_is_signed_again(
    pristine: Pristine, tmp_path: Path, table: str
) -> None:
    spec = SPECS[table]
    folder = tmp_path / "Attacked.dossier"
    with _opened(pristine, tmp_path) as ws:
        assert not _problems(ws, pristine)
        for column in spec.columns:
            with attacker(folder) as db:
                id_column, row_id = victim(db, table, pristine[1])
                quoted = f'"{table}"'
                (value,) = db.execute(
                    f'SELECT "{column}" FROM {quoted} WHERE "{id_column}" = ?', (row_id,)
                ).fetchone()
                changed = other_value(db, table, column, value)
                db.execute(
                    f'UPDATE {quoted} SET "{column}" = ? WHERE "{id_column}" = ?', (changed, row_id)
                )
            target = changed if column == id_column else row_id
            # Destroying a whole case stays possible even when it was altered (cases.delete).
            writes = (_rewrite,) if table == "case" else (_rewrite, _remove)
            for write in writes:
                with pytest.raises(CorruptData, match=REFUSED):
                    write(ws, spec, target)
            # The row is named, or (moved out of every case) its table's count is short.
            problems = _problems(ws, pristine)
            assert any(str(target) in p or p.startswith(f"{table}:") for p in problems), (
                column,
                problems,
            )
            with attacker(folder) as db:  # the evidence is intact: undoing the edit heals it
                db.execute(
                    f'UPDATE {quoted} SET "{column}" = ? WHERE "{id_column}" = ?', (value, target)
                )
            assert not _problems(ws, pristine), column


Tamper = Callable[[sqlite3.Connection, str], str]
Write = Callable[[Workspace, str], None]


def _edit(table: str, column: str, where: str = "") -> Tamper:
    def tamper(db: sqlite3.Connection, case_id: str) -> str:
        (row_id, value) = db.execute(
            f'SELECT id, "{column}" FROM "{table}" WHERE case_id = ? {where} ORDER BY rowid',
            (case_id,),
        ).fetchone()
        db.execute(
            f'UPDATE "{table}" SET "{column}" = ? WHERE id = ?',
            (other_value(db, table, column, value), row_id),
        )
        return str(row_id)

    return tamper


def _parent(db: sqlite3.Connection, table: str, column: str, row_id: str) -> str:
    (parent,) = db.execute(f'SELECT "{column}" FROM "{table}" WHERE id = ?', (row_id,)).fetchone()
    return str(parent)


def _rename_document(ws: Workspace, doc_id: str) -> None:
    ws.documents.update(doc_id, DocumentEdit(title="Renamed while tampered"))


def _edit_quote(ws: Workspace, quote_id: str) -> None:
    ws.quotes.update(quote_id, QuoteEdit(notes="checked again"))


def _delete_parent(table: str, column: str) -> Write:
    """Delete the row's parent (a document, a letter): the row follows by a foreign-key action
    (CASCADE, or SET NULL for a reply whose document goes)."""

    def write(ws: Workspace, row_id: str) -> None:
        with attacker(ws.vault.folder) as db:
            parent = _parent(db, table, column, row_id)
        if column == "letter_id":
            ws.letters.delete(parent)
        else:
            ws.documents.delete(parent)

    return write


SCENARIOS: dict[str, tuple[Tamper, Write]] = {
    "document kind, then renamed": (_edit("document", "kind"), _rename_document),
    "document date, then renamed": (_edit("document", "updated_at"), _rename_document),
    "quote speaker, then edited": (_edit("quote", "speaker_id"), _edit_quote),
    "page number, then its document deleted (cascade)": (
        _edit("page", "page_index"),
        _delete_parent("page", "document_id"),
    ),
    "box kind, then its document deleted (cascade)": (
        _edit("redaction", "kind", "AND document_id IS NOT NULL"),
        _delete_parent("redaction", "document_id"),
    ),
    "question number, then its letter deleted (cascade)": (
        _edit("question", "number"),
        _delete_parent("question", "letter_id"),
    ),
    "reply date, then its document deleted (SET NULL)": (
        _edit("reply", "created_at", "AND document_id IS NOT NULL"),
        _delete_parent("reply", "document_id"),
    ),
}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_a_use_case_over_a_tampered_row_is_refused_and_the_evidence_kept(
    pristine: Pristine, tmp_path: Path, scenario: str
) -> None:
    tamper, write = SCENARIOS[scenario]
    folder = tmp_path / "Attacked.dossier"
    with _opened(pristine, tmp_path) as ws:
        with attacker(folder) as db:
            row_id = tamper(db, pristine[1])
        with pytest.raises(CorruptData, match=REFUSED) as refused:
            write(ws, row_id)
        assert row_id in str(refused.value)
    # Closed and opened again: the case is refused, fsck names the row.
    with Workspace.open(folder, SAMPLE_PASSPHRASE) as ws:
        with pytest.raises(CorruptData, match=REFUSED):
            ws.documents.of_case(pristine[1])
    with Workspace.open(folder, SAMPLE_PASSPHRASE, strict=False) as ws:
        report = ws.fsck.run()
    assert not report.ok
    assert any(row_id in problem for problem in report.problems), report.problems


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_the_same_use_cases_on_an_untouched_vault_pass(
    pristine: Pristine, tmp_path: Path, scenario: str
) -> None:
    tamper, write = SCENARIOS[scenario]
    folder = tmp_path / "Attacked.dossier"
    with _opened(pristine, tmp_path) as ws:
        with attacker(folder) as db:
            row_id = tamper(db, pristine[1])
            db.rollback()  # chosen, not changed
        write(ws, row_id)
        assert not _problems(ws, pristine)


def test_an_altered_case_can_still_be_destroyed(pristine: Pristine, tmp_path: Path) -> None:
    """Its key is shredded and every row goes: nothing altered is signed, nothing remains."""
    folder = tmp_path / "Attacked.dossier"
    with _opened(pristine, tmp_path) as ws:
        with attacker(folder) as db:
            _edit("page", "page_index")(db, pristine[1])
            db.execute(
                'UPDATE "case" SET updated_at = ? WHERE id = ?',
                ("2021-03-04 05:06:07.000000", pristine[1]),
            )
        ws.cases.delete(pristine[1])
        assert not _problems(ws, (folder, pristine[2], pristine[2]))
    with Workspace.open(folder, SAMPLE_PASSPHRASE, strict=False) as ws:
        assert ws.fsck.run().ok


def test_the_cli_refuses_with_exit_5_and_fsck_names_the_row(
    pristine: Pristine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`dossier case rename` while another process edits the case row behind its back (after
    the vault opened and checked it, before the write): exit 5, one sentence, nothing saved."""
    folder = copy_vault(pristine, tmp_path)
    case_id = pristine[1]
    original = CaseService.update

    def tampered_first(self: CaseService, ref: str, **fields: object) -> object:
        with attacker(folder) as db:
            db.execute(
                'UPDATE "case" SET updated_at = ? WHERE id = ?', ("2021-03-04 05:06:07", case_id)
            )
        return original(self, ref, **fields)  # type: ignore[arg-type]

    monkeypatch.setattr(CaseService, "update", tampered_first)
    args = ("--vault", str(folder))
    renamed = run_cli(
        tmp_path, *args, "case", "rename", case_id, "Renamed", passphrase=SAMPLE_PASSPHRASE
    )
    assert renamed.returncode == 5, renamed.stderr
    assert REFUSED in renamed.stderr and case_id in renamed.stderr
    assert len(renamed.stderr.strip().splitlines()) == 1 and "Traceback" not in renamed.stderr
    monkeypatch.setattr(CaseService, "update", original)
    checked = run_cli(tmp_path, *args, "fsck", passphrase=SAMPLE_PASSPHRASE)
    assert checked.returncode == 5 and case_id in checked.stdout + checked.stderr


@pytest.mark.parametrize("part", ["body", "mac"])
def test_a_case_inventory_edited_while_open_is_not_signed_again(
    pristine: Pristine, tmp_path: Path, part: str
) -> None:
    """The commit that updates a case's inventory checks the stored one first: one edited
    behind Dossier's back (its counts, or its MAC) is never folded into a new, signed one."""
    folder = tmp_path / "Attacked.dossier"
    case_id = pristine[1]
    with _opened(pristine, tmp_path) as ws:
        doc_id = ws.documents.of_case(case_id)[0].id
        with attacker(folder) as db:
            if part == "body":
                sql = "UPDATE inventory SET body = replace(body, '\"counter\"', '\"counter\" ')"
            else:
                sql = "UPDATE inventory SET mac = zeroblob(32)"
            db.execute(f"{sql} WHERE scope = ?", (case_id,))
            (stored,) = db.execute(
                "SELECT mac FROM inventory WHERE scope = ?", (case_id,)
            ).fetchone()
        with pytest.raises(CorruptData, match=r"inventory of case .* was altered"):
            _rename_document(ws, doc_id)
        with attacker(folder) as db:
            assert db.execute(
                "SELECT mac FROM inventory WHERE scope = ?", (case_id,)
            ).fetchone() == (stored,)
        assert any("inventory" in p for p in ws.vault.case_problems(case_id))


@pytest.mark.parametrize("table", sorted(SPECS))
def test_an_id_or_case_edited_to_text_that_is_not_utf8_is_named(
    pristine: Pristine, tmp_path: Path, table: str
) -> None:
    """A row's id or case id made text that is not UTF-8 while the vault is open: the commit
    that rewrites the row names it as altered outside Dossier, as any other edit, instead of
    calling the catalog damaged (the driver failed to decode what the change capture kept)."""
    spec = SPECS[table]
    folder = tmp_path / "Attacked.dossier"
    with _opened(pristine, tmp_path) as ws:
        for column in [spec.id_column, *([spec.scope_column] if spec.scope_column else [])]:
            with attacker(folder) as db:
                id_column, row_id = victim(db, table, pristine[1])
                (rowid, kind) = db.execute(
                    f'SELECT rowid, typeof("{column}") FROM "{table}" WHERE "{id_column}" = ?',
                    (row_id,),
                ).fetchone()
                if kind != "text":
                    continue
                db.execute(
                    f'UPDATE "{table}" SET "{column}" = '
                    f"CAST(CAST(\"{column}\" AS BLOB) || x'ff' AS TEXT) WHERE rowid = ?",
                    (rowid,),
                )
            with pytest.raises(CorruptData, match=REFUSED) as refused:
                with ws.vault.session() as session:
                    session.connection().exec_driver_sql(
                        f'UPDATE "{table}" SET row_mac = row_mac WHERE rowid = ?', (rowid,)
                    )
                    session.commit()
            assert f"{table} row" in str(refused.value), column
            with attacker(folder) as db:  # undone: the vault is whole again
                db.execute(
                    f'UPDATE "{table}" SET "{column}" = CAST(substr(CAST("{column}" AS BLOB), '
                    f'1, length(CAST("{column}" AS BLOB)) - 1) AS TEXT) WHERE rowid = ?',
                    (rowid,),
                )
            assert not _problems(ws, pristine), column
