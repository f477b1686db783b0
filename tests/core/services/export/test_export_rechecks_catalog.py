"""An export checks the catalog again, not only when the case was first opened.

The attack: the app is open on a case (checked at its first use); meanwhile the redaction mark
over a passage is deleted from catalog.sqlite with `sqlite3`; the export then shipped the text
under it, since the check was made once per session.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from dossier.errors import CorruptData
from dossier.services.export.dto import ExportRequest
from dossier.services.workspace import Workspace
from tests.pdfgen import text_pdf

CASE = "Affaire"


def test_a_mark_deleted_while_the_vault_is_open_stops_the_export(
    workspace: Workspace, vault_path: Path, tmp_path: Path
) -> None:
    ws = workspace
    ws.cases.create(CASE)
    pdf = text_pdf(tmp_path / "memo.pdf", "Le chantier du dépôt a commencé en mars.")
    ws.documents.import_file(CASE, pdf)
    ws.redactions.add_term("chantier", case=CASE)
    assert ws.redactions.of_case(CASE)
    db = sqlite3.connect(vault_path / "catalog.sqlite")
    db.execute("DELETE FROM redaction")
    db.commit()
    db.close()
    out = tmp_path / "bundle.zip"
    with pytest.raises(CorruptData, match="redaction"):
        ws.exports.export(ExportRequest(case=CASE, out=out))
    assert not out.exists()
