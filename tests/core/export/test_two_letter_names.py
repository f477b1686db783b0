"""A protected person's two-letter surname ("Li", "Bâ", "Lê") is masked alone, like any other
part of their name, wherever the case writes it and in every form of export.

Found by attack: with "Wei Li" protected, "M. Li a confirmé…", "LI" and "Li's office" left a
redacted bundle whole, and its self-check passed: a name part needed three letters, in the
gate, the marks and the self-check alike.
"""

from __future__ import annotations

import json
import re
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.export.transport import read_sealed_bundle
from dossier.redact import masking
from dossier.redact.bundlecheck import Watchlist
from dossier.redact.shortnames import ShortFinder
from dossier.services.export.dto import ExportRequest
from dossier.services.export.service import SelfCheckFailed
from dossier.services.workspace import Workspace
from tests.core.export.checked import findings_in
from tests.core.redact.test_names_in_pictures import _tessdata
from tests.core.services.documents.test_attachments import docx_bytes
from tests.pdfgen import text_page, write_pdf
from tests.recipient import fold, read_as_written, seen_in_pictures

PEOPLE = (("Wei Li", "Source A"), ("Thi Lê", "Source B"), ("Amadou Bâ", "Source C"))
WRITTEN = re.compile(r"(?<!\w)(?:Li|LI|Lê|LÊ|Bâ|BÂ|Ba|BA|Mme Le)(?!\w)")
"""The parts as the case writes them (a recipient reads "Li" and "LI" as the name, "li" as an
HTML tag, and "Le" as an article but for "Mme Le")."""
PAGE = (
    "M. Li a confirmé le versement du 3 mars.",
    "Le dossier de LI est clos depuis avril.",
    "Selon Lê, Bâ a signé le contrat de vente.",
    "Le témoin principal reste Li",  # the part at a line's end
    "et il parlera devant le juge.",
    "BÂ ET LÊ SONT CONVOQUÉS LUNDI.",
    "Mme Le a refusé de répondre et le paiement de Ba est arrivé.",
)
KEPT = ("a confirmé le versement", "a signé le contrat de vente", "Le dossier de")


def _mail() -> bytes:
    message = EmailMessage()
    message["From"] = "Bâ <contact@relais.example>"
    message["To"] = "redaction@journal.example"
    message["Subject"] = "Rendez-vous avec Li"
    message["Date"] = "Tue, 5 Mar 2024 10:00:00 +0100"
    message.set_content("Lê viendra aussi.\n")
    message.add_attachment(
        "Li a appelé deux fois.\n".encode(),
        maintype="text",
        subtype="plain",
        filename="notes de Li.txt",
    )
    return message.as_bytes()


def _case(ws: Workspace, folder: Path) -> str:
    case = ws.cases.create("Affaire du port").id
    pdf = write_pdf(folder / "temoignage.pdf", [text_page(*PAGE)])
    doc = ws.documents.import_file(case, pdf, title="Entretien Li")
    documents = ws.documents
    documents.import_bytes(
        case, docx_bytes("Li’s office confirmed the transfer.", "Mme Lê answered."), "bureau.docx"
    )
    documents.import_bytes(
        case, "# Rencontre avec Bâ\n\nBâ a tout raconté à Li.\n".encode(), "r.md"
    )
    documents.import_bytes(case, _mail(), "rdv.eml")
    for name, pseudonym in PEOPLE:
        ws.people.add(case, name, protection="protected", pseudonym=pseudonym)
    ws.people.add(case, "Paul Ravenne", role="official")
    ws.people.add(case, "Jeanne Rédac", role="journalist")
    ws.quotes.add(case, "M. Li a confirmé le versement", source=doc.id)
    ws.letters.add(
        case,
        sender="Jeanne Rédac",
        recipients=["Paul Ravenne"],
        questions=["Bâ a-t-il signé le contrat ?", "Où est Lê ?"],
        sent_on="2024-03-05",
        subject="Questions à M. Li",
    )
    ws.timeline.add_entry(case, when="2024-03-04", title="Appel de LI")
    return case


