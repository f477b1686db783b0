"""Every row of every table, attacked with `sqlite3` as someone without the key would.

For each table: delete a row, edit each clear column, duplicate a row under a new id, move a
row to another case. Each time `fsck` must name the table (and the row when it still exists),
the case must refuse to open, and an export of it must be refused.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.db.models import Note, Person
from dossier.db.rowauth import SPECS, VAULT_TABLES
from dossier.errors import CorruptData
from dossier.sample.build import SAMPLE_PASSPHRASE, build_sample
from dossier.services.export.dto import ExportRequest
from dossier.services.workspace import Workspace

Attack = Callable[[sqlite3.Connection], str]
"""Changes the catalog; returns what fsck must name (a row id, or the table's name)."""


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, str]]:
    """The sample case (every table but notes), plus a note and a second case."""
    folder = tmp_path_factory.mktemp("rows") / "Sample.dossier"
    built = build_sample(folder, TEST_ONLY_FAST, ocr=False)
    with Workspace.open(folder, SAMPLE_PASSPHRASE) as ws:
        other = ws.cases.create("Other case").id
        with ws.vault.session() as session:
            note = Note(case_id=built.case_id)
            note.title = "Appeler la source"
            session.add(note)
            person = Person(case_id=other)
            person.name = "Someone Else"
            session.add(person)
            session.commit()
    yield folder, built.case_id, other


def _copy(pristine: tuple[Path, str, str], tmp_path: Path) -> Path:
    target = tmp_path / "Attacked.dossier"
    shutil.copytree(pristine[0], target)
    (target / ".lock").unlink(missing_ok=True)
    return target


@contextlib.contextmanager
def _sqlite(folder: Path) -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(folder / "catalog.sqlite")  # foreign keys off, as the CLI has them
    try:
        yield db
        db.commit()
    finally:
        db.close()


def _victim(db: sqlite3.Connection, table: str, case_id: str) -> tuple[str, object]:
    spec = SPECS[table]
    where = "" if spec.scope_column is None else f"WHERE case_id = '{case_id}'"
    row = db.execute(
        f'SELECT "{spec.id_column}" FROM "{table}" {where} ORDER BY rowid LIMIT 1'
    ).fetchone()
    assert row is not None, f"the test vault has no {table} row"
    return spec.id_column, row[0]


def _other_value(db: sqlite3.Connection, table: str, column: str, value: object) -> object:
    if isinstance(value, int):
        return value + (100_000 if column == SPECS[table].id_column else 1)
    if isinstance(value, bytes):
        return bytes([value[0] ^ 1]) + value[1:]
    if column == SPECS[table].id_column:
        return f"{value}"[:-4] + "cafe"
    if value is None or (isinstance(value, str) and len(value) == 24):
        # A reference: point it at another real row, as an attacker would.
        for (other,) in db.execute("SELECT id FROM document UNION ALL SELECT id FROM person"):
            if other != value:
                return other
    if column.endswith("_at"):
        return "2021-03-04 05:06:07.000000"
    if column == "kind":
        swaps = {"term": "rect", "rect": "term", "note": "source"}
        return swaps.get(str(value), "note")
    assert value, (table, column)
    return f"{value}x"


def _attacks() -> list[tuple[str, str, str]]:
    cases: list[tuple[str, str, str]] = []
    for table, spec in sorted(SPECS.items()):
        cases.append((table, "delete", ""))
        cases.append((table, "duplicate", ""))
        for column in spec.columns:
            if column != "case_id":
                cases.append((table, "edit", column))
        if spec.scope_column is not None:
            cases.append((table, "move", ""))
    return cases


def _attack(db: sqlite3.Connection, table: str, how: str, column: str, ids: tuple[str, str]) -> str:
    case_id, other_case = ids
    id_column, row_id = _victim(db, table, case_id)
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
    new_value = _other_value(db, table, column, value)
    db.execute(f'UPDATE {quoted} SET "{column}" = ? WHERE "{id_column}" = ?', (new_value, row_id))
    return str(new_value) if column == id_column else str(row_id)


@pytest.mark.parametrize(("table", "how", "column"), _attacks())
def test_every_change_to_a_row_is_found_and_refused(
    pristine: tuple[Path, str, str], tmp_path: Path, table: str, how: str, column: str
) -> None:
    folder = _copy(pristine, tmp_path)
    case_id, other_case = pristine[1], pristine[2]
    with _sqlite(folder) as db:
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


def test_the_untouched_copy_is_intact(pristine: tuple[Path, str, str], tmp_path: Path) -> None:
    folder = _copy(pristine, tmp_path)
    with Workspace.open(folder, SAMPLE_PASSPHRASE) as ws:
        assert ws.fsck.run().ok
        assert ws.documents.of_case(pristine[1])
