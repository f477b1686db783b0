"""Snippets with the matched words marked, computed from the item's decrypted text.

Words are matched the way the query matched them: a plain query word marks every word with the
same French or English stem, a phrase marks its words only where they follow each other, and
prefixes, wildcards and fuzzy terms mark the words they expand to. A word written as several
(`e-mail`, `20 novembre 2023`) is marked whole when its joined form matched (`variants.py`), a
first name when an initial typed before the name stands for it (`P. Léonard`: "Pierre
Léonard"), and a word read by OCR when the hit was found through it. Nothing under a NOT is
marked. Offsets are Python `str` offsets into the snippet, whose length equals the cut text's
(line breaks become spaces one for one) plus the leading "…" if any.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from dossier.search.analysis import LANGUAGES, iter_words, stem_words
from dossier.search.query import HighlightSpec
from dossier.search.variants import currency_marks, hyphens, joined_forms

SNIPPET_CHARS = 240
MAX_TERMS = 50
ELLIPSIS = "…"
_LEAD = 60
"""Context kept before the first marked word, in characters."""


@dataclass(frozen=True)
class Snippet:
    text: str
    highlights: tuple[tuple[int, int], ...]
    terms: tuple[str, ...]


def _phrase_hits(folded: list[str], phrase: tuple[str, ...], matched: list[bool]) -> None:
    size = len(phrase)
    first = phrase[0]
    for i in range(len(folded) - size + 1):
        if folded[i] == first and tuple(folded[i : i + size]) == phrase:
            for k in range(i, i + size):
                matched[k] = True


def _fuzzy_hit(word: str, target: str, maxdist: int, prefix: int) -> bool:
    if word[:prefix] != target[:prefix]:
        return False
    return Levenshtein.distance(word, target, score_cutoff=maxdist) <= maxdist


def _stem_match(words: list[str], spec: HighlightSpec) -> list[bool]:
    """Whether each folded word is a query word or shares the French or English stem of one."""
    if not words:
        return []
    stems = {c: stem_words(words, c) for c in LANGUAGES if spec.stems[c]}
    return [
        word in spec.words or any(stems[c][k] in spec.stems[c] for c in stems)
        for k, word in enumerate(words)
    ]


def _joined_hits(
    text: str, starts: list[int], folded: list[str], heads: set[str], spec: HighlightSpec
) -> list[tuple[int, int]]:
    """(start, end) of every compound, number or date whose joined form the query matched."""
    # Numbers and dates are joined only for a query holding figures (most hold none), and
    # compounds only if one starts like a query word: a joined form starts as its first part.
    figures = any(word.isdigit() for word in spec.words)
    if not figures and not any(
        len(first) < 2 or first[:2] in heads
        for first in (folded[bisect.bisect_right(starts, h.start()) - 1] for h in hyphens(text))
    ):
        return []
    forms = joined_forms(text, numbers=figures, initials=False)
    hits = _stem_match([form for *_, form in forms], spec)
    return [(start, end) for (start, end, _), hit in zip(forms, hits, strict=True) if hit]


def _initial_hits(
    words: list[tuple[str, int, int]], text: str, spec: HighlightSpec, matched: list[bool]
) -> list[tuple[int, int]]:
    """(start, end) of every first name and name that a typed initial and name stand for."""
    found = []
    for k in range(1, len(words)):
        word, start, _end = words[k - 1]
        if matched[k] and text[start].isupper():
            if any(words[k][0] == name and word.startswith(i) for i, name in spec.initials):
                found.append((start, words[k][2]))
    return found


def _merged(spans: list[tuple[int, int]], whole: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`spans` with `whole` ones, each word inside a whole span taken into it."""
    result: list[tuple[int, int]] = []
    for start, end in sorted({*spans, *whole}, key=lambda span: (span[0], -span[1])):
        if result and start < result[-1][1]:
            result[-1] = (result[-1][0], max(end, result[-1][1]))
        else:
            result.append((start, end))
    return result


