"""`dossier rekey`: its exit codes, its output, and the warning an interrupted one leaves."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from dossier.services import keyrotation, rekey
from dossier.services.dto import Journal
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE, run_cli


def _vault(tmp_path: Path) -> Path:
    vault = tmp_path / "v.dossier"
    assert run_cli(tmp_path, "--vault", str(vault), "init").returncode == 0
    note = tmp_path / "note.txt"
    note.write_text("Le rapport dit tout.", encoding="utf-8")
    for name in ("Un", "Deux"):
        assert run_cli(tmp_path, "--vault", str(vault), "case", "create", name).returncode == 0
        imported = run_cli(tmp_path, "--vault", str(vault), "import", "--case", name, str(note))
        assert imported.returncode == 0, imported.stderr
    return vault


def test_rekey_exit_0_then_everything_reads_and_fsck_is_clean(tmp_path: Path) -> None:
    vault = _vault(tmp_path)
    done = run_cli(tmp_path, "--vault", str(vault), "rekey", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "cases": 2, "documents": 2, "pages": 2, "originals": 2, "resumed": False
    }  # fmt: skip
    one = run_cli(tmp_path, "--vault", str(vault), "rekey", "--case", "Un")
    assert one.returncode == 0 and "re-encrypted 1 case(s)" in one.stdout
    assert run_cli(tmp_path, "--vault", str(vault), "fsck").returncode == 0
    found = run_cli(tmp_path, "--vault", str(vault), "search", "rapport", "--json")
    assert found.returncode == 0 and len(json.loads(found.stdout)) == 2


def test_rekey_refuses_a_tampered_case_with_exit_5(tmp_path: Path) -> None:
    vault = _vault(tmp_path)
    with sqlite3.connect(vault / "catalog.sqlite") as db:
        db.execute("UPDATE page SET page_index = 7")
    refused = run_cli(tmp_path, "--vault", str(vault), "rekey")
    assert refused.returncode == 5
    assert "Traceback" not in refused.stderr and refused.stderr.startswith("dossier: ")


def test_rekey_with_a_wrong_passphrase_exits_3(tmp_path: Path) -> None:
    vault = _vault(tmp_path)
    assert (
        run_cli(tmp_path, "--vault", str(vault), "rekey", passphrase="wrong one!").returncode == 3
    )


def test_an_interrupted_rekey_is_named_at_every_open_until_finished(tmp_path: Path) -> None:
    vault = _vault(tmp_path)
    with Workspace.open(vault, PASSPHRASE) as ws:
        # The journal's first state: master replaced, no case begun (a kill right after).
        journal = Journal(todo=[c.id for c in ws.cases.all()])
        journal.started = list(journal.todo)
        keyrotation.rotate_master(
            ws, PASSPHRASE, action="vault.rekey.start", also=lambda s: rekey._save(s, journal)
        )
    listed = run_cli(tmp_path, "--vault", str(vault), "case", "list")
    assert listed.returncode == 0
    assert "re-encryption of the vault was interrupted: 2 case(s)" in listed.stderr
    finished = run_cli(tmp_path, "--vault", str(vault), "rekey")
    assert finished.returncode == 0
    assert "finished an interrupted re-encryption" in finished.stdout
    again = run_cli(tmp_path, "--vault", str(vault), "case", "list")
    assert "interrupted" not in again.stderr
