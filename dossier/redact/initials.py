"""The initials written before a protected name: "P. Léonard", "J.-P. Léonard", "P Léonard".

Hiding "Léonard" and leaving "P." tells a reader the first letter of the person's first name.
Masks and boxes of a name part therefore start at the initials just before it: one or more
capital letters, each followed by a full stop (or a hyphen, as in "J.-P."), then a space; a bare
capital before the name ("P Léonard") counts too. Over-hiding a courtesy title ("M. Léonard")
costs nothing; a letter left beside the mask is what protection must not leave.
"""

from __future__ import annotations

import re

_INITIALS_BEFORE = re.compile(r"(?:(?<![\w.])[A-ZÀ-ÖØ-ÞŁŒŠŽ](?:\.-?|-)?[ \t\u00a0]*){1,3}$")
"""Initials ending right where the name starts (searched in the text just before it)."""
_WINDOW = 16


def with_initials(text: str, start: int) -> int:
    """Where a name found at `start` begins once the initials written before it are counted."""
    if start <= 0:
        return start
    head = text[max(0, start - _WINDOW) : start]
    match = _INITIALS_BEFORE.search(head)
    if match is None:
        return start
    return start - len(match.group(0))
