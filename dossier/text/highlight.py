"""Rectangles on a page for search terms and text spans, and spans for a mouse selection.

Everything here works on a page's canonical text and word map (`PageText`), so the viewer,
the export and the tests agree on what a span covers. Rectangles are in the word map's
coordinates: PDF points, origin top-left of the unrotated page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dossier.text.fold import WORD, fold_key
from dossier.text.model import PageText, Word
from dossier.text.rects import Rect

MIN_PREFIX = 3
"""A term this long or longer also matches words it starts (stems, plurals: "enquête*")."""

# Apostrophes and hyphens split a word into parts that match on their own: "l'enquête"
# must light up for "enquête", "anti-corruption" for "corruption".
_SPLITTERS = "'’‘-‐‑–—/"


def _parts(word_text: str) -> list[str]:
    """The folded word, then its parts split at apostrophes and hyphens (each may match)."""
    split = word_text
    for splitter in _SPLITTERS:
        split = split.replace(splitter, " ")
    whole = fold_key(word_text)
    parts = [p for p in (fold_key(t) for t in split.split()) if p]
    return [whole, *parts] if whole else parts


def _term_tokens(term: str) -> list[str]:
    """The folded words of a search term (several: a phrase)."""
    return [t for t in (fold_key(x) for x in term.split()) if t]


def _token_matches(parts: Sequence[str], term: str) -> bool:
    for part in parts:
        if part == term or (len(term) >= MIN_PREFIX and part.startswith(term)):
            return True
    return False


def _ordered(words: Iterable[Word]) -> list[Word]:
    return sorted(words, key=lambda w: (w.start, w.end))


def _same_row(a: Rect, b: Rect) -> bool:
    """True when two boxes share a text line: their vertical extents overlap by half."""
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    return overlap >= 0.5 * min(a[3] - a[1], b[3] - b[1])


def _union(a: Rect, b: Rect) -> Rect:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _merge_lines(pieces: Sequence[tuple[int, Rect]]) -> list[Rect]:
    """One rectangle per run of consecutive pieces on the same line (reading order kept)."""
    merged: list[Rect] = []
    last_line: int | None = None
    for line, rect in pieces:
        if merged and line == last_line and _same_row(merged[-1], rect):
            merged[-1] = _union(merged[-1], rect)
        else:
            merged.append(rect)
        last_line = line
    return merged


# -- search terms ------------------------------------------------------------------------------


def term_rects(page: PageText, terms: Sequence[str]) -> list[Rect]:
    """Rectangles of every occurrence of `terms` on the page, in reading order.

    A term of several words is a phrase: it matches consecutive words. A word matches a
    one-word term when its folded form (`dossier.text.fold`, as the search index folds it), or a
    part of it split at an apostrophe or a hyphen, equals the folded term, or starts with it when
    the term has at least three characters.
    """
    phrases = [tokens for tokens in map(_term_tokens, terms) if tokens]
    if not phrases or not page.words:
        return []
    words = _ordered(page.words)
    parts = [_parts(page.text[w.start : w.end]) for w in words]
    hit_groups: list[tuple[int, int]] = []
    for index in range(len(words)):
        best = 0
        for tokens in phrases:
            length = len(tokens)
            if index + length > len(words):
                continue
            if all(_token_matches(parts[index + k], tokens[k]) for k in range(length)):
                best = max(best, length)
        if best:
            hit_groups.append((index, index + best))
    rects: list[Rect] = []
    covered_until = 0
    for first, last in hit_groups:
        first = max(first, covered_until)
        if first >= last:
            continue
        pieces = [(words[i].line, words[i].rect) for i in range(first, last)]
        rects.extend(_merge_lines(pieces))
        covered_until = last
    return rects


# -- character spans ---------------------------------------------------------------------------


def span_at(page: PageText, x0: float, y0: float, x1: float, y1: float) -> tuple[int, int] | None:
    """The span covering every word that intersects a rectangle (a rubber-band selection)."""
    left, right = min(x0, x1), max(x0, x1)
    top, bottom = min(y0, y1), max(y0, y1)
    inside = [
        w for w in page.words if w.x1 >= left and w.x0 <= right and w.y1 >= top and w.y0 <= bottom
    ]
    if not inside:
        return None
    ordered = _ordered(inside)
    return ordered[0].start, ordered[-1].end


# -- text-editor selection ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    words: list[Word]
    rect: Rect


def _lines(page: PageText) -> list[_Line]:
    lines: list[_Line] = []
    for word in _ordered(page.words):
        if lines and lines[-1].words[-1].line == word.line and _same_row(lines[-1].rect, word.rect):
            last = lines[-1]
            lines[-1] = _Line([*last.words, word], _union(last.rect, word.rect))
        else:
            lines.append(_Line([word], word.rect))
    return lines


def _distance(low: float, high: float, value: float) -> float:
    if value < low:
        return low - value
    if value > high:
        return value - high
    return 0.0


def word_at(page: PageText, x: float, y: float) -> Word | None:
    """The word under a point, or the nearest one as a text editor would pick it.

    The nearest line wins (vertical distance first, so a point in the margin picks the line
    beside it; horizontal distance breaks ties between columns), then the nearest word on it.
    """
    lines = _lines(page)
    if not lines:
        return None
    line = min(
        lines,
        key=lambda ln: (
            _distance(ln.rect[1], ln.rect[3], y),
            _distance(ln.rect[0], ln.rect[2], x),
        ),
    )
    return min(line.words, key=lambda w: _distance(w.x0, w.x1, x))


def span_between(
    page: PageText, anchor: tuple[float, float], focus: tuple[float, float]
) -> tuple[int, int] | None:
    """The span from the word at `anchor` to the word at `focus`, whichever comes first."""
    first = word_at(page, *anchor)
    last = word_at(page, *focus)
    if first is None or last is None:
        return None
    if (last.start, last.end) < (first.start, first.end):
        first, last = last, first
    return first.start, last.end


# -- plain text (documents without a word map) -------------------------------------------------


def term_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Character ranges of `terms` in plain text, with the same matching rules as `term_rects`."""
    phrases = [
        tokens
        for tokens in ([fold_key(m.group()) for m in WORD.finditer(term)] for term in terms)
        if tokens
    ]
    if not phrases:
        return []
    tokens = list(WORD.finditer(text))
    folded = [[fold_key(m.group())] for m in tokens]
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(tokens):
        best = 0
        for phrase in phrases:
            length = len(phrase)
            if index + length <= len(tokens) and all(
                _token_matches(folded[index + k], phrase[k]) for k in range(length)
            ):
                best = max(best, length)
        if best:
            spans.append((tokens[index].start(), tokens[index + best - 1].end()))
            index += best
        else:
            index += 1
    return spans
