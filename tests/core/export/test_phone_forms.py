"""A protected person's phone number is hidden in every form it is written in, not only the one
their record gives.

The record says "06 12 34 56 78"; the source's e-mail signature says "+33 6 12 34 56 78", a
forwarded message "+33 (0)6 12 34 56 78", a contact list "0033612345678". A reader dials any
of them.
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from dossier.redact.patterns import phone_forms
from dossier.services.export.service import ExportRequest
from dossier.services.workspace import Workspace
from tests.recipient import leaks

WRITTEN = [
    "+33 6 12 34 56 78",
    "+33 (0)6 12 34 56 78",
    "0033612345678",
    "06.12.34.56.78",
    "tel:%2B33612345678",
    "6 12 34 56 78",
]


def _mail(body: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Rédaction <redaction@journal.example>"
    message["To"] = "archives@journal.example"
    message["Subject"] = "Signatures"
    message["Date"] = "Tue, 5 Mar 2024 10:00:00 +0100"
    message.set_content(body)
    return message.as_bytes()


@pytest.mark.parametrize("recorded", ["06 12 34 56 78", "+33 6 12 34 56 78"])
def test_a_protected_phone_number_is_hidden_in_each_of_its_forms(
    workspace: Workspace, tmp_path: Path, recorded: str
) -> None:
    case = workspace.cases.create("Téléphones").id
    body = "\n".join(f"Ligne {n} : {number} (portable)" for n, number in enumerate(WRITTEN))
    workspace.documents.import_bytes(case, _mail(body + "\nStandard : 01 45 00 00 00\n"), "m.eml")
    workspace.people.add(case, "Hyacinthe Quartermaine", protection="protected", notes=recorded)
    for number in WRITTEN:
        workspace.quotes.add(case, f"Appelez-moi au {number}, le soir.")
    out = tmp_path / "bundle.zip"
    workspace.exports.export(ExportRequest(case=case, out=out))
    assert leaks(out, [*WRITTEN, "612345678", "6 12 34 56 78"]) == []
    assert leaks(out, ["01 45 00 00 00"]) != []  # another number: not hers


def test_the_forms_of_a_french_number_and_of_others() -> None:
    forms = {"".join(c for c in f if c.isdigit()) for f in phone_forms("06 12 34 56 78")}
    assert forms == {"0612345678", "33612345678", "330612345678", "0033612345678", "612345678"}
    assert phone_forms("+44 20 7946 0958") == ["+44 20 7946 0958"]
