"""A letter's deadline in working days follows its recipient's jurisdiction; letters written
before jurisdictions existed keep metropolitan France."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.db.models import Letter
from dossier.errors import UsageError
from dossier.services.letters.dto import LetterEdit
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE, run_cli


def _people(ws: Workspace, case: str) -> None:
    ws.people.add(case, "Hadrien Clouet", role="elected")
    ws.people.add(case, "Préfecture de la Moselle", role="official", aliases=["Préfecture 57"])


def test_deadline_follows_the_recipients_jurisdiction(workspace: Workspace) -> None:
    ws = workspace
    case = ws.cases.create("Metz").id
    _people(ws, case)
    common = {
        "sender": "Hadrien Clouet",
        "recipients": ["Préfecture 57"],
        "sent_on": "2024-03-28",
        "deadline_days": 2,
        "working_days": True,
    }
    paris = ws.letters.add(case, **common)  # type: ignore[arg-type]
    metz = ws.letters.add(case, jurisdiction="fr-am", **common)  # type: ignore[arg-type]
    assert (paris.jurisdiction, paris.deadline) == ("FR", "2024-04-02")
    assert (metz.jurisdiction, metz.deadline) == ("FR-AM", "2024-04-03")
    assert metz.jurisdiction_label == "France: Alsace-Moselle"
    assert metz.deadline_holidays == [
        ("2024-03-29", "Vendredi saint"),
        ("2024-04-01", "Lundi de Pâques"),
    ]
    moved = ws.letters.edit(paris.id, LetterEdit(jurisdiction="BE"))
    assert (moved.jurisdiction, moved.deadline) == ("BE", "2024-04-02")
    with pytest.raises(UsageError, match="unknown jurisdiction"):
        ws.letters.edit(paris.id, LetterEdit(jurisdiction="Atlantis"))
    with pytest.raises(UsageError, match="unknown jurisdiction"):
        ws.letters.add(case, jurisdiction="XX", **common)  # type: ignore[arg-type]


def test_a_letter_from_before_jurisdictions_keeps_metropolitan_france(
    workspace: Workspace,
) -> None:
    ws = workspace
    case = ws.cases.create("Metz").id
    _people(ws, case)
    letter = ws.letters.add(
        case,
        sender="Hadrien Clouet",
        recipients=["Préfecture 57"],
        sent_on="2024-12-23",
        deadline_days=3,
        working_days=True,
        jurisdiction="FR-AM",
    )
    assert letter.deadline == "2024-12-30"
    with ws.vault.session() as session:
        row = session.get(Letter, letter.id)
        assert row is not None
        row.jurisdiction = None  # as a letter written by an earlier version has it
        session.commit()
    old = ws.letters.get(letter.id)
    assert (old.jurisdiction, old.deadline) == ("FR", "2024-12-27")
    assert old.deadline_holidays == [("2024-12-25", "Noël")]


def test_cli_shows_the_jurisdiction_and_lists_the_holidays(
    tmp_path: Path, vault_path: Path
) -> None:
    with Workspace.create(vault_path, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("Metz").id
        _people(ws, case)

    def cli(*args: str) -> str:
        result = run_cli(tmp_path, "--vault", str(vault_path), *args)
        assert result.returncode == 0, result.stderr
        return result.stdout

    added = cli("letter", "add", "--case", "Metz", "--from", "Hadrien Clouet", "--to",
                "Préfecture 57", "--sent", "2024-05-07", "--deadline-days", "10",
                "--working-days", "--jurisdiction", "FR-AM", "--json")  # fmt: skip
    letter = json.loads(added)
    assert (letter["deadline"], letter["jurisdiction"]) == ("2024-05-24", "FR-AM")
    shown = cli("letter", "show", letter["id"][:6], "--holidays")
    assert "reply by 2024-05-24 (10 working days, France: Alsace-Moselle)" in shown
    for line in ("holiday 2024-05-08 Fête de la Victoire", "holiday 2024-05-09 Ascension",
                 "holiday 2024-05-20 Lundi de Pentecôte"):  # fmt: skip
        assert line in shown
    assert "holiday" not in cli("letter", "show", letter["id"][:6])
    listed = cli("letter", "jurisdictions")
    assert "CA-QC    Canada: Québec" in listed and "(default FR)" in listed
    refused = run_cli(tmp_path, "--vault", str(vault_path), "letter", "edit", letter["id"][:6],
                      "--jurisdiction", "Atlantis")  # fmt: skip
    assert refused.returncode == 2 and "unknown jurisdiction" in refused.stderr
    assert "Traceback" not in refused.stderr
