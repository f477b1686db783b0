"""A quote, note or redaction mark added on a document that is being deleted: added before
the deletion and removed or unlinked with it, or refused in one sentence; never a database
error.

Adding one reads the document, works without the write lock (a quote is anchored in it for as
long as that takes), then writes a row naming it: a deletion committed in between left the row
naming a document that no longer exists, and the catalog refused it."""

from __future__ import annotations

from pathlib import Path

from dossier.errors import DossierError
from dossier.services.workspace import Workspace
from tests.alongside import alongside
from tests.pdfgen import FRENCH_PARAGRAPHS, text_page, write_pdf


def test_items_added_while_their_document_is_deleted(workspace: Workspace, tmp_path: Path) -> None:
    ws = workspace
    case = ws.cases.create("Deleting").id
    words = " ".join(FRENCH_PARAGRAPHS).split()
    for attempt in range(6):
        path = tmp_path / f"memo-{attempt}.pdf"
        write_pdf(path, [text_page(*FRENCH_PARAGRAPHS)])
        doc = ws.documents.import_file(case, path, ocr=False).id

        def adding(doc: str = doc) -> None:
            for n in range(6):
                try:
                    ws.quotes.add(case, " ".join(words[n : n + 8]), source=doc)
                    ws.notes.add_on_span(doc, 0, 0, 12, f"note {n}")
                    ws.redactions.add_rect(doc, 0, [(10, 10, 50, 50)])
                except DossierError:
                    pass  # the document is gone: said in one sentence

        with alongside(adding, together=True):
            ws.documents.delete(doc)
    assert ws.vault.case_problems(case) == []
    assert ws.fsck.run().problems == []
