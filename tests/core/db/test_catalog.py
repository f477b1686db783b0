"""Sealed catalog rows: nothing in clear, tampering detected, ciphertext bound to its row."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from dossier.db.models import Case, Document, Person
from dossier.errors import CorruptData, NotFoundError
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE


def _db(folder: Path) -> contextlib.closing[sqlite3.Connection]:
    return contextlib.closing(sqlite3.connect(folder / "catalog.sqlite"))


def _add_person(ws: Workspace, case_id: str, name: str) -> str:
    with ws.vault.session() as session:
        person = Person(case_id=case_id)
        person.name = name
        session.add(person)
        session.commit()
        return person.id


def test_names_are_sealed_and_read_back(workspace: Workspace) -> None:
    case = workspace.cases.create("Vidéosurveillance Toulouse", "enquête sur Synopsis")
    pid = _add_person(workspace, case.id, "Hadrien Clouet")
    folder = workspace.folder
    workspace.close()
    with _db(folder) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for path in folder.iterdir():
        if path.is_file():
            data = path.read_bytes()
            for word in (b"Clouet", b"Synopsis", "Vidéosurveillance".encode()):
                assert word not in data, (path, word)
    with Workspace.open(folder, PASSPHRASE) as ws:
        assert ws.cases.get(case.id).description == "enquête sur Synopsis"
        with ws.vault.session() as session:
            assert session.get(Person, pid).name == "Hadrien Clouet"  # type: ignore[union-attr]


def test_flipped_byte_in_a_sealed_value_is_named_by_fsck(workspace: Workspace) -> None:
    case = workspace.cases.create("Case A")
    pid = _add_person(workspace, case.id, "Patrick Léonard")
    folder = workspace.folder
    workspace.close()
    with _db(folder) as db:
        (sealed,) = db.execute("SELECT sealed FROM person WHERE id = ?", (pid,)).fetchone()
        damaged = bytearray(sealed)
        damaged[len(damaged) // 2] ^= 0x04
        db.execute("UPDATE person SET sealed = ? WHERE id = ?", (bytes(damaged), pid))
        db.commit()
    with Workspace.open(folder, PASSPHRASE) as ws:
        report = ws.fsck.run()
        assert not report.ok
        assert any(pid in problem for problem in report.problems), report.problems
        with ws.vault.session() as session:
            person = session.get(Person, pid)
            assert person is not None
            with pytest.raises(CorruptData):
                _ = person.name


def test_ciphertext_moved_to_another_row_fails(workspace: Workspace) -> None:
    case = workspace.cases.create("Case B")
    first = _add_person(workspace, case.id, "Anne Stambach")
    second = _add_person(workspace, case.id, "Christophe Bex")
    folder = workspace.folder
    workspace.close()
    with _db(folder) as db:
        (sealed,) = db.execute("SELECT sealed FROM person WHERE id = ?", (first,)).fetchone()
        db.execute("UPDATE person SET sealed = ? WHERE id = ?", (sealed, second))
        db.commit()
    with pytest.raises(CorruptData, match="altered outside Dossier"):
        with Workspace.open(folder, PASSPHRASE) as ws:
            ws.vault.case_keys(case.id)
    # Below the row MACs, the payload itself is bound to its row.
    with Workspace.open(folder, PASSPHRASE, strict=False) as ws, ws.vault.session() as session:
        assert session.get(Person, first).name == "Anne Stambach"  # type: ignore[union-attr]
        moved = session.get(Person, second)
        assert moved is not None
        with pytest.raises(CorruptData):
            _ = moved.name


def test_case_key_moved_between_cases_fails(workspace: Workspace) -> None:
    a = workspace.cases.create("A")
    b = workspace.cases.create("B")
    folder = workspace.folder
    workspace.close()
    with _db(folder) as db:
        (wrapped,) = db.execute('SELECT wrapped_key FROM "case" WHERE id = ?', (a.id,)).fetchone()
        db.execute('UPDATE "case" SET wrapped_key = ? WHERE id = ?', (wrapped, b.id))
        db.commit()
    with pytest.raises(CorruptData, match="altered or damaged"):
        Workspace.open(folder, PASSPHRASE)
    with Workspace.open(folder, PASSPHRASE, strict=False) as ws:
        report = ws.fsck.run()
        assert any(b.id in p for p in report.problems), report.problems


def test_deleting_a_case_shreds_its_key_and_files(workspace: Workspace, tmp_path: Path) -> None:
    case = workspace.cases.create("To destroy")
    keys = workspace.vault.case_keys(case.id)
    blob_id, _ = workspace.blobs.put_bytes(keys, b"original document bytes")
    assert (workspace.vault.blobs_dir / case.id).is_dir()
    workspace.cases.delete(case.id)
    assert not (workspace.vault.blobs_dir / case.id).exists()
    with pytest.raises(NotFoundError):
        workspace.cases.get(case.id)
    with workspace.vault.session() as session:
        assert session.get(Case, case.id) is None
        assert session.query(Document).count() == 0
    assert blob_id


def test_case_names_unique_and_resolvable(workspace: Workspace) -> None:
    from dossier.errors import UsageError

    case = workspace.cases.create("Synopsis")
    with pytest.raises(UsageError):
        workspace.cases.create("synopsis")
    assert workspace.cases.resolve("SYNOPSIS") == case.id
    assert workspace.cases.resolve(case.id) == case.id
    with pytest.raises(NotFoundError):
        workspace.cases.resolve("nothing")
