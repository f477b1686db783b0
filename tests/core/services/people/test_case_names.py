"""A case named after a protected person: its name is masked on screen and in exports.

Found as the last gap of the protection issue: "Affaire Quartermaine" stood in the case list,
`dossier case list`, and the app's dialogs, while every document of the case showed "Source A".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.services.export.dto import ExportRequest
from dossier.services.workspace import Workspace
from tests.clirun import run_cli
from tests.core.db.tampering import attacker
from tests.pdfgen import text_page, write_pdf
from tests.recipient import read_bundle

PROTECTED = "Wilhelmina Quartermaine"
NAME = "Affaire Quartermaine"


def _case(ws: Workspace, name: str = NAME) -> str:
    case = ws.cases.create(name, description=f"Les notes de {PROTECTED}")
    ws.people.add(case.id, PROTECTED, protection="protected", pseudonym="Source A")
    return case.id


def _leaks(text: str) -> bool:
    folded = text.casefold()
    return "quartermaine" in folded or "wilhelmina" in folded


def test_the_case_list_and_the_case_show_the_pseudonym(workspace: Workspace) -> None:
    case_id = _case(workspace)
    glued = _case(workspace, "Suivi QuartermaineW")
    # A case with no people of its own: the name is protected in another case of the vault.
    other = workspace.cases.create("Rencontre avec Quartermaine").id
    listed = {c.id: c for c in workspace.cases.all()}
    assert listed[case_id].name == "Affaire Source A"
    for info in [*listed.values(), workspace.cases.get(case_id), workspace.cases.get(other)]:
        assert not _leaks(info.name) and not _leaks(info.description), info
    assert listed[glued].name == "Suivi Source A"


def test_a_revealed_case_shows_its_own_people_only_and_a_reveal_is_audited(
    workspace: Workspace,
) -> None:
    case_id = _case(workspace)
    other = workspace.cases.create("Rencontre avec Quartermaine").id
    workspace.screen.reveal(case_id)
    listed = {c.id: c.name for c in workspace.cases.all()}
    assert listed[case_id] == NAME
    assert not _leaks(listed[other])  # revealing one case reveals nothing of another
    workspace.screen.hide(case_id)
    revealed = {c.id: c.name for c in workspace.cases.all(reveal=True)}
    assert revealed[other] == "Rencontre avec Quartermaine"
    places = [
        r.details.get("where") for r in workspace.audit.records() if r.action == "person.reveal"
    ]
    assert "case list" in places


def test_a_name_sent_back_masked_keeps_the_real_name(workspace: Workspace) -> None:
    """The app's inspector shows the masked name and sends it back when something else is
    edited: the real name must stay; a name the user really changed is stored."""
    case_id = _case(workspace)
    shown = workspace.cases.get(case_id)
    workspace.cases.update(
        case_id, name=shown.name, description=shown.description, status="published"
    )
    workspace.screen.reveal(case_id)
    kept = workspace.cases.get(case_id)
    assert (kept.name, kept.description) == (NAME, f"Les notes de {PROTECTED}")
    workspace.cases.update(case_id, name="Affaire du port")
    assert workspace.cases.get(case_id).name == "Affaire du port"


def test_the_cli_lists_cases_masked_unless_revealed(
    workspace: Workspace, vault_path: Path, tmp_path: Path
) -> None:
    _case(workspace)
    workspace.close()
    listed = run_cli(tmp_path, "--vault", str(vault_path), "case", "list")
    assert listed.returncode == 0 and "Affaire Source A" in listed.stdout
    assert not _leaks(listed.stdout + listed.stderr)
    as_json = run_cli(tmp_path, "--vault", str(vault_path), "case", "list", "--json")
    assert as_json.returncode == 0 and not _leaks(as_json.stdout)
    revealed = run_cli(tmp_path, "--vault", str(vault_path), "case", "list", "--reveal")
    assert revealed.returncode == 0 and NAME in revealed.stdout


@pytest.mark.parametrize("damage", ["a flipped bit", "a payload made text"])
def test_a_case_whose_people_cannot_be_read_is_listed_by_its_id(
    workspace: Workspace, vault_path: Path, damage: str
) -> None:
    """An altered case must not take the list down, nor show a name it cannot mask."""
    case_id = _case(workspace)
    fine = workspace.cases.create("Affaire du port").id
    with attacker(vault_path) as db:
        (row_id, sealed) = db.execute("SELECT id, sealed FROM person").fetchone()
        if damage == "a flipped bit":
            db.execute(
                "UPDATE person SET sealed = ? WHERE id = ?",
                (sealed[:20] + bytes([sealed[20] ^ 1]) + sealed[21:], row_id),
            )
        else:  # text that is not UTF-8: SQLite itself cannot hand it back
            db.execute("UPDATE person SET sealed = CAST(? AS TEXT) WHERE id = ?", (sealed, row_id))
    listed = {c.id: c.name for c in workspace.cases.all()}
    assert listed[fine] == "Affaire du port"
    assert case_id[:8] in listed[case_id] and not _leaks(listed[case_id])


def test_the_export_masks_the_case_name_and_a_term_in_it(
    workspace: Workspace, tmp_path: Path
) -> None:
    case_id = _case(workspace, "Affaire Quartermaine et Opération Castor")
    workspace.redactions.add_term("Opération Castor", case=case_id)
    pdf = write_pdf(tmp_path / "note.pdf", [text_page("Rien de particulier ce jour.")])
    workspace.documents.import_file(case_id, pdf, title="Note")
    out = tmp_path / "out.zip"
    result = workspace.exports.export(ExportRequest(case=case_id, out=out))
    assert result.selfcheck.ok
    bundle = read_bundle(out)
    for name, text in bundle.items():
        assert not _leaks(text) and "castor" not in text, name
    assert (
        "affaire source a" in bundle["manifest.json"] and "affaire source a" in bundle["index.html"]
    )
