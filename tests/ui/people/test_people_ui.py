"""People in the app: protected names masked unless revealed (and the reveal audited), adding,
editing without overwriting what a masked view withholds, merging."""

from __future__ import annotations

from tests.conftest import PATIENCE_MS
from tests.ui.interactions import answer
from ui.people.merge_dialog import MergeDialog
from ui.people.people_tab import MASK_MARK, PeopleTab
from ui.people.person_dialog import PersonDialog
from ui.worker import reads_busy, running_jobs

SOURCE = "Aurélien Vasseur"


def _tab(win) -> PeopleTab:
    tab = win.contents.tab(PeopleTab)
    assert isinstance(tab, PeopleTab)
    win.contents.setCurrentWidget(tab)
    return tab


def _reveals(ws, case_id: str) -> int:
    return sum(1 for r in ws.audit.records(case_id) if r.action == "person.reveal")


def test_protected_names_are_masked_unless_revealed(qtbot, unlocked) -> None:
    win = unlocked
    ws, case_id = win.state.ws, win.state.case_id
    source = ws.people.add(
        case_id, SOURCE, aliases=["le Corbeau"], protection="protected", notes="rencontré au port"
    )
    ws.people.add(case_id, "Claire Dumas", role="official")
    tab = _tab(win)
    tab.load(case_id)
    names = tab.shown_names()
    assert f"{MASK_MARK}{source.pseudonym}" in names and "Claire Dumas" in names
    assert not any(SOURCE in n for n in names)
    assert "1 protected name(s) hidden" in tab.notice.text()

    tab.confirm_reveal = lambda: False
    tab.reveal_action.trigger()
    assert not tab.reveal_action.isChecked()
    assert not any(SOURCE in n for n in tab.shown_names())
    assert _reveals(ws, case_id) == 0

    tab.confirm_reveal = lambda: True
    tab.reveal_action.trigger()
    assert tab.reveal_action.isChecked()
    assert SOURCE in tab.shown_names()
    # The other views read (and record their reveal) in workers: counted once they have.
    qtbot.waitUntil(lambda: not reads_busy() and not running_jobs(), timeout=PATIENCE_MS)
    entries = [r.details for r in ws.audit.records(case_id) if r.action == "person.reveal"]
    assert entries[0] == {"person_ids": [source.id], "where": "app: every view until lock"}
    assert "people" in {e["where"] for e in entries}
    assert all(e["person_ids"] == [source.id] for e in entries)

    # The choice stays for the session (recorded once per view), until switched off or locked.
    count = _reveals(ws, case_id)
    tab.load(case_id)
    assert tab.reveal_action.isChecked() and SOURCE in tab.shown_names()
    assert _reveals(ws, case_id) == count
    tab.reveal_action.trigger()
    assert not tab.reveal_action.isChecked()
    assert not any(SOURCE in n for n in tab.shown_names())


def test_add_edit_and_merge_people(qtbot, unlocked) -> None:
    win = unlocked
    ws, case_id = win.state.ws, win.state.case_id
    tab = _tab(win)

    def add(dialog: PersonDialog) -> None:
        dialog.name.setText(SOURCE)
        dialog.aliases.setText("le Corbeau")
        dialog.protection.setCurrentIndex(dialog.protection.findData("anonymous"))
        dialog.notes.setPlainText("rencontré au port")
        dialog.save()

    answer(tab, add)
    tab.add_action.trigger()
    (person,) = ws.people.of_case(case_id)
    assert person.masked and person.pseudonym == "Source A"
    assert tab.shown_names() == [f"{MASK_MARK}Source A"]

    # Editing a masked person asks first, loads them revealed, and sends only what changed.
    tab.select_person(person.id)
    tab.confirm_reveal = lambda: True

    def edit(dialog: PersonDialog) -> None:
        assert dialog.name.text() == SOURCE
        dialog.role.setCurrentIndex(dialog.role.findData("source"))
        assert dialog.changed_values() == {"role": "source"}
        dialog.save()

    answer(tab, edit)
    tab.edit_action.trigger()
    kept = ws.people.get(case_id, person.id, reveal=True)
    assert (kept.role, kept.aliases, kept.notes) == ("source", ["le Corbeau"], "rencontré au port")

    duplicate = ws.people.add(case_id, "A. Vasseur")
    tab.reload()

    def merge(dialog: MergeDialog) -> None:
        dialog.choose(person.id, duplicate.id)
        dialog.save()

    answer(tab, merge)
    tab.merge_action.trigger()
    merged = ws.people.get(case_id, person.id, reveal=True)
    assert "A. Vasseur" in merged.aliases and merged.protection == "anonymous"
    assert tab.shown_names() == [f"{MASK_MARK}Source A"]
    assert "Merged into Source A" in win.statusBar().currentMessage()


def test_locking_masks_again_and_closes_open_forms(qtbot, unlocked, vault) -> None:
    win = unlocked
    ws, case_id = win.state.ws, win.state.case_id
    ws.people.add(case_id, SOURCE, protection="anonymous")
    tab = _tab(win)
    tab.load(case_id)
    tab.confirm_reveal = lambda: True
    tab.reveal_action.trigger()
    assert SOURCE in tab.shown_names()
    dialog = PersonDialog(win.state, case_id, None, win)
    qtbot.addWidget(dialog)
    dialog.show()
    win.lock()
    assert not dialog.isVisible()
    assert tab.shown_names() == [] and not tab.reveal_action.isChecked()
    win.start(vault, "correct horse battery staple")
    qtbot.waitUntil(lambda: bool(win.state.case_id), timeout=10000)
    assert not any(SOURCE in name for name in tab.shown_names())
    assert tab.shown_names() == [f"{MASK_MARK}Source A"]
