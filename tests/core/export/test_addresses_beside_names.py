"""A protected person's e-mail address, written beside their name in the case's documents, is
theirs: hidden wherever it appears in an export, as the name is.

The source writes from their own mailbox: "From: Hyacinthe Quartermaine <hq@exemple.org>".
With the name boxed, "From: ████ <hq@exemple.org>" still names them to anyone who can ask the
provider; and the journalist's reply, "To: hq@exemple.org", holds no name at all. The address is
learnt from where a reader learns it (beside the name: `Name <address>`, `"Name" <address>`,
`Name [mailto:address]`, `address (Name)`), without the journalist copying it into the person's
record.
"""

from __future__ import annotations

import io
from email.message import EmailMessage
from pathlib import Path

import docx
import pytest

from dossier.redact.beside import addresses_beside
from dossier.services.export.service import ExportRequest
from dossier.services.workspace import Workspace
from dossier.text.fold import fold_key
from tests.recipient import leaks

SOURCE = "Hyacinthe Quartermaine"
ADDRESSES = [
    "hq@exemple.org",
    "h.q.perso@courriel.fr",
    "hyq@travail.example",
    "cellule.x@quai.example",
]


def _mail(sender: str, to: str, subject: str, body: str) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = "Tue, 5 Mar 2024 10:00:00 +0100"
    message.set_content(body)
    return message.as_bytes()


def _case(workspace: Workspace) -> str:
    case = workspace.cases.create("Port").id
    documents = workspace.documents
    documents.import_bytes(
        case,
        _mail(
            f"{SOURCE} <hq@exemple.org>",
            "redaction@journal.example",
            "Les pièces du port",
            "Bonjour, voici les pièces.\n\n"
            "-----Original Message-----\n"
            "From: Quartermaine, Hyacinthe [mailto:h.q.perso@courriel.fr]\n"
            "Sent: Monday, March 4, 2024\n",
        ),
        "pieces.eml",
    )
    documents.import_bytes(
        case,
        _mail(
            "Rédaction <redaction@journal.example>",
            "hq@exemple.org",
            "Re: Les pièces du port",
            "Merci. Pouvez-vous écrire à hyq@travail.example demain ?",
        ),
        "reponse.eml",
    )
    note = docx.Document()
    note.add_paragraph(f'Contact : "{SOURCE}" <hyq@travail.example> pour la suite.')
    note.add_paragraph("Autre canal : cellule.x@quai.example (H. Quartermaine).")
    data = io.BytesIO()
    note.save(data)
    documents.import_bytes(case, data.getvalue(), "note.docx")
    workspace.people.add(case, SOURCE, protection="protected")
    return case


def test_an_address_written_beside_a_protected_name_is_hidden_everywhere(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = _case(workspace)
    for address in ADDRESSES:
        workspace.quotes.add(case, f"Écrivez-moi à {address} si besoin.")
    out = tmp_path / "bundle.zip"
    workspace.exports.export(ExportRequest(case=case, out=out))
    assert leaks(out, ["Quartermaine", "Hyacinthe", *ADDRESSES]) == []
    # Other addresses are not hers: they stay.
    assert leaks(out, ["redaction@journal.example"]) != []


NAMES = {fold_key(name): name for name in ["Hyacinthe Quartermaine", "Hyacinthe", "Quartermaine"]}


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("From: Hyacinthe Quartermaine <hq@exemple.org>", "hq@exemple.org"),
        ('De : "QUARTERMAINE, Hyacinthe" [mailto:hq@exemple.org]', "hq@exemple.org"),
        ("Cc: «Quartermaine» <hq@exemple.org>, x@y.example", "hq@exemple.org"),
        ("écrire à hq@exemple.org (H. Quartermaine) demain", "hq@exemple.org"),
        ("<hq@exemple.org> (Quartermaine)", "hq@exemple.org"),
        ("Contact : Quartermaine, hq@exemple.org", "hq@exemple.org"),
        # A mail client wraps a long attribution inside the brackets, or folds a header
        # before them: the bracket opened beside the name still says whose address it is.
        (
            "On Mon, Mar 4, 2024 at 10:12 AM Hyacinthe Quartermaine <\nhq@exemple.org> wrote:",
            "hq@exemple.org",
        ),
        ("From: Hyacinthe Quartermaine\r\n <hq@exemple.org>", "hq@exemple.org"),
        ("> De : Quartermaine, Hyacinthe [mailto:\n> hq@exemple.org]", "hq@exemple.org"),
        ("Quartermaine a écrit à contact@mairie.example", None),
        ("Quartermaine\n\n<contact@mairie.example>", None),
        ("Quartermaine\ncontact@mairie.example", None),
        ("x@mairie.example (Dupont) et Quartermaine", None),
        ("Dupont <x@mairie.example>, Quartermaine", None),
    ],
)
def test_an_address_is_hers_only_when_written_beside_her_name(
    text: str, address: str | None
) -> None:
    found = addresses_beside(text, NAMES)
    assert list(found) == ([address] if address else [])


def test_the_preview_of_a_message_boxes_the_address_beside_the_name(
    workspace: Workspace,
) -> None:
    case = workspace.cases.create("Aperçu").id
    data = _mail(f"{SOURCE} <hq@exemple.org>", "redaction@journal.example", "Pièces", "Voici.")
    info = workspace.documents.import_bytes(case, data, "pieces.eml")
    workspace.people.add(case, SOURCE, protection="protected")
    (page,) = workspace.documents.pages(info.id)
    marked = {page.text[s:e] for s, e in workspace.previews.marks(info.id).spans[0]}
    assert "hq@exemple.org" in marked
    assert not any("journal" in text for text in marked)
