"""Rows put back from a backup copy (each carrying its own valid MAC), or sealed payloads swapped
between rows: never blessed, whether the vault is closed or open when it happens.

The attack an old backup makes possible: a protected person's row as it was before the
journalist raised their protection, or a redaction mark's row before it was widened, put back
in the live catalog; alone, or with its case's inventory row from the same backup."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from dossier.errors import CorruptData
from dossier.services.export.service import ExportRequest
from dossier.services.people.dto import PersonEdit
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE

NAME = "Léontine Marchepied"


def _vault(tmp_path: Path) -> tuple[Path, Path, str, str]:
    """(live vault, backup taken before the protection was raised, case id, person id)."""
    live = tmp_path / "Live.dossier"
    from dossier.crypto.kdf import TEST_ONLY_FAST

    with Workspace.create(live, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("Port").id
        person = ws.people.add(case, NAME, protection="on_record").id
        ws.redactions.add_term("Lisbonne", case=case)
    backup = tmp_path / "Backup.dossier"
    shutil.copytree(live, backup)
    (backup / ".lock").unlink(missing_ok=True)
    with Workspace.open(live, PASSPHRASE) as ws:
        ws.people.update(case, person, PersonEdit(protection="protected"))
    return live, backup, case, person


def _put_back(live: Path, backup: Path, tables: dict[str, str]) -> None:
    """Copy rows (table -> WHERE clause) from the backup's catalog over the live one's."""
    db = sqlite3.connect(live / "catalog.sqlite", timeout=10)
    try:
        db.execute("ATTACH DATABASE ? AS old", (str(backup / "catalog.sqlite"),))
        for table, where in tables.items():
            db.execute(f'DELETE FROM main."{table}" WHERE {where}')
            db.execute(f'INSERT INTO main."{table}" SELECT * FROM old."{table}" WHERE {where}')
        db.commit()
    finally:
        db.close()


def _replays(case: str, person: str) -> dict[str, dict[str, str]]:
    return {
        "the person's old row": {"person": f"id = '{person}'"},
        "with its case's old inventory": {
            "person": f"id = '{person}'",
            "inventory": f"scope = '{case}'",
        },
        "the whole case and its inventory": {
            "person": f"case_id = '{case}'",
            "redaction": f"case_id = '{case}'",
            "inventory": f"scope = '{case}'",
        },
    }


@pytest.mark.parametrize(
    "replay",
    ["the person's old row", "with its case's old inventory", "the whole case and its inventory"],
)
def test_a_row_put_back_from_a_backup_is_refused_closed(tmp_path: Path, replay: str) -> None:
    live, backup, case, person = _vault(tmp_path)
    _put_back(live, backup, _replays(case, person)[replay])
    with Workspace.open(live, PASSPHRASE, strict=False) as ws:
        report = ws.fsck.run()
        assert not report.ok, replay
    with pytest.raises(CorruptData):
        with Workspace.open(live, PASSPHRASE) as ws:
            ws.people.of_case(case)


@pytest.mark.parametrize(
    "replay",
    ["the person's old row", "with its case's old inventory", "the whole case and its inventory"],
)
def test_a_row_put_back_while_open_is_never_signed_nor_exported(
    tmp_path: Path, replay: str
) -> None:
    live, backup, case, person = _vault(tmp_path)
    with Workspace.open(live, PASSPHRASE) as ws:
        ws.people.of_case(case)  # the case checked, its key in memory
        _put_back(live, backup, _replays(case, person)[replay])
        try:
            # Dossier rewrites the row
            ws.people.update(case, person, PersonEdit(notes="vu au port"))
        except CorruptData:
            pass
        with pytest.raises(CorruptData):
            ws.exports.export(ExportRequest(case=case, out=tmp_path / "bundle.zip"))
        assert not (tmp_path / "bundle.zip").exists()
    with Workspace.open(live, PASSPHRASE, strict=False) as ws:
        assert not ws.fsck.run().ok, replay
