"""The timeline in the app: dated items as a list or on a time axis, filtered by person and kind,
each opening what it points to."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton

from dossier.services.documents.dto import DocumentEdit
from tests.ui.conftest import NEEDLE, import_now, sample_pdf
from tests.ui.interactions import answer
from ui.quotes.quotes_tab import QuotesTab
from ui.timeline.timeline_entry_dialog import TimelineEntryDialog
from ui.timeline.timeline_tab import TimelineTab


def _setup(win, tmp_path):
    ws, case_id = win.state.ws, win.state.case_id
    doc_id = import_now(win, sample_pdf(tmp_path / "in"), kind="source")
    ws.documents.update(doc_id, DocumentEdit(date="2024-01-10"))
    ws.people.add(case_id, "Claire Dumas", role="journalist")
    marie = ws.people.add(case_id, "Marie Lenoir", role="official")
    ws.letters.add(
        case_id, sender="Claire Dumas", recipients=["Marie Lenoir"], subject="Subvention",
        questions=["D’où viennent les fonds ?"], sent_on="2024-02-01", deadline="2024-02-15",
    )  # fmt: skip
    page = ws.documents.page(doc_id, 2)
    start = page.text.index(NEEDLE)
    quote = ws.quotes.add_from_selection(
        case_id, doc_id, 2, start, start + len(NEEDLE), speaker=marie.id, said_on="2024-03-01"
    )
    tab = win.contents.tab(TimelineTab)
    assert isinstance(tab, TimelineTab)
    win.contents.setCurrentWidget(tab)
    tab.load(case_id)
    return tab, doc_id, marie, quote


def _rows(tab: TimelineTab) -> list[tuple[str, str]]:
    return [
        (tab.list.topLevelItem(r).text(0), tab.list.topLevelItem(r).text(1))
        for r in range(tab.list.topLevelItemCount())
    ]


def test_the_list_filters_by_person_and_kind_and_opens_items(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    tab, doc_id, marie, _quote = _setup(win, tmp_path)
    assert _rows(tab) == [
        ("2024-01-10", "document"),
        ("2024-02-01", "letter"),
        ("2024-02-15", "deadline"),
        ("2024-03-01", "quote"),
    ]
    tab.set_person(marie.id)
    assert [kind for _, kind in _rows(tab)] == ["letter", "deadline", "quote"]
    tab.set_person(None)
    tab.set_kinds(["document", "quote"])
    assert [kind for _, kind in _rows(tab)] == ["document", "quote"]
    assert tab.chosen_kinds() == ["document", "quote"]
    tab.set_kinds([])

    first = tab.list.topLevelItem(0)
    rect = tab.list.visualItemRect(first)
    qtbot.mouseClick(tab.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: win.viewer.doc_id == doc_id, timeout=10000)


def test_clicking_a_quote_on_the_time_axis_opens_it_at_its_span(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    tab, doc_id, _marie, quote = _setup(win, tmp_path)
    tab.show_axis()
    assert tab.views.currentWidget() is tab.axis_scroll
    item = next(i for i in tab.axis.items if i.kind == "quote")
    label = tab.axis.placed_rect(item)
    assert label is not None
    tab.axis_scroll.ensureVisible(int(label.center().x()), int(label.center().y()))
    qtbot.mouseClick(tab.axis, Qt.MouseButton.LeftButton, pos=label.center().toPoint())
    quotes = win.contents.tab(QuotesTab)
    assert win.contents.currentWidget() is quotes
    qtbot.waitUntil(lambda: win.viewer.doc_id == doc_id, timeout=10000)
    assert win.viewer.pdf.current_page == 2
    assert win.viewer.pdf.overlays["quote"][2]
    assert quotes.current_quote() is not None and quotes.current_quote().id == quote.id
    # Zooming the time scale keeps every label apart.
    tab.zoom(0.2)
    placed = [tab.axis.placed_rect(i) for i in tab.axis.items]
    for a in placed:
        for b in placed:
            assert a is b or not a.intersects(b)


def test_a_free_entry_is_added_through_the_dialog_and_removed(
    qtbot, unlocked, monkeypatch, tmp_path
) -> None:
    win = unlocked
    tab, _doc_id, marie, _quote = _setup(win, tmp_path)
    before = _rows(tab)
    assert tab.add_button.isEnabled()
    tab.list.setCurrentItem(tab.list.topLevelItem(0))
    assert not tab.remove_button.isEnabled()  # a document is not a free entry

    def fill(dialog: TimelineEntryDialog) -> None:
        # A bad date keeps the form open with the core's sentence; nothing is stored.
        dialog.date.setText("2024-13-45")
        dialog.title_field.setText("Entretien avec Marie Lenoir")
        dialog.kind.setCurrentIndex(dialog.kind.findData("interview"))
        dialog.check_person(marie.id)
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
        assert dialog.result() != QDialog.DialogCode.Accepted
        assert dialog.saved is None
        assert "YYYY-MM-DD" in dialog.error.text()
        dialog.date.setText("2024-02-20")
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)

    seen = answer(tab, fill)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1
    assert _rows(tab) == sorted([*before, ("2024-02-20", "interview")])
    row = tab.list.currentItem()
    assert row is not None and row.text(2) == "Entretien avec Marie Lenoir"
    assert row.text(3) == "Marie Lenoir"
    tab.set_person(marie.id)
    assert ("2024-02-20", "interview") in _rows(tab)
    tab.set_person(None)

    tab.select_item(seen[0].saved.ref_id)
    assert tab.remove_button.isEnabled()
    asked: list[str] = []
    monkeypatch.setattr(tab, "confirm_remove", lambda item: asked.append(item.title) or False)
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    assert asked == ["Entretien avec Marie Lenoir"]
    assert ("2024-02-20", "interview") in _rows(tab)
    monkeypatch.setattr(tab, "confirm_remove", lambda item: True)
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    assert _rows(tab) == before
    assert not tab.remove_button.isEnabled()
    kinds = [i.kind for i in win.state.ws.timeline.items(win.state.case_id)]
    assert "interview" not in kinds


def save_button(dialog: QDialog) -> QPushButton:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    button = box.button(QDialogButtonBox.StandardButton.Save)
    assert button is not None
    return button
