"""What a box drawn on a page covers, in words, and what of it must never leave in any text.

A box covers the words of the page's word map it takes a character from (`meets`: a word half
under a box is damaged in the PDF, so it is lost to every text derived from the passage too).
Those words, taken as tokens (runs of letters and digits, folded like the marks), give the
*box secrets* of a case: every covered token of three characters or more that occurs nowhere
uncovered in the case's pages, and every pair of consecutive covered tokens that never
stands uncovered in that order. A word a line end hyphenates ("Quarter-" / "maine") counts
whole as well: written elsewhere, it is one token. A word that also stands in plain view
elsewhere ("police") is not a secret on its own, but the sequence it formed under the box
still is. On a page read by OCR, a covered word of seven letters or more is what the OCR
guessed ("Quartermame"), the scan shows the name: a word a few edits away from it
("Quartermaine") is a secret as well.

The disclosure gate masks box secrets in every string that leaves; the quote under the box is
masked word by word from its anchor (`disclosure`). The self-check computes its own version of
these needles from the word map (`bundlecheck`), independently.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from dossier.redact.glued import ORDINARY_WORDS, misread_distance
from dossier.text.fold import fold_key
from dossier.text.model import PageText, Word

Rect = tuple[float, float, float, float]

MIN_SECRET_CHARS = 3
"""Shorter covered tokens ("de", "l") are never secrets alone: they are in every text."""

_TOKEN = re.compile(r"[^\W_]+(?:[\u00ad\u200b\u200c\u200d\u2060][^\W_]+)*")
"""A run of letters and digits; soft hyphens and zero-width characters do not split it."""


_LINE_END_HYPHEN = re.compile(r"[-\u2010\u2011\u00ad]\s*\n\s*")
"""Between two tokens, a word a line end hyphenates: "Quarter-" and "maine" are one name."""

_key = lru_cache(maxsize=1 << 16)(fold_key)
"""Words repeat: their folded keys are cached."""


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    key: str


def tokens(text: str) -> list[Token]:
    """The folded tokens of `text`, with their offsets."""
    found: list[Token] = []
    for match in _TOKEN.finditer(text):
        key = _key(match.group())
        if key:
            found.append(Token(match.start(), match.end(), key))
    return found


def meets(word: Word, box: Rect) -> bool:
    """Whether the box takes at least one character of the word: the centre of one of its
    characters (the word's box shared evenly among them) lies under the box, as MuPDF removes
    a glyph whose centre is covered. A box that merely grazes the line above or below takes
    nothing from it."""
    cy = (word.y0 + word.y1) / 2
    if not (box[1] <= cy <= box[3]) or word.x1 <= box[0] or box[2] <= word.x0:
        return False
    count = max(1, word.end - word.start)
    width = (word.x1 - word.x0) / count
    return any(box[0] <= word.x0 + (i + 0.5) * width <= box[2] for i in range(count))


def covered_ranges(page: PageText, boxes: Sequence[Rect]) -> list[tuple[int, int]]:
    """Canonical (start, end) of every word of `page` a box takes a character of, in order."""
    if not boxes:
        return []
    hit = [(w.start, w.end) for w in page.words if any(meets(w, b) for b in boxes)]
    return sorted(hit)


def _inside(token: Token, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(start < token.end and token.start < end for start, end in ranges)


@dataclass
class PageCoverage:
    """One page's tokens, each flagged covered or not, and the words a line end hyphenates:
    (whole word, whether a box takes part of it)."""

    tokens: list[Token]
    covered: list[bool]
    hyphenated: list[tuple[str, bool]]

    @classmethod
    def of(cls, page: PageText, boxes: Sequence[Rect]) -> PageCoverage:
        found = tokens(page.text)
        ranges = covered_ranges(page, boxes)
        flags = [_inside(t, ranges) for t in found]
        return cls(found, flags, _hyphenated(page.text, found, flags))


def _hyphenated(text: str, found: list[Token], flags: list[bool]) -> list[tuple[str, bool]]:
    joined: list[tuple[str, bool]] = []
    ends: list[int] | None = None
    for match in _LINE_END_HYPHEN.finditer(text):
        ends = ends if ends is not None else [t.end for t in found]
        i = bisect.bisect_left(ends, match.start())
        if i + 1 < len(found) and ends[i] == match.start() and found[i + 1].start == match.end():
            joined.append((found[i].key + found[i + 1].key, flags[i] or flags[i + 1]))
    return joined


@dataclass(frozen=True)
class BoxSecrets:
    words: frozenset[str] = frozenset()
    pairs: frozenset[tuple[str, str]] = frozenset()
    misread: frozenset[str] = frozenset()
    """Secret words of seven letters or more as the OCR read them under a box: the scan shows
    what they misread, so a word a few edits away (`glued.misread_distance`) is one too."""

    def __bool__(self) -> bool:
        return bool(self.words or self.pairs)

    def hidden(self, found: Sequence[Token]) -> list[int]:
        """Indexes of the tokens of a string that must be masked."""
        out: set[int] = set()
        for i, token in enumerate(found):
            if token.key in self.words or self._misread(token.key):
                out.add(i)
            if i + 1 < len(found) and (token.key, found[i + 1].key) in self.pairs:
                out.update((i, i + 1))
        return sorted(out)

    def _misread(self, key: str) -> bool:
        if not self.misread or key in ORDINARY_WORDS:
            return False
        for read in self.misread:
            edits = misread_distance(read)
            if abs(len(key) - len(read)) <= edits:
                if Levenshtein.distance(key, read, score_cutoff=edits) <= edits:
                    return True
        return False


def box_secrets(
    doc_ids: Iterable[str],
    pages_of: Callable[[str], Sequence[PageText]],
    boxes: Mapping[tuple[str, int], Sequence[Rect]],
) -> BoxSecrets:
    """The secrets of `boxes` ((doc id, page index) -> rectangles) of a case, for a recipient
    who sees the documents `doc_ids` (a boxed one or not), whose pages `pages_of` gives. Only
    pages holding a box are kept in memory; the others are read once, for what they show
    uncovered."""
    boxed = sorted({doc for (doc, _page), rects in boxes.items() if rects})
    if not boxed:
        return BoxSecrets()
    words: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    read_by_ocr: set[str] = set()
    for doc_id in boxed:
        for page in pages_of(doc_id):
            coverage = PageCoverage.of(page, boxes.get((doc_id, page.index), ()))
            toks, flags = coverage.tokens, coverage.covered
            for i, token in enumerate(toks):
                if not flags[i]:
                    continue
                if len(token.key) >= MIN_SECRET_CHARS:
                    words.add(token.key)
                if page.ocr and misread_distance(token.key) and token.key.isalpha():
                    read_by_ocr.add(token.key)
                if i + 1 < len(toks) and flags[i + 1]:
                    pair = (token.key, toks[i + 1].key)
                    if max(len(pair[0]), len(pair[1])) >= MIN_SECRET_CHARS:
                        pairs.add(pair)
            # A name the page breaks at a line end is written whole everywhere else.
            words.update(whole for whole, covered in coverage.hyphenated if covered)
    firsts = {a for a, _b in pairs}
    for doc_id in dict.fromkeys(doc_ids):
        for page in pages_of(doc_id):
            coverage = PageCoverage.of(page, boxes.get((doc_id, page.index), ()))
            toks, flags = coverage.tokens, coverage.covered
            words.difference_update(whole for whole, covered in coverage.hyphenated if not covered)
            for i, token in enumerate(toks):
                if flags[i]:
                    continue
                words.discard(token.key)
                if token.key in firsts and i + 1 < len(toks) and not flags[i + 1]:
                    pairs.discard((token.key, toks[i + 1].key))
    return BoxSecrets(frozenset(words), frozenset(pairs), frozenset(read_by_ocr & words))
