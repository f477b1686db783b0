"""Headings and tables of a text page made easy to read, without changing a character.

Word and OpenDocument files reach the viewer as page text laid out by `dossier.ingest.layout`:
a heading underlined with "=" or "-", table rows as cells separated by " | ". Here the heading
is set in bold (larger for the first level), its underline is greyed, and table rows use a
fixed-pitch font so their padded columns line up. Only character formats change: offsets,
selection, search hits and quote spans stay exactly those of the stored text.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QFont, QFontDatabase, QTextCharFormat, QTextCursor, QTextDocument

_UNDERLINE = re.compile(r"^(=+|-+)$")
_TABLE_CELL = " | "


def style_structure(document: QTextDocument) -> None:
    heading1, heading2, rule, table = _formats()
    block = document.firstBlock()
    previous = None
    while block.isValid():
        text = block.text()
        match = _UNDERLINE.match(text) if len(text) >= 3 else None
        if match and previous is not None and previous.text().strip():
            _apply(previous, heading1 if text[0] == "=" else heading2)
            _apply(block, rule)
        elif _TABLE_CELL in text and _is_table_row(block):
            _apply(block, table)
        previous = block
        block = block.next()


def _is_table_row(block: object) -> bool:
    """A row is a line with cells next to another such line (one bar alone is prose)."""
    neighbours = (block.previous(), block.next())  # type: ignore[attr-defined]
    return any(n.isValid() and _TABLE_CELL in n.text() for n in neighbours)


def _apply(block: object, fmt: QTextCharFormat) -> None:
    cursor = QTextCursor(block)  # type: ignore[call-overload]
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    cursor.mergeCharFormat(fmt)


def _formats() -> tuple[QTextCharFormat, QTextCharFormat, QTextCharFormat, QTextCharFormat]:
    heading1 = QTextCharFormat()
    heading1.setFontWeight(QFont.Weight.Bold)
    heading1.setFontPointSize(max(QFont().pointSizeF(), 9.0) * 1.3)
    heading2 = QTextCharFormat()
    heading2.setFontWeight(QFont.Weight.Bold)
    rule = QTextCharFormat()
    rule.setForeground(QColor(160, 160, 160))
    table = QTextCharFormat()
    table.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    return heading1, heading2, rule, table
