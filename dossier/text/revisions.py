"""Tracked changes as page text writes them, and the two ways a reader reads them.

A Word or OpenDocument draft keeps its changes where they were made, `[-deleted-]` and
`{+inserted+}` (`dossier.ingest.layout`). A reader reads past the marks: "Quarter[-x-]maine"
is "Quartermaine" with the change accepted, "Qua{+r+}termaine" is "Quatermaine" as it was
before. Whatever looks for words to hide looks in both readings too (`text.readings`), as a
match in the marked text alone would miss a name a change cuts in two.
"""

from __future__ import annotations

import re

DELETED_OPEN, DELETED_CLOSE = "[-", "-]"
INSERTED_OPEN, INSERTED_CLOSE = "{+", "+}"

_DELETION = re.compile(r"\[-.*?-\]", re.DOTALL)
_INSERTION = re.compile(r"\{\+.*?\+\}", re.DOTALL)
_MARKS = re.compile(r"\[-|-\]|\{\+|\+\}")
_MARK_STRING = re.compile(r"\[(?=-)|-(?=\])|\{(?=\+)|\+(?=\})")
WORD_JOINER = "\u2060"


def escaped(text: str) -> str:
    """`text` written between marks without reading as one: a word joiner (invisible, no
    break) inside each of its "[-", "-]", "{+" and "+}" ("x-]yy" hidden closed its mark at
    "-]", and "yy" read as shown)."""
    if not _holds_mark_string(text):  # most text: four scans in C, no pattern tried
        return text
    return _MARK_STRING.sub(lambda found: found.group() + WORD_JOINER, text)


def _holds_mark_string(text: str) -> bool:
    # Every mark string holds a bracket or a brace, which prose seldom does: a character is
    # looked for several times faster than a pair of them (a paragraph: 0.2 against 1.8 µs).
    if "[" not in text and "]" not in text and "{" not in text and "}" not in text:
        return False
    return "[-" in text or "-]" in text or "{+" in text or "+}" in text


def has_changes(text: str) -> bool:
    return DELETED_OPEN in text or INSERTED_OPEN in text


def change_readings(text: str) -> list[list[tuple[int, int]]]:
    """The pieces of `text` ([start, end) ranges) a reader reads with its changes accepted,
    then as it was before them (none without changes)."""
    if not has_changes(text):
        return []
    return [_kept(text, _DELETION, DELETED_CLOSE), _kept(text, _INSERTION, INSERTED_CLOSE)]


def _kept(text: str, dropped: re.Pattern[str], close: str) -> list[tuple[int, int]]:
    """The ranges of `text` left once the changes `dropped` finds (up to the `close` of
    each) and all marks are cut."""
    # Up to the last close: an opening past it was read to the text's end, and every one
    # after it again (a text of unclosed marks cost the square of its length).
    last = text.rfind(close)
    last = last + len(close) if last >= 0 else 0
    cuts = sorted(
        [m.span() for m in dropped.finditer(text, 0, last)]
        + [m.span() for m in _MARKS.finditer(text)]
    )
    kept: list[tuple[int, int]] = []
    position = 0
    for start, end in cuts:
        if start > position:
            kept.append((position, start))
        position = max(position, end)
    if position < len(text):
        kept.append((position, len(text)))
    return kept
