"""A notice that the case's documents changed (an import ended, a document was deleted) is
read at once, and the notices right after it once more, together: the tree showed the file
just imported a sixth of a second late, after a timer every notice waited for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dossier.services.documents import listing
from tests.ui.conftest import documents_read, sample_pdf
from ui.case.contents_panel import DocumentsTab


def test_a_documents_notice_is_read_at_once_and_those_right_after_it_once_more(
    qtbot, unlocked, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    win = unlocked
    tab = win.contents.tabs[0]
    assert isinstance(tab, DocumentsTab)
    documents_read(win)
    ws, case_id = win.state.ws, win.state.case_id
    reads: list[str] = []
    changes = ws.documents.changes

    def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(case_id)
        return changes(*args, **kwargs)

    monkeypatch.setattr(ws.documents, "changes", counted)
    ws.documents.import_file(case_id, sample_pdf(tmp_path / "in"), kind="article", ocr=False)
    win.state.documents_changed.emit(case_id)
    # Under way before the event loop turns again: no timer stood before it.
    assert tab.job is not None and not tab.job.done
    for _ in range(4):  # more notices at once (no turn of the loop, so no time, between them)
        win.state.documents_changed.emit(case_id)
    documents_read(win)
    assert reads == [case_id, case_id]  # the first at once, the four after it together
    assert [doc.filename for doc in tab.model.documents] == ["memo.pdf"]


def test_the_tree_reads_each_new_document_once_through_an_import_s_notices(
    qtbot, unlocked, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each notice of an import brings the documents new to the tree, not again those it took
    in a few seconds before (each of 10,000 files was decrypted and compared five times)."""
    win = unlocked
    tab = win.contents.tabs[0]
    assert isinstance(tab, DocumentsTab)
    documents_read(win)
    ws, case_id = win.state.ws, win.state.case_id
    read: list[str] = []
    document_info = listing.document_info

    def counted(doc: Any) -> Any:
        read.append(doc.id)
        return document_info(doc)

    monkeypatch.setattr(listing, "document_info", counted)
    imported = []
    for number in range(4):
        folder = tmp_path / f"in-{number}"
        folder.mkdir()
        note = folder / f"note-{number}.txt"
        note.write_text(f"Note {number} sur le stade.\n", encoding="utf-8")
        outcome = ws.documents.import_many(case_id, [note], ocr=False)[0]
        assert outcome.document is not None
        imported.append(outcome.document.id)
        win.state.documents_changed.emit(case_id)
        documents_read(win)
    assert read == imported
    ws.documents.update(imported[0], title="Compte rendu du conseil")
    win.state.documents_changed.emit(case_id)
    documents_read(win)
    assert read == [*imported, imported[0]]
    assert tab.model.documents == ws.documents.of_case(case_id)
