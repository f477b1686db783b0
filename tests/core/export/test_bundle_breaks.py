"""A fresh attacker's reading of a bundle with every feature of the day in use: a case named
after its source, marks with reasons, a protected name glued to letters and broken across
lines in a Word file (and in its headings, list and table), a note and a plain text typeset as
redacted PDFs. Nothing protected, no reason, no marked term may be anywhere a recipient can
decode."""

from __future__ import annotations

from pathlib import Path

import docx

from dossier.services.documents.dto import DocumentEdit
from dossier.services.export.service import ExportRequest
from dossier.services.workspace import Workspace
from tests.recipient import leaks, read_bundle

NAME = "Zéphyrin Barbacane"
REASON = "domicile de la nourrice Ornithorynque"
TERM = "Quai des Brumes"


def _word(path: Path) -> Path:
    document = docx.Document()
    # Typeset as a heading, a list and a ruled table: their words are marked like any other.
    document.add_heading(f"Dossier {NAME}", 1)
    document.add_heading(f"Au {TERM}", 2)
    document.add_paragraph(f"vu au {TERM} avec {NAME}", style="List Bullet")
    document.add_paragraph(f"{NAME.upper()} rappelé", style="List Number")
    table = document.add_table(rows=2, cols=3)
    for row, cells in enumerate([["Qui", "Où", "Quand"], [NAME, TERM, "mardi"]]):
        for column, cell in enumerate(cells):
            table.cell(row, column).text = cell
    document.add_paragraph(f"Compte rendu: {NAME} a parlé. Rendez-vous au {TERM}.")
    document.add_paragraph(f"Copie à BarbacaneZ et aux Barbacanes, signé {NAME.upper()}.")
    document.add_paragraph("Suite " * 40 + f"{NAME.split()[0]}\n{NAME.split()[1]} fin.")
    document.core_properties.author = NAME
    document.core_properties.title = f"Note sur {NAME}"
    document.save(path)
    return path


def test_a_bundle_of_typeset_documents_reveals_no_name_no_reason_no_term(
    workspace: Workspace, tmp_path: Path
) -> None:
    ws = workspace
    case = ws.cases.create(f"Affaire {NAME}").id
    ws.people.add(case, NAME, protection="protected", pseudonym="Source A")
    word = ws.documents.import_file(case, _word(tmp_path / "compte-rendu.docx"))
    text = tmp_path / f"notes {NAME}.txt"
    text.write_text(f"{NAME} habite {TERM}.\n{NAME.split()[1]}'s cousin called.\n", "utf-8")
    plain = ws.documents.import_file(case, text)
    ws.documents.update(plain.id, DocumentEdit(title=f"Appel de {NAME}"))
    mark = ws.redactions.add_term(TERM, case=case)
    ws.redactions.set_reason(mark.id, REASON)
    out = tmp_path / "bundle.zip"
    result = ws.exports.export(ExportRequest(case=case, out=out))
    assert {d.doc_id for d in result.documents} == {word.id, plain.id}
    secrets = [*NAME.split(), TERM, "Ornithorynque", "nourrice", "Barbacanes", "BarbacaneZ"]
    assert leaks(out, secrets) == [], sorted(read_bundle(out))
    blob = " ".join(read_bundle(out).values()).casefold()
    assert "barbacane" not in blob and "zephyrin" not in blob and "zéphyrin" not in blob
    names = " ".join(read_bundle(out)).casefold()
    assert "barbacane" not in names and "zéphyrin" not in names, names
    # The structure's own words are still there around the boxes.
    assert "qui" in blob and "mardi" in blob and "rappel" in blob