def match_spans(
    text: str, spec: HighlightSpec, also: Collection[str] = ()
) -> list[tuple[int, int]]:
    """(start, end) of every word of `text` that the query matched, in order; `also`: folded
    words this hit was found through besides (its OCR variants). A variant of several words
    (`e-mail`, `20 novembre 2023`, `Pierre Léonard`) is one span, so the viewer marks it
    there, not each of its words wherever it stands."""
    words = list(iter_words(text))
    if not words:
        return []
    folded = [w for w, _, _ in words]
    matched = [word in also for word in folded] if also else [False] * len(words)
    whole: list[tuple[int, int]] = []
    if spec.words:
        # Stemming every word of a page costs more than the search: only words sharing their
        # first two letters with a query stem can have that stem (Snowball keeps the start).
        heads = {s[:2] for stems in spec.stems.values() for s in stems} | {
            w[:2] for w in spec.words
        }
        picked = [i for i, word in enumerate(folded) if word[:2] in heads]
        for i, hit in zip(picked, _stem_match([folded[i] for i in picked], spec), strict=True):
            matched[i] = matched[i] or hit
        whole += _joined_hits(text, [start for _, start, _ in words], folded, heads, spec)
        if spec.initials:
            whole += _initial_hits(words, text, spec, matched)
        marks = currency_marks(text)
        if marks:  # "euros" marks "€", which is no word, and "EUR"
            words_of = sorted({word for _, _, word in marks})
            hits = dict(zip(words_of, _stem_match(words_of, spec), strict=True))
            whole += [(start, end) for start, end, word in marks if hits[word]]
    for phrase in spec.phrases:
        _phrase_hits(folded, phrase, matched)
    if spec.prefixes or spec.wildcards or spec.fuzzy:
        for i, word in enumerate(folded):
            if matched[i]:
                continue
            matched[i] = (
                any(word.startswith(p) for p in spec.prefixes)
                or any(w.fullmatch(word) for w in spec.wildcards)
                or any(_fuzzy_hit(word, t, d, p) for t, d, p in spec.fuzzy)
            )
    spans = [(start, end) for (_, start, end), hit in zip(words, matched, strict=True) if hit]
    return _merged(spans, whole) if whole else spans


def _best_window(spans: list[tuple[int, int]], width: int) -> int:
    """Index of the first span of the window of `width` chars holding the most spans."""
    best, best_count, j = 0, 0, 0
    for i, (start, _) in enumerate(spans):
        j = max(j, i)
        while j < len(spans) and spans[j][1] - start <= width:
            j += 1
        if j - i > best_count:
            best, best_count = i, j - i
    return best


_SPACE = re.compile(r"\s")


def _between_words(text: str, start: int, end: int) -> tuple[int, int]:
    """The window `start:end` cut between words: a word it would cut in two is left out
    (runs of letters, digits and signs alike, as 'p.nom@example.org'). Never part of a word:
    the screen mask finds names in the snippet alone, so 'Lambe' of a cut 'Lambertini'
    would show. A window inside one long run is kept whole."""
    inner_start, inner_end = start, end
    if 0 < start < len(text) and not text[start - 1].isspace() and not text[start].isspace():
        space = _SPACE.search(text, start, end)
        inner_start = space.end() if space else end
    if 0 < end < len(text) and not text[end - 1].isspace() and not text[end].isspace():
        inner_end = max((m.start() for m in _SPACE.finditer(text, inner_start, end)), default=-1)
    if inner_end <= inner_start:
        return start, end
    return inner_start, inner_end


def build_snippet(
    text: str, spec: HighlightSpec, width: int = SNIPPET_CHARS, also: Collection[str] = ()
) -> Snippet:
    spans = match_spans(text, spec, also)
    if spans:
        first = spans[_best_window(spans, width)][0]
        start = max(0, first - _LEAD)
    else:
        start = 0
    start, end = _between_words(text, start, min(len(text), start + width))
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    body = text[start:end].replace("\n", " ").replace("\r", " ").replace("\t", " ")
    shift = len(prefix) - start
    highlights = tuple((s + shift, e + shift) for s, e in spans if s >= start and e <= end)
    terms: list[str] = []
    for s, e in spans:
        word = text[s:e]
        if word not in terms:
            terms.append(word)
            if len(terms) >= MAX_TERMS:
                break
    return Snippet(text=prefix + body + suffix, highlights=highlights, terms=tuple(terms))
