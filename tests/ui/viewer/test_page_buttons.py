"""Page back and forward in the viewer: buttons (and Alt+PgUp / Alt+PgDown) next to the page
number, enabled only where there is a page to go to."""

from __future__ import annotations

from tests.ui.conftest import import_now, sample_pdf


def test_previous_and_next_page_buttons_move_one_page(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    doc_id = import_now(win, sample_pdf(tmp_path / "in"))  # three pages
    viewer = win.viewer
    bar = viewer.toolbar
    assert not bar.previous_page_action.isEnabled() and not bar.next_page_action.isEnabled()
    win.state.open_document(doc_id, 0)
    qtbot.waitUntil(lambda: viewer.doc_id == doc_id and viewer.page_box.maximum() == 3)
    assert viewer.page_box.value() == 1
    assert not bar.previous_page_action.isEnabled() and bar.next_page_action.isEnabled()
    for button in (
        bar.widgetForAction(bar.previous_page_action),
        bar.widgetForAction(bar.next_page_action),
    ):
        assert button is not None and button.isVisible()

    bar.next_page_action.trigger()
    qtbot.waitUntil(lambda: viewer.page_box.value() == 2)
    assert bar.previous_page_action.isEnabled() and bar.next_page_action.isEnabled()
    bar.next_page_action.trigger()
    qtbot.waitUntil(lambda: viewer.page_box.value() == 3)
    assert not bar.next_page_action.isEnabled()
    bar.previous_page_action.trigger()
    qtbot.waitUntil(lambda: viewer.page_box.value() == 2)
