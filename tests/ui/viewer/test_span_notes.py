"""A note on a passage selected in the viewer: sealed in the vault with where it was written,
listed with its document in the details pane, masked like every text on screen, undone by
Edit › Undo, still there after a lock."""

from __future__ import annotations

from tests.ui.conftest import NEEDLE, import_now, sample_pdf, unlock
from tests.ui.interactions import drag, open_and_wait, word_box

NOTE = "À vérifier auprès de Claire Dumas"


def _select(qtbot, win, doc_id: str) -> None:
    view = open_and_wait(qtbot, win, doc_id, 2)
    first, last = word_box(view, 2, "rapport"), word_box(view, 2, NEEDLE)
    with qtbot.waitSignal(win.viewer.selection_changed, timeout=5000):
        middle = (first[1] + first[3]) / 2
        drag(qtbot, view, 2, (first[0] + 1, middle), (last[2] - 1, middle))


def test_a_note_on_a_passage(qtbot, unlocked, vault, tmp_path) -> None:
    win = unlocked
    ws, case_id = win.state.ws, win.state.case_id
    ws.people.add(case_id, "Claire Dumas", protection="protected", pseudonym="Source A")
    doc_id = import_now(win, sample_pdf(tmp_path / "in"), kind="source")
    notes = win.workflows.notes
    assert not notes.action.isEnabled()
    _select(qtbot, win, doc_id)
    assert notes.action.isEnabled()
    asked: list[str] = []
    notes.ask_note = lambda excerpt: asked.append(excerpt) or NOTE  # type: ignore[method-assign]
    notes.action.trigger()
    assert asked == [f"rapport {NEEDLE}"]
    (note,) = ws.notes.of_document(doc_id, reveal=True)
    assert (note.page_index, note.excerpt, note.body) == (2, f"rapport {NEEDLE}", NOTE)
    page = ws.documents.page(doc_id, 2).text
    assert page[note.start : note.end] == f"rapport {NEEDLE}"

    # Listed with the document in the details pane, the protected name masked.
    assert win.inspector.current is not None and win.inspector.current.kind == "document"
    shown = win.inspector.current.notes.text()
    assert "Notes (1)" in shown and "p. 3" in shown and "Source A" in shown
    assert "Dumas" not in shown

    # Sealed: not in any file of the vault.
    assert not any(b"rifier aupr" in p.read_bytes() for p in vault.rglob("*") if p.is_file())

    win.actions_by_name["undo"].trigger()
    assert ws.notes.of_document(doc_id) == []
    assert "Notes" not in win.inspector.current.notes.text()
    win.actions_by_name["redo"].trigger()
    assert [n.id for n in ws.notes.of_document(doc_id)] == [note.id]
    win.lock()
    unlock(qtbot, win, vault)
    (again,) = win.state.ws.notes.of_document(doc_id, reveal=True)
    assert again.body == NOTE and again.id == note.id
