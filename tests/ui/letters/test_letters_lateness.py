"""Lateness in the Letters tab: questions past the deadline shown as overdue and counted, a
partly answered letter with such questions shown as late, a reply after publication flagged,
and badge colours that tell done from waiting from late."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtGui import QColor

from ui.letters.letters_tab import STATE, LettersTab
from ui.widgets.verdict_badge import BADGE_ROLE, DONE, LATE, badge


def _tab(win) -> LettersTab:
    tab = win.contents.tab(LettersTab)
    assert isinstance(tab, LettersTab)
    win.contents.setCurrentWidget(tab)
    return tab


def test_a_partly_answered_letter_past_its_deadline_is_shown_late(qtbot, unlocked) -> None:
    win = unlocked
    ws, case_id = win.state.ws, win.state.case_id
    today = date.today()
    ws.people.add(case_id, "Claire Dumas", role="journalist")
    ws.people.add(case_id, "Marie Lenoir", role="official")
    letter = ws.letters.add(
        case_id, sender="Claire Dumas", recipients=["Marie Lenoir"], subject="Subvention",
        questions=["D’où viennent les fonds ?", "Qui a signé ?", "Quand ?"],
        sent_on=(today - timedelta(days=30)).isoformat(),
        deadline=(today - timedelta(days=10)).isoformat(),
    )  # fmt: skip
    ws.cases.update(case_id, published_on=(today - timedelta(days=5)).isoformat())
    ws.letters.add_reply(
        case_id, sender="Marie Lenoir", letter=letter.id, answers=["1", "2:partly"],
        received_on=(today - timedelta(days=20)).isoformat(),
    )  # fmt: skip
    ws.letters.add_reply(
        case_id, sender="Marie Lenoir", letter=letter.id, answers=["2"],
        received_on=(today - timedelta(days=1)).isoformat(),
    )  # fmt: skip
    tab = _tab(win)
    tab.reload()

    item = tab.letter_item(letter.id)
    assert item is not None
    assert item.data(STATE, BADGE_ROLE) == "partly_overdue"
    assert item.text(STATE) == "partly, overdue"
    badges = [item.child(i).data(0, BADGE_ROLE) for i in range(3)]
    assert badges == ["answered", "answered", "overdue"]
    assert "1 overdue" in tab.summary.text()
    assert "1 question past the deadline" in tab.summary.text()
    replies = [item.child(i) for i in range(3, item.childCount())]
    assert [r.text(0).endswith("received after publication") for r in replies] == [False, True]
    assert replies[1].foreground(0).color() == QColor(LATE)


def test_badge_colours_tell_done_from_waiting_from_late() -> None:
    def colour(family: str, key: str) -> str:
        return badge(family, key)[1]

    assert colour("letter", "replied") == DONE and colour("question", "answered") == DONE
    for family, key in (
        ("letter", "partly_answered"),
        ("letter", "awaiting"),
        ("letter", "sent"),
        ("question", "partly"),
        ("question", "unanswered"),
    ):
        assert colour(family, key) not in (DONE, LATE), key
    for family, key in (
        ("letter", "overdue"),
        ("letter", "partly_overdue"),
        ("question", "overdue"),
    ):
        assert colour(family, key) == LATE, key
