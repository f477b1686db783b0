"""Notes on a passage: anchored where written, sealed (the document they are on included),
masked on the way out, refused with one sentence when empty or off the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.errors import UsageError
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.pdfgen import text_pdf

TEXT = "Claire Dumas a confirmé la date du marché public."


def test_notes_are_anchored_sealed_and_masked(workspace: Workspace, tmp_path: Path) -> None:
    ws = workspace
    case_id = ws.cases.create("Notes").id
    ws.people.add(case_id, "Claire Dumas", protection="protected", pseudonym="Source A")
    doc = ws.documents.import_file(case_id, text_pdf(tmp_path / "a.pdf", TEXT), ocr=False)
    page = ws.documents.page(doc.id, 0).text
    start = page.index("Claire")
    end = page.index("confirmé") + len("confirmé")
    with pytest.raises(UsageError):
        ws.notes.add_on_span(doc.id, 0, start, end, "   ")
    with pytest.raises(UsageError):
        ws.notes.add_on_span(doc.id, 0, start, len(page) + 5, "hors page")
    note = ws.notes.add_on_span(doc.id, 0, start, end, "Rappeler Claire Dumas lundi")
    assert note.excerpt == "Claire Dumas a confirmé"
    (shown,) = ws.notes.of_document(doc.id)
    assert (shown.excerpt, shown.body) == ("Source A a confirmé", "Rappeler Source A lundi")
    # The masked text sent back untouched keeps the real name.
    ws.notes.edit(note.id, shown.body)
    assert ws.notes.of_document(doc.id, reveal=True)[0].body == "Rappeler Claire Dumas lundi"
    folder = ws.folder
    ws.close()
    assert not any(b"Rappeler" in p.read_bytes() for p in folder.rglob("*") if p.is_file())
    ws = Workspace.open(folder, PASSPHRASE)
    try:
        assert [n.id for n in ws.notes.of_document(doc.id)] == [note.id]
        ws.notes.delete(note.id)
        assert ws.notes.of_document(doc.id) == []
        actions = [r.action for r in ws.audit.records(case_id)]
        assert [a for a in actions if a.startswith("note.")] == [
            "note.add",
            "note.edit",
            "note.delete",
        ]
        assert ws.fsck.run().ok
    finally:
        ws.close()
