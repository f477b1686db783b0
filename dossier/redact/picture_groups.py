"""Pictures drawn against each other on a page, which the eye reads as one: a screenshot cut
into strips or tiles by the program that wrote the PDF, a line of text split over two pictures
laid side by side. Read one at a time, no picture holds the name its neighbour completes.

Letters drawn as outlines (a logo, a letterhead, text a design tool or printer driver turned
into curves: no font, no text to extract) are such pieces too: small filled shapes side by
side, read together as the page shows them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

Rect = tuple[float, float, float, float]

TOUCHING = 2.0
"""Points between two pictures' boxes under which they are read together: letters closer than
this read as one word."""


def _touch(a: Rect, b: Rect, gap: float) -> bool:
    return a[0] - gap <= b[2] and b[0] - gap <= a[2] and a[1] - gap <= b[3] and b[1] - gap <= a[3]


def touching_groups(boxes: Sequence[Rect], gap: float = TOUCHING) -> list[list[int]]:
    """The indexes of `boxes`, in groups of two or more closer than `gap` points or
    overlapping, each directly or through others of its group."""
    parent = list(range(len(boxes)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(boxes):
        for j in range(i):
            if _touch(a, boxes[j], gap):
                parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(boxes)):
        groups.setdefault(root(i), []).append(i)
    return [group for group in groups.values() if len(group) > 1]


def union(boxes: Sequence[Rect]) -> Rect:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


LETTER_SIZE = 48.0
"""Points across, at most, of a shape taken for a letter drawn as outlines."""
LETTER_GAP = 4.0
"""Points between letters drawn as outlines read together (a space between words at 14 pt is
3.5 points)."""
MIN_LETTERS = 3
"""Shapes side by side, at least, taken for a word."""


def is_letter(drawing: Mapping[str, Any]) -> bool:
    """Whether a path of `page.get_drawings()` can be a letter drawn as an outline: filled,
    small, and not a bare rectangle (a rule, a table's shading)."""
    rect = drawing["rect"]
    if "f" not in (drawing.get("type") or "") or not 0 < rect.height <= LETTER_SIZE:
        return False
    items = drawing.get("items") or ()
    return 0 < rect.width <= LETTER_SIZE and not all(item[0] == "re" for item in items)


def letter_groups(letters: Sequence[Rect]) -> list[Rect]:
    """The boxes of the groups of `letters` side by side that can be words."""
    return [
        union([letters[i] for i in group])
        for group in touching_groups(letters, LETTER_GAP)
        if len(group) >= MIN_LETTERS
    ]
