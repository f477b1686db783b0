"""The marks of hidden text and tracked changes while a Word paragraph is read, and its page
text once read.

A paragraph's pieces come from many runs, and marks from nested ones (hidden text in a
deletion, a deletion in a field's code); the page text writes each mark as the strings a reader
reads past (`dossier.text.revisions`). Written while reading, the same strings in the file's own
text ("x-]yy" hidden) closed a mark early. So a mark is first a character no text holds (a
Unicode noncharacter, replaced in the file's text), and the paragraph's text is written once
whole: its own mark strings escaped, a mark inside a mark of its kind left out (a deletion in a
deletion is deleted once), so that every mark string in page text is a mark.
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
_NOT_A_MARK = str.maketrans(dict.fromkeys(_WRITTEN, "\ufffd"))
_JOINS_BEFORE = ("[", "{", "-", "+")
_JOINS_AFTER = ("]", "}", "-", "+")
"""A character of the text that would run into the mark next to it: "x[" then "-]"."""


def literal(text: str) -> str:
    """Text from the file, which cannot hold a pending mark."""
    return text.translate(_NOT_A_MARK)


def pending(kind: str, text: str) -> str:
    """`text` marked as `kind` ("deleted": a deletion or hidden text; "inserted"), until the
    paragraph's text is written; any other kind is text as is."""
    if not text or kind not in _OPEN:
        return text
    return f"{_OPEN[kind]}{text}{_CLOSE[kind]}"


def page_text(read: str) -> str:
    """A paragraph's text, read with pending marks, as page text."""
    out: list[str] = []
    text: list[str] = []
    open_kinds: list[tuple[str, bool]] = []
    """The marks open, innermost last: their kind, and whether the mark is written."""
    position = 0
    for found in _PENDING.finditer(read):
        text.append(read[position : found.start()])
        position = found.end()
        mark = found.group()
        if mark in _OPEN.values():
            written = all(kind != _KIND[mark] for kind, _ in open_kinds)
            open_kinds.append((_KIND[mark], written))
        elif open_kinds:
            _, written = open_kinds.pop()
        else:
            written = False
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
