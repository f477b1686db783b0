"""Letters and replies in the app: a letter written with its questions, a reply recorded with
the questions it answers, and the letter's state following."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from tests.pdfgen import FRENCH_PARAGRAPHS, text_page, write_pdf
from tests.ui.interactions import answer
from ui.letters.letter_dialog import LetterDialog
from ui.letters.letters_tab import STATE, LettersTab
from ui.letters.reply_dialog import ReplyDialog
from ui.widgets.verdict_badge import BADGE_ROLE


def _tab(win) -> LettersTab:
    tab = win.contents.tab(LettersTab)
    assert isinstance(tab, LettersTab)
    win.contents.setCurrentWidget(tab)
    return tab


def test_record_a_reply_and_watch_the_state_change(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    ws, case_id = win.state.ws, win.state.case_id
    ws.people.add(case_id, "Claire Dumas", role="journalist")
    tab = _tab(win)
    sent = (date.today() - timedelta(days=20)).isoformat()
    deadline = (date.today() - timedelta(days=5)).isoformat()
    letter_pdf = write_pdf(tmp_path / "lettre.pdf", [text_page(FRENCH_PARAGRAPHS[1])])

    def write_letter(dialog: LetterDialog) -> None:
        dialog.subject.setText("Subvention du collège")
        dialog.signer.setEditText("Claire Dumas")
        dialog.recipients.new_name.setText("Marie Lenoir")
        dialog.recipients.add_new()  # someone new: created when the letter is saved
        dialog.sent_on.setText(sent)
        dialog.deadline.setText(deadline)
        dialog.questions.setPlainText("D’où viennent les fonds ?\n\nQui a signé le marché ?\n")
        dialog.set_file(letter_pdf)
        dialog.save()

    seen = answer(tab, write_letter)
    tab.new_action.trigger()
    letter = seen[0].saved
    assert letter is not None and letter.state == "overdue"
    assert letter.recipients == ["Marie Lenoir"]
    assert [q.text for q in letter.questions] == [
        "D’où viennent les fonds ?",
        "Qui a signé le marché ?",
    ]
    item = tab.letter_item(letter.id)
    assert item is not None
    assert (item.text(0), item.text(1), item.text(2), item.text(3), item.text(STATE)) == (
        "Subvention du collège", "Marie Lenoir", sent, deadline, "overdue",
    )  # fmt: skip
    assert [item.child(i).data(0, BADGE_ROLE) for i in range(2)] == ["overdue", "overdue"]
    assert item.child(0).text(0) == "1. D’où viennent les fonds ?"
    assert item.child(0).isFirstColumnSpanned()  # the question's words get the whole row
    assert "1 overdue" in tab.summary.text()

    # The letter's document opens from the list.
    tab.tree.setCurrentItem(item)
    assert tab.open_action.isEnabled()
    tab.open_action.trigger()
    qtbot.waitUntil(lambda: win.viewer.doc_id == letter.document_id, timeout=10000)

    def nothing_ticked(dialog: ReplyDialog) -> None:
        assert dialog.replier.currentText() == "Marie Lenoir"  # the recipient, by default
        dialog.save()  # refused: which questions does it answer?
        assert dialog.result() == 0
        assert "Tick the questions" in dialog.error.text()
        dialog.reject()

    answer(tab, nothing_ticked)
    tab.reply_action.trigger()
    assert ws.letters.get(letter.id).state == "overdue"

    def first_reply(dialog: ReplyDialog) -> None:
        dialog.via.setText("son avocat")
        dialog.tick(1)
        dialog.tick(2, "partly")
        dialog.save()

    answer(tab, first_reply)
    tab.tree.setCurrentItem(tab.letter_item(letter.id))
    tab.reply_action.trigger()
    item = tab.letter_item(letter.id)
    assert item is not None and item.text(STATE) == "partly answered"
    assert [item.child(i).data(0, BADGE_ROLE) for i in range(2)] == ["answered", "partly"]
    assert item.child(2).text(0) == (
        f"Reply from Marie Lenoir (son avocat), {date.today().isoformat()} · answers 1, 2 (partly)"
    )

    def second_reply(dialog: ReplyDialog) -> None:
        dialog.tick(2)
        dialog.save()

    answer(tab, second_reply)
    tab.reply_action.trigger()
    item = tab.letter_item(letter.id)
    assert item is not None and item.text(STATE) == "replied"
    assert ws.letters.get(letter.id).state == "replied"
    assert "0 overdue" in tab.summary.text()


def test_a_bad_date_keeps_the_form_open_and_saves_nothing(qtbot, unlocked) -> None:
    win = unlocked
    ws, case_id = win.state.ws, win.state.case_id
    ws.people.add(case_id, "Claire Dumas")
    ws.people.add(case_id, "Marie Lenoir")
    tab = _tab(win)

    def bad(dialog: LetterDialog) -> None:
        dialog.signer.setEditText("Claire Dumas")
        dialog.recipients.list.item(1).setCheckState(Qt.CheckState.Checked)
        dialog.sent_on.setText("20/11/2023")
        dialog.save()
        assert dialog.error.isVisible() or dialog.error.text()
        assert "YYYY-MM-DD" in dialog.error.text()

    answer(tab, bad)
    tab.new_action.trigger()
    assert ws.letters.of_case(case_id) == []
    assert tab.tree.topLevelItemCount() == 0


def test_jurisdiction_from_preferences_beside_the_deadline_with_its_holidays(
    qtbot, unlocked, settings
) -> None:
    from ui.letters.letters_tab import DEADLINE
    from ui.preferences_dialog import PreferencesDialog

    win = unlocked
    ws, case_id = win.state.ws, win.state.case_id
    ws.people.add(case_id, "Claire Dumas", role="journalist")
    ws.people.add(case_id, "Préfecture de la Moselle", role="official")
    preferences = PreferencesDialog(settings, win)
    preferences.jurisdiction.setCurrentIndex(preferences.jurisdiction.findData("FR-AM"))
    preferences.accept()
    assert settings.jurisdiction == "FR-AM"
    tab = _tab(win)

    def write_letter(dialog: LetterDialog) -> None:
        assert dialog.jurisdiction.currentData() == "FR-AM"  # the default from Preferences
        dialog.signer.setEditText("Claire Dumas")
        dialog.recipients.new_name.setText("Préfecture de la Moselle")
        dialog.recipients.add_new()
        dialog.sent_on.setText("2024-03-28")
        dialog.deadline_days.setValue(2)
        dialog.working_days.setChecked(True)
        dialog.save()

    seen = answer(tab, write_letter)
    tab.new_action.trigger()
    letter = seen[0].saved
    assert letter is not None and letter.jurisdiction == "FR-AM"
    item = tab.letter_item(letter.id)
    assert item is not None
    assert item.text(DEADLINE) == "2024-04-03 · FR-AM"
    tip = item.toolTip(DEADLINE)
    assert "2 working days in France: Alsace-Moselle" in tip
    assert "2024-03-29  Vendredi saint" in tip and "2024-04-01  Lundi de Pâques" in tip
