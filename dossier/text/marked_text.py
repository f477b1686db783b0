"""Page text with the marks of hidden text and tracked changes, written one way for every
reader (Word, OpenDocument, RTF).

A reader keeps what a file hides or changes where it stands, between the strings a reader of
page text reads past (`dossier.text.revisions`: "[-", "-]", "{+", "+}"). The file's own text
can hold the same strings, whole or in pieces: "x-]yy" hidden, or "-" in one element and "]"
in the next. Written as they were read, they closed or opened a mark ("Quarter" + hidden
"x-]yy" + "maine" read "Quarteryymaine", a name no reading found). So a reader writes its
text in two steps:

- while reading, each piece of the file's text goes through `literal` and each mark is a
  character no text from a file holds (`pending`, `opening`, `closing`: Unicode
  noncharacters, which `literal` replaces);
- once a paragraph (or a whole text) is read, `page_text` writes it: the text between two
  marks escaped as one (`revisions.escaped`), so that no mark string is ever formed across
  pieces, nor across a piece and a mark; a mark inside a mark of its kind written once (a
  deletion in a deletion is deleted once). Every mark string in page text is then a mark.
"""

from __future__ import annotations

import re

from dossier.text.revisions import (
    DELETED_CLOSE,
    DELETED_OPEN,
    INSERTED_CLOSE,
    INSERTED_OPEN,
    WORD_JOINER,
    escaped,
)

_OPEN = {"deleted": "\ufdd0", "inserted": "\ufdd2"}
_CLOSE = {"deleted": "\ufdd1", "inserted": "\ufdd3"}
_WRITTEN = {
    "\ufdd0": DELETED_OPEN,
    "\ufdd1": DELETED_CLOSE,
    "\ufdd2": INSERTED_OPEN,
    "\ufdd3": INSERTED_CLOSE,
}
_KIND = {"\ufdd0": "deleted", "\ufdd1": "deleted", "\ufdd2": "inserted", "\ufdd3": "inserted"}
_PENDING = re.compile("[\ufdd0-\ufdd3]")
_RESERVED = re.compile("[\ufdd0-\ufdef]")
_NOT_A_MARK = str.maketrans(dict.fromkeys(range(0xFDD0, 0xFDF0), "\ufffd"))
_RESERVED_CHARACTERS = [chr(code) for code in range(0xFDD0, 0xFDF0)]
_LONG = 1024
"""U+FDD0-U+FDEF, the block of noncharacters Unicode keeps for a program's own use: the
pending marks, and readers' own (an OpenDocument note's citation until its word ends)."""
_JOINS_BEFORE = ("[", "{", "-", "+")
_JOINS_AFTER = ("]", "}", "-", "+")
"""A character of the text that would run into the mark next to it: "x[" then "-]"."""


def literal(text: str) -> str:
    """Text from the file, which cannot hold a pending mark."""
    # Looked for first (most text is ASCII, which says so at once): translating goes over each
    # character in Python; a long text (an RTF file's) is searched a character at a time, in C
    # three times faster than by a pattern.
    if text.isascii():
        return text
    if len(text) > _LONG:
        found = any(reserved in text for reserved in _RESERVED_CHARACTERS)
    else:
        found = _RESERVED.search(text) is not None
    return text.translate(_NOT_A_MARK) if found else text


def pending(kind: str, text: str) -> str:
    """`text` marked as `kind` ("deleted": a deletion or hidden text; "inserted"), until the
    text is written; any other kind is text as is."""
    if not text or kind not in _OPEN:
        return text
    return f"{_OPEN[kind]}{text}{_CLOSE[kind]}"


def opening(kind: str) -> str:
    """Where a mark of `kind` begins, for a mark whose end is read later, maybe in another
    paragraph (an OpenDocument insertion's start and end are two elements)."""
    return _OPEN[kind]


def closing(kind: str) -> str:
    return _CLOSE[kind]


def written_mark(kind: str, text: str) -> str:
    """`text`, page text already, in a mark of `kind` as `page_text` writes one: how the body
    holds a change the list of changes names ("[-x-\u2060-]" for "x-")."""
    if not text or kind not in _OPEN:
        return text
    head = WORD_JOINER if text.startswith(_JOINS_AFTER) else ""
    tail = WORD_JOINER if text.endswith(_JOINS_BEFORE) else ""
    return f"{_WRITTEN[_OPEN[kind]]}{head}{text}{tail}{_WRITTEN[_CLOSE[kind]]}"


def plain(text: str) -> str:
    """Text from the file written alone (a note's label, a comment's author), no mark in it."""
    # What `literal` leaves holds no pending mark: escaped, as `page_text` would write it.
    return escaped(literal(text))


def page_text(read: str) -> str:
    """A text read with pending marks, as page text. A mark's end closes the innermost mark
    of its kind; one that closes none is written as it is (the end of an insertion begun in
    an earlier paragraph)."""
    if (
        "\ufdd0" not in read
        and "\ufdd1" not in read
        and "\ufdd2" not in read
        and "\ufdd3" not in read
    ):  # most paragraphs: no mark, the text alone (each looked for in C, not by a generator)
        return escaped(read)
    out: list[str] = []
    text: list[str] = []
    open_kinds: list[tuple[str, bool]] = []
    """The marks open, innermost last: their kind, and whether the mark is written."""
    position = 0
    for found in _PENDING.finditer(read):
        text.append(read[position : found.start()])
        position = found.end()
        mark = found.group()
        kind = _KIND[mark]
        if mark in _OPEN.values():
            written = all(other != kind for other, _ in open_kinds)
            open_kinds.append((kind, written))
        else:
            written = True
            for index in range(len(open_kinds) - 1, -1, -1):
                if open_kinds[index][0] == kind:
                    written = open_kinds.pop(index)[1]
                    break
        if written:
            _write_text(out, "".join(text), before_a_mark=True)
            text = []
            out.append(_WRITTEN[mark])
    text.append(read[position:])
    _write_text(out, "".join(text), before_a_mark=False)
    return "".join(out)


def _write_text(out: list[str], text: str, *, before_a_mark: bool) -> None:
    if not text:
        return
    if out and text.startswith(_JOINS_AFTER):  # after a mark: only marks are written first
        out.append(WORD_JOINER)
    out.append(escaped(text))
    if before_a_mark and text.endswith(_JOINS_BEFORE):
        out.append(WORD_JOINER)
