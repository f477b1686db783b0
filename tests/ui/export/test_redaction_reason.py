"""A box drawn on a page asks why, beside the page: the reason is kept sealed with the mark,
shown in the export's preview and in the audit trail (masked there like everywhere on screen),
never exported; Escape leaves the box without one; Undo takes the reason back."""

from __future__ import annotations

import zipfile

from PySide6.QtCore import Qt

from tests.ui.conftest import import_now, sample_pdf
from tests.ui.export.test_redaction_export_ui import _draw_box_over_needle, _run_wizard
from ui.audit_dialog import AuditDialog

REASON = "adresse de Claire Dumas"


def test_a_box_drawn_asks_its_reason(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    ws, case_id = win.state.ws, win.state.case_id
    ws.people.add(case_id, "Claire Dumas", protection="protected", pseudonym="Source A")
    doc_id = import_now(win, sample_pdf(tmp_path / "in"), kind="source")
    _draw_box_over_needle(qtbot, win, doc_id)
    bar = win.workflows.reason_bar
    qtbot.waitUntil(lambda: bar.isVisible() and bar.line.hasFocus(), timeout=5000)
    qtbot.keyClicks(bar.line, REASON)
    qtbot.keyClick(bar.line, Qt.Key.Key_Return)
    assert not bar.isVisible()
    (mark,) = ws.redactions.of_case(case_id)
    assert mark.reason == REASON

    # The audit trail has it, with the protected name masked as on every screen.
    dialog = AuditDialog(win.state, win)
    qtbot.addWidget(dialog)
    rows = {
        dialog.table.item(r, 2).text(): dialog.table.item(r, 3).text()
        for r in range(dialog.table.rowCount())
    }
    assert "adresse de Source A" in rows["redaction reason given"]
    assert "Dumas" not in "".join(rows.values())
    dialog.close()

    # Undo takes the reason back, then the box.
    assert win.actions_by_name["undo"].text() == "Undo reason of a redaction mark"
    win.actions_by_name["undo"].trigger()
    assert ws.redactions.of_case(case_id)[0].reason == ""
    win.actions_by_name["redo"].trigger()
    assert ws.redactions.of_case(case_id)[0].reason == REASON

    def check_preview(page) -> None:
        qtbot.waitUntil(
            lambda: page.pages.count() > 0 and not page.reasons.isHidden(), timeout=15000
        )
        assert page.reasons.text() == "Why these boxes: adresse de Source A"

    out = tmp_path / "bundle.zip"
    win.workflows.set_redact_tool(False)
    result, failure, _report, _status = _run_wizard(qtbot, win, out, check_preview=check_preview)
    assert failure is None and result is not None
    with zipfile.ZipFile(out) as bundle:
        everything = b"".join(bundle.read(name) for name in bundle.namelist())
    assert b"adresse" not in everything  # a reason never leaves the vault


def test_escape_leaves_the_box_without_a_reason(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    doc_id = import_now(win, sample_pdf(tmp_path / "in"), kind="source")
    _draw_box_over_needle(qtbot, win, doc_id)
    bar = win.workflows.reason_bar
    qtbot.waitUntil(lambda: bar.isVisible(), timeout=5000)
    qtbot.keyClicks(bar.line, "brouillon")
    qtbot.keyClick(bar.line, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    (mark,) = win.state.ws.redactions.of_case(win.state.case_id)
    assert mark.reason == ""
