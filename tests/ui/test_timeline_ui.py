"""The timeline in the app: dated items as a list or on a time axis, filtered by person and kind,
each opening what it points to."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import NEEDLE, import_now, sample_pdf
from ui.quotes_panel import QuotesTab
from ui.timeline_panel import TimelineTab


def _setup(win, tmp_path):
    ws, case_id = win.state.ws, win.state.case_id
    doc_id = import_now(win, sample_pdf(tmp_path / "in"), kind="source")
    ws.documents.update(doc_id, date="2024-01-10")
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
