"""A Word file's page text in the text viewer: headings bold, tables fixed-pitch, text unchanged."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QTextCharFormat, QTextCursor
from pytestqt.qtbot import QtBot

from dossier.ingest.layout import Layout
from dossier.text.model import PageText
from ui.viewer.text_view import TextView


def _format_at(view: TextView, offset: int) -> QTextCharFormat:
    cursor = QTextCursor(view.document())
    cursor.setPosition(offset + 1)
    return cursor.charFormat()


def test_headings_and_tables_are_styled_without_changing_the_text(qtbot: QtBot) -> None:
    layout = Layout()
    layout.heading("Rapport annuel", 1)
    layout.paragraph("Le budget | la dépense, dit-il.")
    layout.table([["Commune", "Caméras"], ["Toulouse", "412"]])
    text = layout.text()
    view = TextView()
    qtbot.addWidget(view)
    view.show_pages([PageText(index=0, text=text)])
    assert view.toPlainText() == text
    assert _format_at(view, text.index("Rapport")).font().bold()
    fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
    prose = _format_at(view, text.index("Le budget"))  # one bar in prose is not a table
    row = _format_at(view, text.index("Toulouse"))
    assert not prose.font().bold() and fixed not in (prose.fontFamilies() or [])
    assert fixed in (row.fontFamilies() or [])
