"""Turning a character range of a page into a span: exact text, context and line rectangles."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence

from dossier.anchor.docindex import LineGeometry, line_geometry
from dossier.anchor.model import Rect, Span
from dossier.errors import UsageError
from dossier.text.model import PageText, Word

CONTEXT = 32
"""Characters of prefix and suffix kept with a span (as the W3C text-quote selector)."""


def make_span(
    page: PageText,
    start: int,
    end: int,
    *,
    layout: tuple[Sequence[Word], Sequence[int], Mapping[int, LineGeometry]] | None = None,
    doc_id: str | None = None,
) -> Span:
    """The span of `page.text[start:end]`; `layout` is the page's words sorted by start, their
    start offsets and the page's line geometry (passed in when the caller already has them)."""
    if layout is None:
        words: Sequence[Word] = sorted(page.words, key=lambda w: w.start)
        layout = (words, [w.start for w in words], line_geometry(words))
    text = page.text
    return Span(
        page_index=page.index,
        start=start,
        end=end,
        text=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
        rects=line_rects(*layout, start, end),
        doc_id=doc_id,
    )


def span_for_selection(page: PageText, start: int, end: int) -> Span:
    """The exact span a journalist selected in the viewer (offsets into the page text)."""
    if not 0 <= start < end <= len(page.text):
        raise UsageError(
            f"selection {start}-{end} is outside page {page.display_label} "
            f"({len(page.text)} characters)"
        )
    return make_span(page, start, end)


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
