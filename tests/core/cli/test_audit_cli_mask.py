"""`dossier audit show` masks what people wrote in the trail (a box's reason naming a source),
as the app's audit dialog and every other CLI listing do; `--reveal` shows it and is audited."""

from __future__ import annotations

import json
from pathlib import Path

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.services.workspace import Workspace
from tests.clirun import run_cli
from tests.conftest import PASSPHRASE

NAME = "Philomène Garancière"


def _vault(tmp_path: Path) -> Path:
    folder = tmp_path / "Trail.dossier"
    with Workspace.create(folder, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("Port").id
        ws.people.add(case, NAME, protection="protected", pseudonym="Source A")
        mark = ws.redactions.add_term("Lisbonne", case=case)
        ws.redactions.set_reason(mark.id, f"adresse de {NAME}")
    return folder


def test_audit_show_masks_a_reason_naming_a_protected_person(tmp_path: Path) -> None:
    vault = _vault(tmp_path)
    for extra in ((), ("--json",)):
        result = run_cli(tmp_path, "--vault", str(vault), "audit", "show", *extra)
        assert result.returncode == 0, result.stderr
        assert "redaction.reason" in result.stdout and "Source A" in result.stdout
        assert not any(part in result.stdout for part in NAME.split()), result.stdout
    shown = run_cli(tmp_path, "--vault", str(vault), "audit", "show", "--reveal", "--json")
    assert shown.returncode == 0, shown.stderr
    assert NAME in shown.stdout
    after = run_cli(tmp_path, "--vault", str(vault), "audit", "show", "--json")
    reveals = [e for e in json.loads(after.stdout) if e["action"] == "person.reveal"]
    assert reveals and reveals[-1]["details"]["where"] == "audit show"
