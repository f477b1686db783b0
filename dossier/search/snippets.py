"""Snippets with the matched words marked, computed from the item's decrypted text.

Words are matched the way the query matched them: a plain query word marks every word with the
same French or English stem, a phrase marks its words only where they follow each other, and
prefixes, wildcards and fuzzy terms mark the words they expand to. Nothing under a NOT is
marked. Offsets are Python `str` offsets into the snippet, whose length equals the cut text's
(line breaks become spaces one for one) plus the leading "…" if any.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from dossier.search.analysis import LANGUAGES, iter_words, stem_words
from dossier.search.query import HighlightSpec

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


def match_spans(text: str, spec: HighlightSpec) -> list[tuple[int, int]]:
    """(start, end) of every word of `text` that the query matched, in order."""
    words = list(iter_words(text))
    if not words:
        return []
    folded = [w for w, _, _ in words]
    matched = [False] * len(words)
    if spec.words:
        # Stemming every word of a page costs more than the search: only words sharing their
        # first two letters with a query stem can have that stem (Snowball keeps the start).
        heads = {s[:2] for stems in spec.stems.values() for s in stems} | {
            w[:2] for w in spec.words
        }
        picked = [i for i, word in enumerate(folded) if word[:2] in heads]
        candidates = [folded[i] for i in picked]
        stems = {c: stem_words(candidates, c) for c in LANGUAGES if spec.stems[c]}
        for k, i in enumerate(picked):
            word = folded[i]
            if word in spec.words or any(stems[c][k] in spec.stems[c] for c in stems):
                matched[i] = True
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
    return [(start, end) for (_, start, end), hit in zip(words, matched, strict=True) if hit]


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


def build_snippet(text: str, spec: HighlightSpec, width: int = SNIPPET_CHARS) -> Snippet:
    spans = match_spans(text, spec)
    if spans:
        first = spans[_best_window(spans, width)][0]
        start = max(0, first - _LEAD)
    else:
        start = 0
    if start > 0:
        # Start on a word boundary if one is close.
        space = text.rfind(" ", max(0, start - 20), start)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.find(" ", end, end + 20)
        end = space if space >= 0 else end
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
