"""The catalog as an attacker without the key edits it: a vault to attack and the edits.

Shared by the attacks on a closed vault (`test_row_tampering.py`) and on a vault Dossier has
open (`test_tamper_while_open.py`).
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from dossier.db.models import Note, Person
from dossier.db.rowauth import SPECS
from dossier.sample.build import SAMPLE_PASSPHRASE
from dossier.services.workspace import Workspace
from tests.samplevault import sample_copy

Pristine = tuple[Path, str, str]
"""(vault folder, sample case id, second case id)."""


@contextlib.contextmanager
def pristine_sample(factory: pytest.TempPathFactory) -> Iterator[Pristine]:
    """The sample case (every table but notes), plus a note and a second case."""
    with sample_copy(factory) as built:
        with Workspace.open(built.folder, SAMPLE_PASSPHRASE) as ws:
            other = ws.cases.create("Other case").id
            with ws.vault.session() as session:
                note = Note(case_id=built.case_id)
                note.title = "Appeler la source"
                session.add(note)
                person = Person(case_id=other)
                person.name = "Someone Else"
                session.add(person)
                session.commit()
        yield built.folder, built.case_id, other


def copy_vault(pristine: Pristine, tmp_path: Path) -> Path:
    target = tmp_path / "Attacked.dossier"
    shutil.copytree(pristine[0], target)
    (target / ".lock").unlink(missing_ok=True)
    return target


@contextlib.contextmanager
def attacker(folder: Path) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection to the catalog, foreign keys off, as the sqlite3 CLI has it."""
    db = sqlite3.connect(folder / "catalog.sqlite", timeout=10)
    try:
        yield db
        db.commit()
    finally:
        db.close()


def victim(db: sqlite3.Connection, table: str, case_id: str) -> tuple[str, object]:
    """(id column, id) of the first row of `table` in the case (or in the vault)."""
    spec = SPECS[table]
    where = "" if spec.scope_column is None else f"WHERE case_id = '{case_id}'"
    row = db.execute(
        f'SELECT "{spec.id_column}" FROM "{table}" {where} ORDER BY rowid LIMIT 1'
    ).fetchone()
    assert row is not None, f"the test vault has no {table} row"
    return spec.id_column, row[0]


def other_value(db: sqlite3.Connection, table: str, column: str, value: object) -> object:
    """A plausible different value for a column, as an attacker would choose it."""
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
