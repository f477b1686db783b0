"""The initials written beside a protected name: "P. Léonard", "J.-P. Léonard", "LÉONARD P.".

Hiding "Léonard" and leaving "P." tells a reader the first letter of the person's first name.
Masks and boxes of a name part therefore take the initials on either side of it: up to three
capital letters (of any alphabet), each followed by a full stop or a hyphen ("J.-P.", "P.M."),
or a bare capital that no letter follows ("P Léonard", "LÉONARD P"). Any space may separate
them from the name, a line break too: a PDF's line often ends with "P." and the next one
begins with the name. After the name, a comma or a parenthesis may come between
("Léonard, P.", "Léonard (P.)"), never a full stop (a new sentence may begin with a capital).
Over-hiding a courtesy title ("M. Léonard") costs nothing; a letter left beside the mask is
what protection must not leave.
"""

from __future__ import annotations

import re

_UPPER = "".join(  # the Basic Multilingual Plane: every alphabet a name is written in
    re.escape(c) for c in map(chr, range(0x10000)) if c.isupper() and c.isalpha()
)
_SPACE = r"[\s\u00ad\u200b-\u200d\u2060\ufeff]"
"""Spaces of every kind, soft hyphens and the invisible joiners a PDF's text may hold."""
_INITIAL = rf"[{_UPPER}](?:\.-?|-|(?!\w))"
_INITIALS_BEFORE = re.compile(rf"(?:(?<!\w){_INITIAL}{_SPACE}*){{1,3}}\Z")
"""Initials ending right where the name starts (searched in the text just before it)."""
_INITIALS = rf"{_INITIAL}(?:{_SPACE}*{_INITIAL}){{0,2}}"
_INITIALS_AFTER = re.compile(rf"\A[\s,]*(?:\({_SPACE}*{_INITIALS}{_SPACE}*\)|{_INITIALS})")
"""Initials right after the name ends (searched in the text just after it)."""
_WINDOW = 24


def with_initials(text: str, start: int, end: int) -> tuple[int, int]:
    """Where a name found at `start:end` begins and ends once the initials written beside it
    are counted."""
    head_start = max(0, start - _WINDOW)
    before = _INITIALS_BEFORE.search(text, head_start, start)
    if before is not None:
        start = before.start()
    after = _INITIALS_AFTER.match(text[end : end + _WINDOW])
    if after is not None:
        end += after.end()
    return start, end
