"""A Markdown note reads as Markdown: paragraphs flow to the pane's width (no break
mid-sentence), headings and emphasis are styled, and every character keeps the offset the
core stored, so selections, hits and quotes land where they did."""

from __future__ import annotations

import time

import pytest
from PySide6.QtGui import QFont, QTextCharFormat, QTextCursor, QTextDocument

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


TABLE_NOTE = (
    "| Date | Montant | Source |\n"
    "|------|:-------:|--------|\n"
    "| 2023-11-02 | 2,5 M€ | mairie |\n"
    "\n"
    "> « Personne n'a rien vérifié », dit-il.\n"
    "\n"
    "Voir `dossier-2023-114` pour la suite.\n"
)


def _format_at(document: QTextDocument, text: str, needle: str, offset: int = 0) -> object:
    cursor = QTextCursor(document)
    cursor.setPosition(text.index(needle) + offset + 1)  # the format of the character after
    return cursor.charFormat()


def test_tables_quotes_and_code_read_as_markdown_not_as_typed(qtbot) -> None:
    """Found using the app: a note's table showed its pipes and its row of dashes as typed,
    its quote its '>' and its code its backquotes, among the styled headings and emphasis.
    The table's header is bold, its pipes and its row of dashes greyed; a quote is in italic
    with its '>' greyed; code is in a fixed-pitch font with its backquotes greyed."""
    document = QTextDocument()
    document.setPlainText(reflowed(TABLE_NOTE))
    style_markdown(document)
    grey = _format_at(document, TABLE_NOTE, "| Date").foreground().color()  # type: ignore[attr-defined]
    assert grey.lightness() > 100
    assert _format_at(document, TABLE_NOTE, "Date").fontWeight() == QFont.Weight.Bold  # type: ignore[attr-defined]
    dashes = _format_at(document, TABLE_NOTE, "|------", 2)
    assert dashes.foreground().color().lightness() > 100  # type: ignore[attr-defined]
    cell = _format_at(document, TABLE_NOTE, "2,5 M€")
    assert cell.fontWeight() != QFont.Weight.Bold  # type: ignore[attr-defined]
    assert cell.foreground().color().lightness() < 100  # type: ignore[attr-defined]
    bar = _format_at(document, TABLE_NOTE, "| mairie")
    assert bar.foreground().color().lightness() > 100  # type: ignore[attr-defined]
    assert _format_at(document, TABLE_NOTE, "> «").foreground().color().lightness() > 100  # type: ignore[attr-defined]
    assert _format_at(document, TABLE_NOTE, "Personne").fontItalic()  # type: ignore[attr-defined]
    tick = _format_at(document, TABLE_NOTE, "`dossier")
    assert tick.foreground().color().lightness() > 100  # type: ignore[attr-defined]
    code = _format_at(document, TABLE_NOTE, "dossier-2023")
    assert code.fontFixedPitch() or code.fontFamilies() != QTextCharFormat().fontFamilies()  # type: ignore[attr-defined]
    assert document.toPlainText() == reflowed(TABLE_NOTE)


@pytest.mark.parametrize("run", ["**gras** ", "`code` ", "| cellule "])
def test_a_line_of_thousands_of_styled_runs_is_styled_at_once(qtbot, run: str) -> None:
    # Each styled run costs Qt a pass over its line: 5,000 bold words on one line took 11 s
    # of the GUI thread (2,000 took 1.8 s); a line now gets its first MARKS_PER_LINE runs.
    document = QTextDocument()
    document.setPlainText(run * 5_000 + "|\n**fin**")
    started = time.thread_time()
    style_markdown(document)
    assert time.thread_time() - started < 3.0
    cursor = QTextCursor(document)
    cursor.setPosition(document.lastBlock().position() + 3)
    assert cursor.charFormat().fontWeight() == QFont.Weight.Bold
