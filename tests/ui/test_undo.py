"""Edit › Undo and Redo over a real vault: edits in the details pane, deletions, marks drawn.

What Undo takes back is stored: each test locks and unlocks (or reads the catalog afresh) and
finds the value from before the change.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from tests.ui.conftest import import_now, sample_pdf, unlock
from ui.quotes.quote_editor import QuoteEditor
from ui.quotes.quotes_tab import QuotesTab

SAID = "Le chantier du collège"


def undo(win) -> None:
    win.actions_by_name["undo"].trigger()


def redo(win) -> None:
    win.actions_by_name["redo"].trigger()


def test_an_edit_in_the_details_pane_is_undone_and_stays_undone(qtbot, unlocked, vault, tmp_path):
    win = unlocked
    doc_id = import_now(win, sample_pdf(tmp_path / "in"), kind="source")
    ws = win.state.ws
    quote = ws.quotes.add(win.state.case_id, SAID, source=doc_id, said_on="2023-11-21")
    assert not win.actions_by_name["undo"].isEnabled()
    win.state.select_item("quote", quote)
    editor = win.inspector.current
    assert isinstance(editor, QuoteEditor)
    editor.said_on.setText("2023-11-30")
    editor.said_on.textEdited.emit("2023-11-30")
    win.inspector.save_button.click()
    assert ws.quotes.get(quote.id).said_on == "2023-11-30"
    action = win.actions_by_name["undo"]
    assert action.isEnabled()
    assert action.text().startswith("Undo edit of quote “Le chantier du collège")

    undo(win)
    assert ws.quotes.get(quote.id).said_on == "2023-11-21"
    assert editor.said_on.text() == "2023-11-21"  # the details pane shows it at once
    assert win.actions_by_name["redo"].text().startswith("Redo edit of quote")
    redo(win)
    assert ws.quotes.get(quote.id).said_on == "2023-11-30"
    undo(win)

    win.lock()
    assert not win.actions_by_name["undo"].isEnabled()  # the history went with the keys
    unlock(qtbot, win, vault)
    assert win.state.ws.quotes.get(quote.id).said_on == "2023-11-21"


def test_a_deleted_quote_comes_back(qtbot, unlocked, tmp_path, monkeypatch):
    win = unlocked
    doc_id = import_now(win, sample_pdf(tmp_path / "in"), kind="source")
    ws = win.state.ws
    quote = ws.quotes.add(win.state.case_id, SAID, source=doc_id, notes="à vérifier")
    tab = win.contents.tab(QuotesTab)
    assert isinstance(tab, QuotesTab)
    win.contents.setCurrentWidget(tab)
    win.state.quotes_changed.emit(win.state.case_id)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=10000)
    tab.select_quote(quote.id)
    monkeypatch.setattr(QMessageBox, "exec", lambda _box: QMessageBox.StandardButton.Yes)
    tab.delete_quote()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0, timeout=10000)
    assert win.actions_by_name["undo"].text().startswith("Undo deletion of quote")
    undo(win)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=10000)
    again = ws.quotes.get(quote.id)
    assert (again.text, again.notes, again.spans) == (quote.text, "à vérifier", quote.spans)
    redo(win)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0, timeout=10000)
    assert ws.quotes.of_case(win.state.case_id) == []


def test_a_box_drawn_is_undone_and_redone(qtbot, unlocked, tmp_path):
    win = unlocked
    doc_id = import_now(win, sample_pdf(tmp_path / "in"), kind="source")
    ws = win.state.ws
    case_id = win.state.case_id
    win.workflows.add_rect(doc_id, 0, (50.0, 50.0, 200.0, 80.0))
    [mark] = ws.redactions.of_case(case_id)
    assert win.actions_by_name["undo"].text() == "Undo new redaction mark"
    undo(win)
    assert ws.redactions.of_case(case_id) == []
    redo(win)
    [again] = ws.redactions.of_case(case_id)
    assert (again.id, again.rects) == (mark.id, mark.rects)
