"""Markdown notes shown as read, not as typed, without changing where any character is.

The text view's offsets are those of the stored text (selections, search hits and quotes
depend on it), so nothing is added or removed: a line break inside a paragraph becomes a space
(one character for one, so the paragraph flows to the pane's width instead of breaking
mid-sentence), headings are set large and bold with their `#` greyed, `**bold**` and `*italic*`
take their style with their asterisks greyed, list items and code keep their lines. A table's
pipes and its row of dashes are greyed and its first row is bold; a quote is in italic with its
`>` greyed; code between backquotes is in a fixed-pitch font with its backquotes greyed.
"""

from __future__ import annotations

import re

from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)

_HEADING = re.compile(r"^(#{1,6})\s+\S")
_KEEPS_ITS_LINE = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|#{1,6}\s|>|\||```|\s{4})")
# A strong run stops at the next "**" or "__": a line of thousands that never close is then
# read once, not once from each of them (seconds on the GUI thread).
_STRONG = re.compile(r"(\*\*|__)(?=\S)((?:(?!\1).)+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![*\w])([*_])(?=\S)([^*_\n]+?)(?<=\S)\1(?![*\w])")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$")
_QUOTE = re.compile(r"^\s*((?:>\s?)+)")
_CODE = re.compile(r"(`+)([^`\n]+?)\1")


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


MARKS_PER_LINE = 200
"""Styled runs (a bold word, a pipe, a code span) a line gets at most, and `MARKS` a note: each
costs Qt a pass over its line's formats, so a line of thousands took seconds on the GUI thread
(2,000 `**bold**` 1.8 CPU-s); a note written by a person has a handful, the rest stays plain."""
MARKS = 4000

_Run = tuple[int, int, QTextCharFormat]


def style_markdown(document: QTextDocument) -> None:
    grey = QTextCharFormat()
    grey.setForeground(QColor(160, 160, 160))
    left = MARKS
    block = document.firstBlock()
    while block.isValid() and left > 0:
        runs = _runs(block, grey)[: min(MARKS_PER_LINE, left)]
        left -= len(runs)
        for start, end, fmt in runs:
            _format(block.position(), start, end, fmt, document)
        block = block.next()


def _runs(block: QTextBlock, grey: QTextCharFormat) -> list[_Run]:
    """The styled runs of one line, in the order they are applied (a marker's grey last)."""
    text = block.text()
    runs: list[_Run] = []
    heading = _HEADING.match(text)
    if heading:
        level = len(heading.group(1))
        fmt = QTextCharFormat()
        fmt.setFontWeight(QFont.Weight.Bold)
        fmt.setFontPointSize(max(QFont().pointSizeF(), 9.0) * (1.4 if level == 1 else 1.15))
        runs += [(0, len(text), fmt), (0, level, grey)]
    if _TABLE_ROW.match(text):
        runs += _table_row(block, grey)
    quote = _QUOTE.match(text)
    if quote:
        italic = QTextCharFormat()
        italic.setFontItalic(True)
        runs += [(quote.end(), len(text), italic), (0, quote.end(), grey)]
    code = QTextCharFormat()
    code.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    runs += _marked(_CODE, text, code, grey)
    bold = QTextCharFormat()
    bold.setFontWeight(QFont.Weight.Bold)
    italic = QTextCharFormat()
    italic.setFontItalic(True)
    return runs + _marked(_STRONG, text, bold, grey) + _marked(_EMPHASIS, text, italic, grey)


def _marked(
    pattern: re.Pattern[str], text: str, fmt: QTextCharFormat, grey: QTextCharFormat
) -> list[_Run]:
    """The runs `pattern` finds, each styled `fmt` with its markers (group 1) greyed."""
    runs: list[_Run] = []
    for match in pattern.finditer(text):
        marker = len(match.group(1))
        runs += [
            (match.start(), match.end(), fmt),
            (match.start(), match.start() + marker, grey),
            (match.end() - marker, match.end(), grey),
        ]
        if len(runs) >= MARKS_PER_LINE:
            break
    return runs


def _table_row(block: QTextBlock, grey: QTextCharFormat) -> list[_Run]:
    """A table's row: its pipes greyed, the whole row of dashes under the header greyed, the
    header (the row with a row of dashes under it) bold."""
    text = block.text()
    if _TABLE_RULE.match(text):
        return [(0, len(text), grey)]
    runs: list[_Run] = []
    following = block.next()
    if following.isValid() and _TABLE_RULE.match(following.text()):
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.Bold)
        runs.append((0, len(text), bold))
    for at, character in enumerate(text):
        if character == "|":
            runs.append((at, at + 1, grey))
            if len(runs) >= MARKS_PER_LINE:
                break
    return runs


def _format(base: int, start: int, end: int, fmt: QTextCharFormat, doc: QTextDocument) -> None:
    cursor = QTextCursor(doc)
    cursor.setPosition(base + start)
    cursor.setPosition(base + end, QTextCursor.MoveMode.KeepAnchor)
    cursor.mergeCharFormat(fmt)
