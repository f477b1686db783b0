"""A Markdown note reads as Markdown: paragraphs flow to the pane's width (no break
mid-sentence), headings and emphasis are styled, and every character keeps the offset the
core stored, so selections, hits and quotes land where they did."""

from __future__ import annotations

import time

from PySide6.QtGui import QFont, QTextCursor, QTextDocument

from tests.ui.conftest import import_now
from ui.viewer.markdown_view import reflowed, style_markdown

NOTE = (
    "# Note de travail\n"
    "\n"
    "Point de départ : une enquête affirme que des services de\n"
    "police utilisent un logiciel **sans cadre légal** depuis\n"
    "plusieurs *années*.\n"
    "\n"
    "À vérifier :\n"
    "- la date d'acquisition ;\n"
    "- le service acheteur.\n"
)


def test_paragraphs_flow_and_lists_keep_their_lines() -> None:
    flowed = reflowed(NOTE)
    assert len(flowed) == len(NOTE)
    assert "des services de police utilisent" in flowed
    assert "depuis plusieurs *années*.\n\nÀ vérifier :\n- la date" in flowed
    assert "\n- le service acheteur." in flowed
    assert flowed.startswith("# Note de travail\n\n")


def test_a_markdown_note_is_shown_styled_at_its_offsets(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    source = tmp_path / "note.md"
    source.write_text(NOTE, encoding="utf-8")
    doc_id = import_now(win, source, kind="note")
    win.state.open_document(doc_id)
    view = win.viewer.text
    qtbot.waitUntil(lambda: win.viewer.doc_id == doc_id and bool(view.pages), timeout=15000)
    stored = view.pages[0].text
    shown = view.toPlainText()
    assert len(shown) == len(stored)
    assert "des services de police" in shown
    heading = view.document().firstBlock()
    assert heading.text() == "# Note de travail"
    cursor = QTextCursor(view.document())
    cursor.setPosition(heading.position() + 3)
    assert cursor.charFormat().fontWeight() == QFont.Weight.Bold
    at = stored.index("sans cadre")
    cursor.setPosition(at + 1)
    assert cursor.charFormat().fontWeight() == QFont.Weight.Bold
    # A selection gives the stored characters, line break and all.
    start, end = stored.index("services de"), stored.index("police") + len("police")
    view.select_span(0, start, end)
    assert view.selection is not None and (view.selection.start, view.selection.end) == (start, end)
    assert view.selected_text() == "services de\npolice"


def test_a_line_of_unclosed_markers_is_styled_at_once(qtbot) -> None:
    # A note can come from anyone: 16,000 "**" that never close, on one line, were searched to
    # the line's end from each of them (about 10 s at 8,000 on the GUI thread, growing with the
    # square); each search now stops at the next "**".
    document = QTextDocument()
    document.setPlainText("**mot " * 16_000 + "\n**gras** et __aussi__")
    started = time.thread_time()  # CPU: a loaded machine's wall clock measures the machine
    style_markdown(document)
    assert time.thread_time() - started < 3.0
    cursor = QTextCursor(document)
    cursor.setPosition(document.lastBlock().position() + 4)
    assert cursor.charFormat().fontWeight() == QFont.Weight.Bold
