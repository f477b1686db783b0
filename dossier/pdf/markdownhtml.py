"""A Markdown note as the HTML its typeset export sets: the note as read, not as typed.

A note is stored as its author typed it (search, quotes and marks address that text), and it
leaves typeset (`textpdf`) as Markdown reads: `#` headings and underlined ones large and bold,
list items with a bullet or their number and nested ones further in, pipe tables ruled with
their header row bold, `**strong**` and `*emphasis*` in bold and italic, code in a fixed-width
font, quoted blocks set in, paragraphs flowing across their line breaks.

Only text comes out: every character of the note is set, escaped, except the markup itself (a
heading's `#`, the asterisks and underscores around emphasis, backticks and fences, a table's
pipes and its row of dashes, a quote's `>`, the backslash before an escaped character). Raw
HTML, links and images are set as the characters they are, never followed: nothing of the note
may hide in a tag, a link target or a picture that the redaction of words would not see.
"""

from __future__ import annotations

import html
import re

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?$")
_QUOTE = re.compile(r"^ {0,3}> ?")
_DELIMITER_CELL = re.compile(r"^[ \t]*(:?)-+(:?)[ \t]*$")
_PIPE = re.compile(r"(?<!\\)\|")
# Neither a code span nor a strong run reaches past the next backtick or "**": a line of a
# thousand unclosed ones is then read once, not once from each of them.
_CODE = re.compile(r"(?<!`)(`+)([^`]+)\1(?!`)")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~])")
_STRONG = re.compile(r"(?<![\w*])(\*\*|__)(?=\S)((?:(?!\1).)+?)(?<=\S)\1(?![\w*])")
_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=[^\s*_])([^*_]*?[^\s*_])\1(?![\w*])")
_MAX_QUOTE_DEPTH = 8
"""Quotes within quotes set in further, up to this depth (a hostile note may nest thousands)."""
_ALIGN = {(":", ""): "left", ("", ":"): "right", (":", ":"): "center"}


def markdown_html(text: str, depth: int = 0) -> str:
    """The HTML body of a Markdown page (the classes and tags `textpdf`'s style sheet sets)."""
    lines = text.replace("\r\n", "\n").split("\n")
    out: list[str] = []
    at = 0
    while at < len(lines):
        line = lines[at]
        if not line.strip():
            at += 1
            continue
        html_block, at = _block(lines, at, depth)
        out.append(html_block)
    return "".join(out)


def _block(lines: list[str], at: int, depth: int) -> tuple[str, int]:
    """The block starting at line `at`, and the line after it."""
    line = lines[at]
    fence = _FENCE.match(line)
    if fence:
        mark = fence.group(1)
        end = at + 1
        while end < len(lines) and not lines[end].strip().startswith(mark):
            end += 1
        return _pre(lines[at + 1 : end]), end + 1
    heading = _ATX.match(line)
    if heading:
        level = len(heading.group(1))
        return f"<h{level}>{_inline(heading.group(2) or '')}</h{level}>", at + 1
    if _RULE.match(line):
        return "<hr/>", at + 1
    if _starts_table(lines, at):
        return _table(lines, at)
    if _ITEM.match(line):
        return _list(lines, at)
    if _QUOTE.match(line):
        end = at
        while end < len(lines) and lines[end].strip() and _QUOTE.match(lines[end]):
            end += 1
        inner = [_QUOTE.sub("", quoted, count=1) for quoted in lines[at:end]]
        if depth >= _MAX_QUOTE_DEPTH:
            return _paragraph(inner), end
        return f"<blockquote>{markdown_html(chr(10).join(inner), depth + 1)}</blockquote>", end
    if line.startswith("    ") or line.startswith("\t"):
        end = at
        while end < len(lines) and (not lines[end].strip() or lines[end][:1] in (" ", "\t")):
            end += 1
        while not lines[end - 1].strip():
            end -= 1
        return _pre([_unindented(code) for code in lines[at:end]]), end
    end = at + 1
    while end < len(lines) and lines[end].strip() and not _interrupts(lines[end]):
        if _SETEXT.match(lines[end]):
            level = 1 if lines[end].strip()[0] == "=" else 2
            return f"<h{level}>{_joined(lines[at:end])}</h{level}>", end + 1
        end += 1
    return _paragraph(lines[at:end]), end


def _interrupts(line: str) -> bool:
    """Whether `line` starts a block of its own rather than continuing a paragraph."""
    if _SETEXT.match(line):
        return False  # underlines the paragraph (a heading), checked by the caller
    item = _ITEM.match(line)
    return bool(
        _FENCE.match(line)
        or _ATX.match(line)
        or _RULE.match(line)
        or _QUOTE.match(line)
        or (item and item.group(3))  # an empty item does not end a paragraph
    )


