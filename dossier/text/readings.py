"""The other ways a reader reads a text: what a search for words to hide must look in too.

A text says more than its characters when a reader reads past its marks or escapes:
- a draft's tracked changes (`revisions`), accepted and as before: "Quarter[-x-]maine";
- percent-encoding, which a browser (or an eye used to links) decodes:
  "?email=hq%40exemple.org", "?q=Hyacinthe%20Quarterma%C3%AFne";
- HTML character references, copied from a page's source or an HTML mail, which a browser
  decodes: "hq&#64;exemple.org", "hq&#x40;exemple&period;org", "Quarterma&iuml;ne";
- letters of other scripts drawn like Latin ones, which the eye reads as them: "Quаrtermаine"
  with Cyrillic "а" (`lookalikes`);
- letters a right-to-left override lays out backwards: "\u202eeniamretrauQ" (`bidi`).

`across_readings` runs a finder on the text and on each of its readings and maps what a
reading finds back to the text, covering whatever the reading read past.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from dossier.text.bidi import shown_order
from dossier.text.lookalikes import as_latin
from dossier.text.revisions import change_readings

T = TypeVar("T")

_PERCENT_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);?")
"""A browser reads a numeric reference, and a few named ones, without their ";" too."""


@dataclass(frozen=True)
class Reading:
    text: str
    starts: list[int]
    """For each character of `text`, where it starts in the text read..."""
    ends: list[int]
    """...and where it ends there (an escape is one character read from several)."""

    def span(self, start: int, end: int) -> tuple[int, int]:
        # The text read may run backwards there (`bidi`): the span is its outermost characters.
        return min(self.starts[start:end]), max(self.ends[start:end])


def readings(text: str) -> list[Reading]:
    """Every other reading of `text` (none for a text without changes, escapes, letters
    drawn like Latin ones or overrides)."""
    found = [_pieces(text, kept) for kept in change_readings(text)]
    if "%" in text:
        decoded = _decoded(text, _PERCENT_RUN, _percent)
        if decoded is not None:
            found.append(decoded)
    if "&" in text:
        decoded = _decoded(text, _REFERENCE, html.unescape)
        if decoded is not None:
            found.append(decoded)
    latin = as_latin(text)
    if latin is not None:
        positions = list(range(len(text)))
        found.append(Reading(latin, positions, [i + 1 for i in positions]))
    shown = shown_order(text)
    if shown is not None:
        laid_out, order = shown
        found.append(Reading(laid_out, order, [i + 1 for i in order]))
    return found


def _pieces(text: str, kept: list[tuple[int, int]]) -> Reading:
    starts = [i for start, end in kept for i in range(start, end)]
    return Reading("".join(text[a:b] for a, b in kept), starts, [i + 1 for i in starts])


def _percent(run: str) -> str:
    try:
        return bytes.fromhex(run.replace("%", "")).decode("utf-8")
    except UnicodeDecodeError:
        return run  # not text percent-encoded: left as written


def _decoded(text: str, escape: re.Pattern[str], decode: Callable[[str], str]) -> Reading | None:
    """`text` with every `escape` it holds decoded, or None if none decodes."""
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    changed = False
    for match in escape.finditer(text):
        decoded = decode(match.group())
        if decoded == match.group():
            continue
        changed = True
        start, end = match.span()
        parts.append(text[position:start])
        starts.extend(range(position, start))
        ends.extend(range(position + 1, start + 1))
        parts.append(decoded)
        starts.extend([start] * len(decoded))
        ends.extend([end] * len(decoded))
        position = end
    if not changed:
        return None
    parts.append(text[position:])
    starts.extend(range(position, len(text)))
    ends.extend(range(position + 1, len(text) + 1))
    return Reading("".join(parts), starts, ends)


def across_readings(
    text: str, find: Callable[[str], Iterable[tuple[int, int, T]]]
) -> list[tuple[int, int, T]]:
    """The (start, end, payload) spans `find` gives for `text` and for each of its readings,
    a reading's spans mapped back to `text`."""
    found = list(find(text))
    for reading in readings(text):
        for start, end, payload in find(reading.text):
            if end > start:
                found.append((*reading.span(start, end), payload))
    return found
