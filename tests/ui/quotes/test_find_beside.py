"""*Find a quote* stays beside the window, not over it, and a quote not found can be saved to
be tracked; the dialog goes when the vault locks."""

from __future__ import annotations

from tests.ui.conftest import import_now, sample_pdf
from ui.quotes.quotes_tab import QuotesTab

NOWHERE = "Le ministre a promis une enquête parlementaire avant la fin de l’année prochaine."


def test_find_is_modeless_and_a_missing_quote_is_saved_as_not_found(
    qtbot, unlocked, tmp_path
) -> None:
    win = unlocked
    import_now(win, sample_pdf(tmp_path / "in"), kind="source")
    tab = win.contents.tab(QuotesTab)
    assert isinstance(tab, QuotesTab)
    win.contents.setCurrentWidget(tab)
    tab.find_action.trigger()
    dialog = tab.find_dialog
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    assert win.isEnabled() and win.viewer.isEnabled()

    dialog.text.setPlainText(NOWHERE)
    dialog.run_find()
    qtbot.waitUntil(lambda: dialog.searched == NOWHERE, timeout=10000)
    assert dialog.candidates == [] and dialog.save_button.isEnabled()
    dialog.fields.speaker.setEditText("Le ministre")
    dialog.save()
    (stored,) = win.state.ws.quotes.of_case(win.state.case_id)
    assert stored.text == NOWHERE and stored.verdict == "not_found"
    qtbot.waitUntil(lambda: [q.id for q in tab.model.quotes] == [stored.id], timeout=5000)

    tab.find_action.trigger()
    again = tab.find_dialog
    assert again is not None and again.isVisible()
    win.lock()
    assert tab.find_dialog is None and not again.isVisible()
