"""Text laid out right to left by an override: "\u202eeniamretrauQ" shows "Quartermaine".

A right-to-left override (U+202E, up to its pop, U+202C, or the end of the line) sets the
letters after it from right to left, whatever their script: the characters are a name spelt
backwards, the page and the screen show the name. Isolates and embeddings do not turn Latin
letters round; only overrides do.
"""

from __future__ import annotations

import re

RLO = "\u202e"
_OVERRIDDEN = re.compile("\u202e([^\u202c\u202d\u2066\u2067\u2068\u2069\n\r]*)")
"""A right-to-left override's letters, up to what ends it (a pop, another override, an isolate,
the line's end)."""


def shown_order(text: str) -> tuple[str, list[int]] | None:
    """`text` as laid out, each overridden run turned round, and for each of its characters
    the position it comes from in `text`; None when nothing is overridden."""
    if RLO not in text:
        return None
    order = list(range(len(text)))
    for run in _OVERRIDDEN.finditer(text):
        start, end = run.span(1)
        order[start:end] = reversed(order[start:end])
    return "".join(text[i] for i in order), order
