"""A page label is the document's own text (a PDF's /PageLabels): a hit's label naming a
protected person is masked like its title and snippet, on screen, in the CSV and the CLI."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from dossier.services.workspace import Workspace

NAME = "Zéphyrin Barbacane"


def test_a_page_label_naming_a_protected_person_is_masked(
    workspace: Workspace, tmp_path: Path
) -> None:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 100), "Rendez-vous au port de Lisbonne.")
    doc.set_page_labels([{"startpage": 0, "prefix": "Barbacane-", "style": "D", "firstpagenum": 1}])
    pdf = tmp_path / "memo.pdf"
    doc.save(pdf)
    doc.close()
    case = workspace.cases.create("Port").id
    workspace.people.add(case, NAME, protection="protected", pseudonym="Source A")
    workspace.documents.import_file(case, pdf, ocr=False)
    (hit,) = workspace.search.query("Lisbonne", case=case)
    assert "Barbacane" not in hit.page_label and hit.page_label.endswith("-1"), hit.page_label
    (shown,) = workspace.search.query("Lisbonne", case=case, reveal=True)
    assert shown.page_label == "Barbacane-1"
