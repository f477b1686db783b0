"""Tracked changes as page text writes them, and the two ways a reader reads them.

A Word or OpenDocument draft keeps its changes where they were made, `[-deleted-]` and
`{+inserted+}` (`dossier.ingest.layout`). A reader reads past the marks: "Quarter[-x-]maine"
is "Quartermaine" with the change accepted, "Qua{+r+}termaine" is "Quatermaine" as it was
before. Whatever looks for words to hide looks in both readings too (`across_readings`), as
a match in the marked text alone would miss a name a change cuts in two.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TypeVar

DELETED_OPEN, DELETED_CLOSE = "[-", "-]"
INSERTED_OPEN, INSERTED_CLOSE = "{+", "+}"

_DELETION = re.compile(r"\[-.*?-\]", re.DOTALL)
_INSERTION = re.compile(r"\{\+.*?\+\}", re.DOTALL)
_MARKS = re.compile(r"\[-|-\]|\{\+|\+\}")

T = TypeVar("T")
Reading = tuple[str, list[int]]
"""A reading's text and, for each of its characters, its offset in the marked text."""


def has_changes(text: str) -> bool:
    return DELETED_OPEN in text or INSERTED_OPEN in text


def readings(text: str) -> list[Reading]:
    """`text` with its changes accepted, then as it was before them (none without changes)."""
    if not has_changes(text):
        return []
    return [_without(text, _DELETION), _without(text, _INSERTION)]


def _without(text: str, dropped: re.Pattern[str]) -> Reading:
    """`text` less the changes `dropped` finds and the other changes' marks."""
    cuts = sorted(
        [m.span() for m in dropped.finditer(text)] + [m.span() for m in _MARKS.finditer(text)]
    )
    parts: list[str] = []
    offsets: list[int] = []
    position = 0
    for start, end in cuts:
        if start >= position:
            parts.append(text[position:start])
            offsets.extend(range(position, start))
        position = max(position, end)
    parts.append(text[position:])
    offsets.extend(range(position, len(text)))
    return "".join(parts), offsets


def across_readings(
    text: str, find: Callable[[str], Iterable[tuple[int, int, T]]]
) -> list[tuple[int, int, T]]:
    """The (start, end, payload) spans `find` gives for `text` and for each of its readings,
    a reading's spans mapped back to `text` (a span covers the change it reads past)."""
    found = list(find(text))
    for reading, offsets in readings(text):
        for start, end, payload in find(reading):
            if end > start:
                found.append((offsets[start], offsets[end - 1] + 1, payload))
    return found
