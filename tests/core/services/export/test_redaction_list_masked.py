"""The list of redaction marks shows a protected person's name only when revealed.

The attack: the sample (and any careful journalist) adds the source's surname as a term mark;
`dossier redact list` and the app's redactions tab then printed the surname, unmasked and
unaudited, on a screen where every other view shows the pseudonym.
"""

from __future__ import annotations

from pathlib import Path

from dossier.services.workspace import Workspace
from dossier.text.fold import contains_term
from tests.clivault import CliVault

CASE = "Affaire"
NAME = "Wilhelmina Quartermaine"


def _leaks(text: str) -> bool:
    return any(contains_term(text, part) for part in ("Wilhelmina", "Quartermaine"))


def test_term_marks_naming_a_protected_person_are_masked_unless_revealed(
    workspace: Workspace,
) -> None:
    ws = workspace
    ws.cases.create(CASE)
    ws.people.add(CASE, NAME, role="source", protection="protected", pseudonym="Source A")
    ws.redactions.add_term("Quartermaine", case=CASE, reason="protège W. Quartermaine")
    shown = ws.redactions.shown(CASE)
    assert [m.term for m in shown] == ["Source A"]
    assert not _leaks(repr(shown))
    # What an export applies is the real term.
    assert [m.term for m in ws.redactions.of_case(CASE)] == ["Quartermaine"]
    revealed = ws.redactions.shown(CASE, reveal=True)
    assert [m.term for m in revealed] == ["Quartermaine"]
    reveals = [r.details for r in ws.audit.records() if r.action == "person.reveal"]
    assert [d["where"] for d in reveals] == ["redaction marks"]


def test_redact_list_on_the_command_line_is_masked(tmp_path: Path) -> None:
    vault = CliVault(tmp_path, "v.dossier")
    vault.ok("init")
    vault.ok("case", "create", CASE)
    vault.ok("person", "add", "--case", CASE, NAME, "--protection", "protected")
    vault.ok("redact", "add", "--case", CASE, "--term", "Quartermaine")
    for args in ((), ("--json",)):
        assert not _leaks(vault.ok("redact", "list", "--case", CASE, *args)), args
    assert _leaks(vault.ok("redact", "list", "--case", CASE, "--reveal"))
