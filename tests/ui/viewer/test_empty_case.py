"""Switching to another case closes the previous case's document; an empty case says how to
bring documents in."""

from __future__ import annotations

from tests.ui.conftest import documents_read, import_now, sample_pdf


def test_an_empty_case_shows_the_import_hint_not_the_last_document(
    qtbot, unlocked, tmp_path
) -> None:
    win = unlocked
    viewer = win.viewer
    first_case = win.state.case_id
    doc_id = import_now(win, sample_pdf(tmp_path / "in"))
    win.state.open_document(doc_id, 0)
    qtbot.waitUntil(lambda: viewer.doc_id == doc_id, timeout=10000)

    empty = win.state.ws.cases.create("Nouvelle enquête")
    win.state.select_case(empty.id)
    documents_read(win)  # whether the case is empty is read in a worker
    assert viewer.doc_id == ""
    assert viewer.stack.currentWidget() is viewer.placeholder
    hint = viewer.placeholder.text()
    assert "import files" in hint and "drop them here" in hint

    win.state.select_case(first_case)  # documents there: the usual invitation
    documents_read(win)
    assert "drop them here" not in viewer.placeholder.text()


def test_the_import_hint_goes_once_the_case_has_documents(qtbot, unlocked, tmp_path) -> None:
    viewer = unlocked.viewer
    documents_read(unlocked)
    assert "drop them here" in viewer.placeholder.text()
    import_now(unlocked, sample_pdf(tmp_path / "in"))
    assert "drop them here" not in viewer.placeholder.text()
    assert viewer.stack.currentWidget() is viewer.placeholder
