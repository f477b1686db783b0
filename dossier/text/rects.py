"""Rectangles on a page for a range of its text: the one way a span becomes boxes.

A stored quote's span (anchoring), an exported span, a highlight drawn in the viewer and a
selection all get their rectangles here, from the page's word map: one rectangle per line, the
union of the boxes of the words the range touches, the first and last word cut to the characters
covered when the line reads left to right. Coordinates are the word map's: PDF points, origin
top-left of the unrotated page.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from dossier.text.model import PageText, Word

Rect = tuple[float, float, float, float]


@dataclass(frozen=True)
class LineGeometry:
    box: Rect
    horizontal: bool
    left_to_right: bool
    """Horizontal text read left to right: the only kind whose word boxes may be cut by
    character (elsewhere the reading direction inside a box is unknown)."""


def line_geometry(words: Sequence[Word]) -> dict[int, LineGeometry]:
    """Bounding box and direction of every line of a page."""
    grouped: dict[int, list[Word]] = {}
    for word in words:
        grouped.setdefault(word.line, []).append(word)
    out: dict[int, LineGeometry] = {}
    for line, members in grouped.items():
        box = (
            min(w.x0 for w in members),
            min(w.y0 for w in members),
            max(w.x1 for w in members),
            max(w.y1 for w in members),
        )
        horizontal = _is_horizontal(members)
        ordered = all(a.x0 <= b.x0 for a, b in pairwise(members))
        out[line] = LineGeometry(
            box=box, horizontal=horizontal, left_to_right=horizontal and ordered
        )
    return out


def _is_horizontal(members: Sequence[Word]) -> bool:
    if len(members) > 1:
        xs = [(w.x0 + w.x1) / 2 for w in members]
        ys = [(w.y0 + w.y1) / 2 for w in members]
        return max(xs) - min(xs) >= max(ys) - min(ys)
    word = members[0]
    chars = max(1, word.end - word.start)
    return (word.x1 - word.x0) / chars >= 0.25 * (word.y1 - word.y0)


def span_rects(page: PageText, start: int, end: int) -> list[Rect]:
    """One rectangle per line for the characters `[start, end)` of the page text."""
    if end <= start:
        return []
    words = sorted(page.words, key=lambda w: w.start)
    return list(line_rects(words, [w.start for w in words], line_geometry(words), start, end))


def line_rects(
    words: Sequence[Word],
    starts: Sequence[int],
    lines: Mapping[int, LineGeometry],
    start: int,
    end: int,
) -> tuple[Rect, ...]:
    """One rectangle per line: the union of the boxes of the words the range touches, with the
    first and last word cut to the characters actually covered."""
    lo = max(0, bisect_right(starts, start) - 1)
    hi = bisect_left(starts, end)
    touched = [w for w in words[lo:hi] if w.end > start and w.start < end]
    if not touched:
        return ()
    by_line: dict[int, list[Rect]] = {}
    order: list[int] = []
    for word in touched:
        if word.line not in by_line:
            by_line[word.line] = []
            order.append(word.line)
        geometry = lines.get(word.line)
        forward = geometry is not None and geometry.left_to_right
        by_line[word.line].append(_clip(word, start, end, forward))
    rects: list[Rect] = []
    for line in order:
        boxes = by_line[line]
        rects.append(
            (
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
            )
        )
    return tuple(rects)


def _clip(word: Word, start: int, end: int, forward: bool) -> Rect:
    """Cut a word box to the covered characters, assuming evenly spread glyphs.

    Only left-to-right horizontal text is cut: for vertical or rotated text the reading
    direction inside the box is unknown, and a slightly wide box beats a wrong one.
    """
    chars = word.end - word.start
    if chars <= 1 or (word.start >= start and word.end <= end) or not forward:
        return word.rect
    width = word.x1 - word.x0
    left = max(0, start - word.start) / chars
    right = min(chars, end - word.start) / chars
    return (word.x0 + width * left, word.y0, word.x0 + width * right, word.y1)