def _unindented(line: str) -> str:
    return line[4:] if line.startswith("    ") else line[1:]


def _paragraph(lines: list[str]) -> str:
    return f"<p>{_joined(lines)}</p>"


def _joined(lines: list[str]) -> str:
    """Lines of one paragraph: they flow, except after a hard break (two spaces, a backslash)."""
    parts = []
    for index, line in enumerate(lines):
        last = index == len(lines) - 1
        hard = not last and (line.endswith("  ") or line.endswith("\\"))
        content = line.strip()
        if hard and content.endswith("\\"):
            content = content[:-1]
        parts.append(_inline(content) + ("" if last else "<br/>" if hard else " "))
    return "".join(parts)


def _pre(lines: list[str]) -> str:
    return f"<pre>{html.escape(chr(10).join(lines), quote=False)}</pre>"


def _list(lines: list[str], at: int) -> tuple[str, int]:
    """A run of list items, each with its continuation lines; nesting from their indents."""
    out = []
    indents: list[int] = []
    while at < len(lines):
        item = _ITEM.match(lines[at])
        if item is None:
            break
        indent = len(item.group(1))
        while indents and indents[-1] > indent:
            indents.pop()
        if not indents or indents[-1] < indent:
            indents.append(indent)
        marker = item.group(2)
        bullet = "•" if marker in ("-", "*", "+") else marker
        end = at + 1
        while end < len(lines) and lines[end].strip() and not _ITEM.match(lines[end]):
            if _interrupts(lines[end]) or _SETEXT.match(lines[end]):
                break
            end += 1
        body = _joined([item.group(3) or "", *lines[at + 1 : end]])
        margin = 28 + 18 * (len(indents) - 1)
        out.append(f'<p class="item" style="margin-left: {margin}pt">{bullet} {body}</p>')
        at = end
        while at < len(lines) and not lines[at].strip():
            at += 1
        if at < len(lines) and not _ITEM.match(lines[at]):
            break
    return "".join(out), at


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return [cell.strip() for cell in _PIPE.split(line)]


def _starts_table(lines: list[str], at: int) -> bool:
    """A row with pipes, then a row of as many cells of dashes (GitHub's pipe tables)."""
    if at + 1 >= len(lines) or not _PIPE.search(lines[at]):
        return False
    delimiter = _cells(lines[at + 1])
    columns = len(_cells(lines[at]))
    return len(delimiter) == columns and all(_alignment(cell) is not None for cell in delimiter)


def _alignment(cell: str) -> str | None:
    """A delimiter row's cell: its column's alignment ("" for none), None if not one."""
    dashes = _DELIMITER_CELL.match(cell)
    return None if dashes is None else _ALIGN.get((dashes[1], dashes[2]), "")


def _table(lines: list[str], at: int) -> tuple[str, int]:
    header = _cells(lines[at])
    aligns = [_alignment(cell) or "" for cell in _cells(lines[at + 1])]
    rows = [header]
    end = at + 2
    while end < len(lines) and lines[end].strip() and _PIPE.search(lines[end]):
        rows.append(_cells(lines[end]))
        end += 1
    columns = max(len(row) for row in rows)
    out = ["<table>"]
    for number, row in enumerate(rows):
        tag = "th" if number == 0 else "td"
        out.append("<tr>")
        for column, cell in enumerate(row + [""] * (columns - len(row))):
            align = aligns[column] if column < len(aligns) else ""
            style = f' style="text-align: {align}"' if align else ""
            out.append(f"<{tag}{style}>{_inline(cell)}</{tag}>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out), end


def _inline(text: str) -> str:
    """Code spans, strong and emphasis; everything else escaped, as it is written."""
    out = []
    at = 0
    for code in _CODE.finditer(text):
        out.append(_styled(text[at : code.start()]))
        out.append(
            f"<code>{html.escape(code.group(2).strip() or code.group(2), quote=False)}</code>"
        )
        at = code.end()
    out.append(_styled(text[at:]))
    return "".join(out)


def _styled(text: str) -> str:
    escaped = html.escape(text, quote=False)
    # An escaped character is itself, out of reach of the emphasis below.
    escaped = _ESCAPED.sub(lambda m: f"&#{ord(m.group(1))};", escaped)
    escaped = _STRONG.sub(r"<b>\2</b>", escaped)
    return _EMPHASIS.sub(r"<i>\2</i>", escaped)
