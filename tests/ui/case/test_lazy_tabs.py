"""The tabs that read their case on the GUI thread read it once they are looked at: a case
opened (or switched to) reads nothing for the tabs behind the one shown, and each of them
shows that case's rows, none of the last case's, once shown or asked for."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.ui.conftest import import_now, sample_pdf
from ui.case.contents_panel import DocumentsTab
from ui.export.redactions_tab import RedactionsTab
from ui.letters.letters_tab import LettersTab
from ui.people.people_tab import PeopleTab
from ui.quotes.quotes_tab import QuotesTab
from ui.timeline.timeline_tab import TimelineTab

READS = (
    ("documents", "of_case"),
    ("quotes", "of_case"),
    ("redactions", "shown"),
    ("people", "of_case"),
    ("letters", "of_case"),
    ("timeline", "items"),
)
"""What the tabs read on the GUI thread when they load a case."""


def _gui_reads(monkeypatch: pytest.MonkeyPatch, ws: Any) -> list[str]:
    """Each of those reads made on the GUI thread from now on, by name."""
    seen: list[str] = []
    gui = threading.main_thread()
    for service, method in READS:
        owner = getattr(ws, service)
        real: Callable[..., Any] = getattr(owner, method)

        def counted(*args: Any, _real: Any = real, _name: str = service, **kw: Any) -> Any:
            if threading.current_thread() is gui:
                seen.append(_name)
            return _real(*args, **kw)

        monkeypatch.setattr(owner, method, counted)
    return seen


def _scope_titles(tab: QuotesTab) -> list[str]:
    return [tab.scope.itemText(i) for i in range(1, tab.scope.count())]


@pytest.mark.parametrize("kind", [QuotesTab, RedactionsTab, TimelineTab, PeopleTab, LettersTab])
def test_a_case_opened_reads_nothing_for_the_tabs_behind(
    qtbot, unlocked, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: type
) -> None:
    win = unlocked
    ws = win.state.ws
    first = win.state.case_id
    other = ws.cases.create("Autre affaire")
    assert isinstance(win.contents.currentWidget(), DocumentsTab)
    seen = _gui_reads(monkeypatch, ws)
    win.state.select_case(other.id)
    win.state.select_case(first)
    assert seen == []
    tab = win.contents.tab(kind)  # asked for: read now
    assert tab is not None and tab.case_id == win.state.case_id
    assert seen


def test_each_tab_shows_its_case_once_shown_none_of_the_last(
    qtbot, unlocked, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    win = unlocked
    first = win.state.case_id
    import_now(win, sample_pdf(tmp_path / "in"), kind="source")
    quotes = win.contents.tab(QuotesTab)
    assert isinstance(quotes, QuotesTab)
    win.contents.setCurrentWidget(quotes)
    assert _scope_titles(quotes) != []  # the first case's document
    win.contents.setCurrentWidget(win.contents.tabs[0])
    other = win.state.ws.cases.create("Autre affaire")
    seen = _gui_reads(monkeypatch, win.state.ws)
    win.state.select_case(other.id)
    # Behind the documents tab: the last case's titles are gone, nothing was read.
    assert _scope_titles(quotes) == [] and seen == []
    win.contents.setCurrentWidget(quotes)  # shown: the new case, read now
    assert quotes.case_id == other.id and _scope_titles(quotes) == [] and "quotes" in seen
    win.contents.setCurrentWidget(win.contents.tabs[0])
    win.state.select_case(first)
    redactions = win.contents.tabs[5]
    assert isinstance(redactions, RedactionsTab) and redactions.titles == {}
    win.contents.setCurrentWidget(redactions)
    assert list(redactions.titles.values()) and redactions.case_id == first
    # Still behind: the quotes tab waits for its next look, then shows the first case again.
    assert quotes.case_id == other.id
    win.contents.setCurrentWidget(quotes)
    assert quotes.case_id == first and _scope_titles(quotes) != []


def test_a_tab_waiting_to_be_shown_reads_nothing_after_a_lock(
    qtbot, unlocked, monkeypatch: pytest.MonkeyPatch
) -> None:
    win = unlocked
    other = win.state.ws.cases.create("Autre affaire")
    win.state.select_case(other.id)
    win.lock()
    assert not win.state.is_unlocked
    # Shown while locked: nothing to read, nothing read (the case waits for the next unlock).
    win.contents.setCurrentWidget(win.contents.tab(QuotesTab))
    quotes = win.contents.tab(QuotesTab)
    assert isinstance(quotes, QuotesTab) and quotes.model.rowCount() == 0
