"""The viewer's Redact button is there to draw on a PDF page: it is greyed out while no page
can take a box (no document open, a text document, the document closed again)."""

from __future__ import annotations

from tests.ui.conftest import import_now, sample_pdf
from tests.ui.interactions import open_and_wait
from ui.export.redactions_tab import RedactionsTab


def test_redact_is_enabled_only_while_a_pdf_is_shown(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    redact = win.workflows.redact_tool.action
    assert win.viewer.current_document() is None
    assert not redact.isEnabled()
    # The redactions tab's "Draw boxes" says what to do and springs back: no tool on nothing.
    draw = win.contents.tab(RedactionsTab).draw_action
    draw.trigger()
    assert not win.workflows.redact_tool.active and not draw.isChecked()
    pdf = import_now(win, sample_pdf(tmp_path / "in"), kind="source")
    note = tmp_path / "note.md"
    note.write_text("# Note\n\nUne ligne de texte.\n", encoding="utf-8")
    text = import_now(win, note, kind="note")
    assert not redact.isEnabled()
    open_and_wait(qtbot, win, pdf)
    assert redact.isEnabled()
    redact.trigger()
    assert win.workflows.redact_tool.active and draw.isChecked()
    win.state.open_document(text)
    qtbot.waitUntil(lambda: win.viewer.doc_id == text, timeout=10000)
    assert not redact.isEnabled() and not win.workflows.redact_tool.active
    assert not draw.isChecked()
    open_and_wait(qtbot, win, pdf)
    assert redact.isEnabled()
    win.viewer.clear()
    assert not redact.isEnabled()