def _shown(texts: dict[str, str]) -> list[str]:
    """'file: part' for each part a recipient reads in the bundle."""
    found = [f"{name}: {m[0]}" for name, text in texts.items() for m in WRITTEN.finditer(text)]
    # File names are written in lower case: "li" there is the name too.
    names = f" {fold(texts['(file names)'])} "
    found += [f"(file names): {part}" for part in ("li", "ba") if f" {part} " in names]
    return found


@pytest.mark.parametrize("form", ["plain", "rasterized", "sealed"])
def test_a_two_letter_surname_leaves_in_no_form_of_export(
    workspace: Workspace, tmp_path: Path, form: str
) -> None:
    case = _case(workspace, tmp_path)
    out = tmp_path / "out.zip"
    request = ExportRequest(
        case=case,
        out=out,
        rasterize_redacted=form == "rasterized",
        bundle_passphrase="voyage sûr" if form == "sealed" else None,
        kdf=TEST_ONLY_FAST,
    )
    result = workspace.exports.export(request)
    assert result.selfcheck.ok, result.selfcheck.findings
    data = read_sealed_bundle(out, "voyage sûr") if form == "sealed" else out.read_bytes()
    texts = read_as_written(data)
    assert _shown(texts) == []
    # The address written beside the name in the mail's header is the person's too.
    assert [name for name, text in texts.items() if "contact@relais" in text] == []
    # Only the names went: the words around them stay.
    everything = " ".join(texts.values())
    for words in KEPT:
        assert words in everything, words
    assert "Source A" in texts["quotes.csv"] and "Source C" in texts["letters.csv"]


@pytest.mark.slow
def test_the_rasterized_page_shows_no_two_letter_surname(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = _case(workspace, tmp_path)
    out = tmp_path / "out.zip"
    workspace.exports.export(ExportRequest(case=case, out=out, rasterize_redacted=True))
    with zipfile.ZipFile(out) as archive:
        (page,) = [name for name in archive.namelist() if "entretien" in name]
        seen = seen_in_pictures(archive.read(page), _tessdata())
    assert [m[0] for text in seen for m in WRITTEN.finditer(text)] == []
    assert any("versement" in text for text in seen), seen[:1]


def test_a_bypassed_gate_is_caught_by_the_self_check(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _case(workspace, tmp_path)
    # The texts' masker (the gate's and the screen's) blind to two-letter parts.
    monkeypatch.setattr(masking, "ShortFinder", lambda parts: ShortFinder(()))
    out = tmp_path / "out.zip"
    with pytest.raises(SelfCheckFailed) as caught:
        workspace.exports.export(ExportRequest(case=case, out=out))
    files = {f.file for f in caught.value.report.findings}
    assert {"letters.csv", "timeline.csv", "manifest.json", "index.html"} <= files
    assert not out.exists()


def test_the_self_check_finds_a_two_letter_surname_on_its_own() -> None:
    watch = Watchlist(people=[(f"person {name}", [name]) for name, _ in PEOPLE])
    bundle = {
        "letters.csv": "subject\nQuestions à M. Li\n",
        "timeline.csv": "title\nAppel de LI\n",
        "index.html": "<ul><li>Selon Lê, rien.</li></ul>",
        "manifest.json": json.dumps({"title": "Rencontre avec Bâ"}),
        "people.csv": "name,note\nle li du texte,Le rapport\n<li>Le lendemain</li>\n",
    }
    found = {(f.file, f.what) for f in findings_in(bundle, watch)}
    assert found == {
        ("letters.csv", "person Wei Li"),
        ("timeline.csv", "person Wei Li"),
        ("index.html", "person Thi Lê"),
        ("manifest.json", "person Amadou Bâ"),
    }
