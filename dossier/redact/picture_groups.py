"""Pictures drawn against each other on a page, which the eye reads as one: a screenshot cut
into strips or tiles by the program that wrote the PDF, a line of text split over two pictures
laid side by side. Read one at a time, no picture holds the name its neighbour completes."""

from __future__ import annotations

from collections.abc import Sequence

Rect = tuple[float, float, float, float]

TOUCHING = 2.0
"""Points between two pictures' boxes under which they are read together: letters closer than
this read as one word."""


def _touch(a: Rect, b: Rect) -> bool:
    return (
        a[0] - TOUCHING <= b[2]
        and b[0] - TOUCHING <= a[2]
        and a[1] - TOUCHING <= b[3]
        and b[1] - TOUCHING <= a[3]
    )


def touching_groups(boxes: Sequence[Rect]) -> list[list[int]]:
    """The indexes of `boxes`, in groups of two or more that touch or overlap, each directly
    or through others of its group."""
    parent = list(range(len(boxes)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(boxes):
        for j in range(i):
            if _touch(a, boxes[j]):
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
