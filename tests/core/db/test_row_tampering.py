"""Every row of every table, attacked with `sqlite3` as someone without the key would.

For each table: delete a row, edit each clear column, duplicate a row under a new id, move a
row to another case. Each time `fsck` must name the table (and the row when it still exists),
the case must refuse to open, and an export of it must be refused.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dossier.db.rowauth import SPECS, VAULT_TABLES
from dossier.errors import CorruptData
from dossier.sample.build import SAMPLE_PASSPHRASE
from dossier.services.export.dto import ExportRequest
from dossier.services.workspace import Workspace
from tests.core.db.tampering import (
    Pristine,
    attacker,
    copy_vault,
    other_value,
    pristine_sample,
    victim,
)

Attack = Callable[[sqlite3.Connection], str]
"""Changes the catalog; returns what fsck must name (a row id, or the table's name)."""


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pristine]:
    with pristine_sample(tmp_path_factory) as pristine:
        yield pristine


def _attacks() -> list[object]:
    """Each table's row deleted, duplicated, moved, and each of its columns edited: `make test`
    edits one column a table, the slow sweep (`make check`, CI) every column (~60 edits)."""
    cases: list[object] = []
    for table, spec in sorted(SPECS.items()):
        cases.append((table, "delete", ""))
        cases.append((table, "duplicate", ""))
        edited = [column for column in spec.columns if column != "case_id"]
        for n, column in enumerate(edited):
            marks = [pytest.mark.slow] if n else []
            cases.append(pytest.param(table, "edit", column, marks=marks))
        if spec.scope_column is not None:
            cases.append((table, "move", ""))
    return cases


def _attack(db: sqlite3.Connection, table: str, how: str, column: str, ids: tuple[str, str]) -> str:
    case_id, other_case = ids
    id_column, row_id = victim(db, table, case_id)
    quoted = f'"{table}"'
    if how == "delete":
        db.execute(f'DELETE FROM {quoted} WHERE "{id_column}" = ?', (row_id,))
        return table
    if how == "move":
        db.execute(f"UPDATE {quoted} SET case_id = ? WHERE id = ?", (other_case, row_id))
        return str(row_id)
    if how == "duplicate":
        names = [r[1] for r in db.execute(f"PRAGMA table_info({quoted})")]
        new_id: object = (
            int(db.execute(f"SELECT max(seq) FROM {quoted}").fetchone()[0]) + 1
            if id_column == "seq"
            else f"{row_id}"[:-4] + "beef"
        )
        values = ", ".join("?" if n == id_column else f'"{n}"' for n in names)
        db.execute(
            f"INSERT INTO {quoted} ({', '.join(repr(n) for n in names)}) "
            f'SELECT {values} FROM {quoted} WHERE "{id_column}" = ?',
            (new_id, row_id),
        )
        return str(new_id)
    (value,) = db.execute(
        f'SELECT "{column}" FROM {quoted} WHERE "{id_column}" = ?', (row_id,)
    ).fetchone()
    new_value = other_value(db, table, column, value)
    db.execute(f'UPDATE {quoted} SET "{column}" = ? WHERE "{id_column}" = ?', (new_value, row_id))
    return str(new_value) if column == id_column else str(row_id)


@pytest.mark.parametrize(("table", "how", "column"), _attacks())
def test_every_change_to_a_row_is_found_and_refused(
    pristine: Pristine, tmp_path: Path, table: str, how: str, column: str
) -> None:
    folder = copy_vault(pristine, tmp_path)
    case_id, other_case = pristine[1], pristine[2]
    with attacker(folder) as db:
        named = _attack(db, table, how, column, (case_id, other_case))

    with Workspace.open(folder, SAMPLE_PASSPHRASE, strict=False) as ws:
        report = ws.fsck.run()
    assert not report.ok, f"{how} {table}.{column} went unnoticed"
    assert any(named in problem for problem in report.problems), report.problems

    if table in VAULT_TABLES:
        with pytest.raises(CorruptData, match="altered or damaged"):
            Workspace.open(folder, SAMPLE_PASSPHRASE)
        return
    with Workspace.open(folder, SAMPLE_PASSPHRASE) as ws:
        with pytest.raises(CorruptData, match="altered outside Dossier"):
            ws.documents.of_case(case_id)
        with pytest.raises(CorruptData):
            ws.exports.export(ExportRequest(case=case_id, out=tmp_path / "out.zip"))
        assert not (tmp_path / "out.zip").exists()


def test_the_untouched_copy_is_intact(pristine: Pristine, tmp_path: Path) -> None:
    folder = copy_vault(pristine, tmp_path)
    with Workspace.open(folder, SAMPLE_PASSPHRASE) as ws:
        assert ws.fsck.run().ok
        assert ws.documents.of_case(pristine[1])
