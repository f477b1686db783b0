"""A protected person's phone number, written beside their name in the case's documents, is
theirs: hidden wherever it appears in an export, in every form it is dialled in.

The source's signature says "Hyacinthe Quartermaine" then "Tél. : 06 12 34 56 78"; a contact
list "Quartermaine (portable) : +33 7 98 76 54 32". With the name boxed the number still names
her to anyone who dials it, and the journalist's own note, "rappeler le 06.12.34.56.78", holds
no name at all. The number is learnt where a reader learns it, without the journalist copying
it into the person's record; a number merely near the name in a sentence is not hers.
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from dossier.redact.beside import phones_beside
from dossier.services.export.service import ExportRequest
from dossier.services.workspace import Workspace
from dossier.text.fold import fold_key
from tests.recipient import leaks

SOURCE = "Hyacinthe Quartermaine"
HERS = ["06 12 34 56 78", "+33 6 12 34 56 78", "06.12.34.56.78", "0612345678", "07 98 76 54 32"]
NOT_HERS = ["01 45 00 00 00", "04 72 10 20 30"]


def _mail(body: str) -> bytes:
    message = EmailMessage()
    message["From"] = f"{SOURCE} <hq@exemple.org>"
    message["To"] = "redaction@journal.example"
    message["Subject"] = "Les pièces"
    message["Date"] = "Tue, 5 Mar 2024 10:00:00 +0100"
    message.set_content(body)
    return message.as_bytes()


def test_a_number_written_beside_a_protected_name_is_hidden_everywhere(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = workspace.cases.create("Port").id
    body = (
        "Bonjour, voici les pièces.\n\n"
        f"{SOURCE}\nTél. : 06 12 34 56 78\n\n"
        "Contacts :\nQuartermaine (portable) : 07 98 76 54 32\n"
        "Standard de la mairie : 01 45 00 00 00\n"
        "Quartermaine a appelé la préfecture au 04 72 10 20 30.\n"
    )
    workspace.documents.import_bytes(case, _mail(body), "pieces.eml")
    workspace.people.add(case, SOURCE, protection="protected")
    for number in HERS:
        workspace.quotes.add(case, f"Rappeler le {number} ce soir.")
    workspace.timeline.add_entry(case, when="2024-03-06", title="Appel au +33 7 98 76 54 32")
    out = tmp_path / "bundle.zip"
    workspace.exports.export(ExportRequest(case=case, out=out))
    assert leaks(out, ["Quartermaine", "Hyacinthe", *HERS, "+33 7 98 76 54 32"]) == []
    for number in NOT_HERS:  # other numbers are not hers: they stay
        assert leaks(out, [number]) != [], number


NAMES = {fold_key(name): name for name in [SOURCE, "Hyacinthe", "Quartermaine"]}


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Hyacinthe Quartermaine : 06 12 34 56 78", "06 12 34 56 78"),
        ("Quartermaine, tél. 06 12 34 56 78", "06 12 34 56 78"),
        ("Quartermaine (portable) : +33 6 12 34 56 78", "+33 6 12 34 56 78"),
        ("Hyacinthe Quartermaine\nTél. : 06.12.34.56.78", "06.12.34.56.78"),
        ("Hyacinthe Quartermaine – 06 12 34 56 78", "06 12 34 56 78"),
        ("06 12 34 56 78 (H. Quartermaine)", "06 12 34 56 78"),
        ("Quartermaine a appelé le 06 12 34 56 78", None),
        ("Quartermaine\n06 12 34 56 78", None),
        ("Quartermaine\n\nTél. : 06 12 34 56 78", None),
        ("Dupont : 06 12 34 56 78, Quartermaine", None),
    ],
)
def test_a_number_is_hers_only_when_written_beside_her_name(text: str, number: str | None) -> None:
    found = phones_beside(text, NAMES)
    assert (number in found) if number else not found, found
    if number:
        assert {"0612345678", "+33 612345678"} <= set(found)  # every form it is dialled in


@pytest.mark.parametrize(
    ("text", "hers", "not_hers"),
    [
        (f"{SOURCE}\nJournaliste indépendante\nTél. : 06 12 34 56 78", ["06 12 34 56 78"], []),
        (
            f"{SOURCE}\nJournaliste\nhq@exemple.org\nPortable : 06 12 34 56 78",
            ["06 12 34 56 78"],
            [],
        ),
        (f"{SOURCE}\nTél. : 06 12 34 56 78 / 07 98 76 54 32", HERS[:1] + HERS[-1:], []),
        (f"{SOURCE}\nPortable : 06 12 34 56 78\nFixe : 07 98 76 54 32", HERS[:1] + HERS[-1:], []),
        ("Quartermaine, tél. 06 12 34 56 78 ou 07 98 76 54 32", HERS[:1] + HERS[-1:], []),
        (f"{SOURCE} | 06 12 34 56 78", ["06 12 34 56 78"], []),
        (
            f"{SOURCE}\nTél. : 06 12 34 56 78\nJean Dupont\nTél. : 07 98 76 54 32",
            ["06 12 34 56 78"],
            ["07 98 76 54 32"],
        ),
        ("Quartermaine : 06 12 34 56 78, Dupont : 07 98 76 54 32", HERS[:1], HERS[-1:]),
        (f"{SOURCE}\n\nJournaliste\nTél. : 06 12 34 56 78", [], HERS[:1]),
        (f"{SOURCE}\n12 rue des Lilas\nTél. : 06 12 34 56 78", [], HERS[:1]),
    ],
)
def test_every_number_of_her_signature_or_contact_line_is_hers(
    text: str, hers: list[str], not_hers: list[str]
) -> None:
    """Her signature has her role or her address between her name and "Tél. :", or gives two
    numbers ("06 ... / 07 ...", "Portable : ..." then "Fixe : ..."): only the first number
    right after the name was learnt, the others left in clear. A line holding a number (or a
    street number) between the name and the label is someone else's, or no signature."""
    found = phones_beside(text, NAMES)
    for number in hers:
        assert number in found, (number, found)
    for number in not_hers:
        assert number not in found, (number, found)
