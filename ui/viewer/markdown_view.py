"""Markdown notes shown as read, not as typed, without changing where any character is.

The text view's offsets are those of the stored text (selections, search hits and quotes
depend on it), so nothing is added or removed: a line break inside a paragraph becomes a space
(one character for one, so the paragraph flows to the pane's width instead of breaking
mid-sentence), headings are set large and bold with their `#` greyed, `**bold**` and `*italic*`
take their style with their asterisks greyed, list items and code keep their lines.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor, QTextDocument

_HEADING = re.compile(r"^(#{1,6})\s+\S")
_KEEPS_ITS_LINE = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|#{1,6}\s|>|\||```|\s{4})")
# A strong run stops at the next "**" or "__": a line of thousands that never close is then
# read once, not once from each of them (seconds on the GUI thread).
_STRONG = re.compile(r"(\*\*|__)(?=\S)((?:(?!\1).)+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![*\w])([*_])(?=\S)([^*_\n]+?)(?<=\S)\1(?![*\w])")


def reflowed(text: str) -> str:
    """`text` with the line breaks inside paragraphs turned into spaces (same length)."""
    lines = text.split("\n")
    out: list[str] = []
    for index, line in enumerate(lines):
        out.append(line)
        if index == len(lines) - 1:
            break
        following = lines[index + 1]
        joins = (
            line.strip()
            and following.strip()
            and not _KEEPS_ITS_LINE.match(line)
            and not _KEEPS_ITS_LINE.match(following)
            and not line.endswith("  ")  # Markdown's own hard break
        )
        out.append(" " if joins else "\n")
    return "".join(out)


def style_markdown(document: QTextDocument) -> None:
    grey = QTextCharFormat()
    grey.setForeground(QColor(160, 160, 160))
    block = document.firstBlock()
    while block.isValid():
        text = block.text()
        heading = _HEADING.match(text)
        if heading:
            level = len(heading.group(1))
            fmt = QTextCharFormat()
            fmt.setFontWeight(QFont.Weight.Bold)
            fmt.setFontPointSize(max(QFont().pointSizeF(), 9.0) * (1.4 if level == 1 else 1.15))
            _format(block.position(), 0, len(text), fmt, document)
            _format(block.position(), 0, level, grey, document)
        for pattern, weight in ((_STRONG, True), (_EMPHASIS, False)):
            for match in pattern.finditer(text):
                fmt = QTextCharFormat()
                if weight:
                    fmt.setFontWeight(QFont.Weight.Bold)
                else:
                    fmt.setFontItalic(True)
                marker = len(match.group(1))
                _format(block.position(), match.start(), match.end(), fmt, document)
                _format(block.position(), match.start(), match.start() + marker, grey, document)
                _format(block.position(), match.end() - marker, match.end(), grey, document)
        block = block.next()


def _format(base: int, start: int, end: int, fmt: QTextCharFormat, doc: QTextDocument) -> None:
    cursor = QTextCursor(doc)
    cursor.setPosition(base + start)
    cursor.setPosition(base + end, QTextCursor.MoveMode.KeepAnchor)
    cursor.mergeCharFormat(fmt)
