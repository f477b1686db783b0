"""A notice that the case's documents changed (an import ended, a document was deleted) is
read at once, and the notices right after it once more, together: the tree showed the file
just imported a sixth of a second late, after a timer every notice waited for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dossier.services.documents import listing
from dossier.services.documents.dto import DocumentEdit
from tests.ui.conftest import documents_read, sample_pdf
from ui import slices
from ui.case import contents_panel
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
    ws.documents.update(imported[0], DocumentEdit(title="Compte rendu du conseil"))
    win.state.documents_changed.emit(case_id)
    documents_read(win)
    assert read == [*imported, imported[0]]
    assert tab.model.documents == ws.documents.of_case(case_id)


def test_a_whole_read_is_put_in_the_tree_by_parts(
    qtbot, unlocked, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tree reads the whole case at unlock, at a case switch and when names are masked or
    revealed: its rows went in at once (10,000 documents: 370 ms of the GUI thread's own time
    in one frame). They go in by parts, a turn of the event loop each here (no time budget),
    and the tree ends as the case is, each branch open."""
    win = unlocked
    tab = win.contents.tabs[0]
    assert isinstance(tab, DocumentsTab)
    ws, case_id = win.state.ws, win.state.case_id
    folder = tmp_path / "in"
    folder.mkdir()
    notes = []
    for number in range(40):
        note = folder / f"note-{number:02d}.txt"
        note.write_text(f"Note {number} sur le stade.\n", encoding="utf-8")
        notes.append(note)
    ws.documents.import_many(case_id, notes, ocr=False)
    documents_read(win)
    monkeypatch.setattr(contents_panel, "ROWS_PER_PART", 10)
    monkeypatch.setattr(slices, "BURST_SECONDS", 0.0)
    turns: list[int] = []
    put = tab._put_parts

    def counted() -> None:
        before = len(tab.model.document_ids())
        put()
        turns.append(len(tab.model.document_ids()) - before)

    monkeypatch.setattr(tab, "_put_parts", counted)
    tab._parts_timer.timeout.disconnect()
    tab._parts_timer.timeout.connect(tab._put_parts)
    tab.load(case_id)
    documents_read(win)
    shown = ws.documents.of_case(case_id)
    assert len(shown) >= 40
    assert sum(turns) == len(shown) and max(turns) <= 10, turns
    assert tab.model.documents == shown
    model = tab.model
    for row in range(model.rowCount()):
        assert tab.tree.isExpanded(model.index(row, 0))
