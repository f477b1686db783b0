"""Case › Audit trail: the vault's record in the app, checked; an entry deleted from the SQLite
file by someone without the key is reported, not shown as intact."""

from __future__ import annotations

import contextlib
import re
import sqlite3

from ui.audit_dialog import AuditDialog


def test_the_audit_trail_is_shown_and_a_deleted_entry_is_caught(qtbot, unlocked, vault) -> None:
    win = unlocked
    ws, case_id = win.state.ws, win.state.case_id
    for name in ("Claire Dumas", "Marie Lenoir", "Jean Petit"):
        ws.people.add(case_id, name)
    assert win.actions_by_name["audit"].isEnabled()
    dialog = AuditDialog(win.state, win)
    qtbot.addWidget(dialog)
    assert dialog.verdict.text().startswith("✔ The audit trail is intact")
    assert dialog.table.rowCount() > 0
    actions = {dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())}
    assert actions  # the actions recorded, e.g. the case's creation

    with contextlib.closing(sqlite3.connect(vault / "catalog.sqlite")) as db:
        db.execute("DELETE FROM audit_entry WHERE seq = 2")
        db.commit()
    dialog.verify()
    assert dialog.verdict.text().startswith("✘ The audit trail does not check out")

    win.lock()
    assert not dialog.isVisible() and dialog.result() == 0


def test_the_audit_trail_names_its_actions_in_words(qtbot, unlocked) -> None:
    win = unlocked
    win.state.ws.people.add(win.state.case_id, "Claire Dumas")
    dialog = AuditDialog(win.state, win)
    qtbot.addWidget(dialog)
    actions = [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]
    assert "case created" in actions and "person added" in actions
    assert not [action for action in actions if "." in action]
    # When: a reader's date and time, not the ISO form the chain signs.
    when = dialog.table.item(0, 1).text()
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", when), when
