"""Why a hit ranks where it does: its BM25F score in parts, and two factors on top of it.

The best candidates by BM25F (`topk.py`, Whoosh's formula and statistics) are ranked again with
what a reporter means by "the page about it":

- the first page of a document (its title is indexed there, and a report says what it is about
  on its first page) weighs `FIRST_PAGE` times more;
- a title that holds the words of the query (found where the title opens the first page's
  text) weighs up to `TITLE_FACTOR` times more: the document is about them;
- several words of the query close together weigh more than the same words scattered over the
  page: up to `PROXIMITY` more when they are next to each other, less as the smallest stretch of
  the page holding one of each grows.

Each hit carries its parts: what each word (or phrase) of the query added, in which field (the
page's own text, or the text around a web article, which counts a fifth), then the factors.
Their product is the score shown.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import Any

from whoosh import query
from whoosh.scoring import BM25F

from dossier.search.analysis import folded_words
from dossier.search.model import ScorePart
from dossier.search.phrases import FastPhrase
from dossier.search.postings import decode_positions
from dossier.search.stems import (
    Fuzzy,
    OcrFuzzy,
    Prefix,
    Standin,
    StemQuery,
    Synonym,
    Wildcard,
)
from dossier.search.topk import Lengths, Segment
from dossier.search.variants import with_words_for_signs

FIRST_PAGE = 1.15
TITLE_FACTOR = 1.5
"""A title holding every word of the query; one holding half of them counts half as much more."""
PROXIMITY = 0.3
RERANKED = 2
"""Candidates ranked again per hit asked for (BM25F first, then the factors)."""
_MULTI = (StemQuery, Fuzzy, Prefix, Wildcard)
_FIELDS = {"exact": "text", "secondary": "around the article"}
OCR_FIELD = "text read by OCR, one error away"
SYNONYM_FIELD = "text, a synonym of the word typed"


def positive_leaves(q: Any) -> Iterator[Any]:
    """The words and phrases of `q` a hit may match (not those under a NOT)."""
    if isinstance(q, query.Not):
        return
    if isinstance(q, query.AndNot):
        yield from positive_leaves(q.a)
        return
    if isinstance(q, (*_MULTI, FastPhrase, query.Phrase, query.Term)):
        yield q
        return
    for child in getattr(q, "subqueries", ()):
        yield from positive_leaves(child)


class _Doc:
    """One hit's segment and document number within it."""

    def __init__(self, searcher: Any, docnum: int, cache: Any, lengths: Lengths | None) -> None:
        for sub, offset in searcher.subsearchers if not searcher.is_atomic() else [(searcher, 0)]:
            if offset <= docnum < offset + sub.reader().doc_count_all():
                self.seg = Segment(searcher, sub.reader(), searcher.weighting, cache, lengths)
                self.local = docnum - offset
                return
        raise IndexError(docnum)

    def posting(self, fieldname: str, btext: bytes, values: bool) -> tuple[float, bytes] | None:
        """(weight, encoded positions) of the term in this document, or None."""
        if (fieldname, btext) not in self.seg.reader:
            return None
        found = self.seg.postings(fieldname, btext, values, [self.local])
        at = bisect.bisect_left(found.ids, self.local)
        if at == len(found.ids) or found.ids[at] != self.local:
            return None
        return found.weights[at], (found.values[at] if found.values else b"")

    def score(
        self, fieldname: str, btext: bytes, weight: float, boost: float, cap: float | None = None
    ) -> float:
        lengths, norms = self.seg.lengths(fieldname), self.seg.norms(fieldname)
        c = self.seg.idf(fieldname, btext, cap) * (self.seg.weighting.K1 + 1) * boost
        return float(c * weight / (weight + norms[lengths[self.local]]))


def _leaf_parts(doc: _Doc, leaf: Any) -> tuple[list[ScorePart], list[int]]:
    """What `leaf` adds to the document's score, and the positions where it matched."""
    fieldname = leaf.fieldname
    if fieldname not in _FIELDS or fieldname not in doc.seg.top.schema:
        return [], []  # the OCR mark of an item: it adds nothing to a score
    if isinstance(leaf, OcrFuzzy):
        field = OCR_FIELD
    elif isinstance(leaf, Synonym) and fieldname == "exact":
        field = SYNONYM_FIELD
    else:
        field = _FIELDS[fieldname]
    to_bytes = doc.seg.top.schema[fieldname].to_bytes
    if isinstance(leaf, (FastPhrase, query.Phrase)):
        found = [doc.posting(fieldname, to_bytes(w), True) for w in leaf.words]
        if any(f is None for f in found) or leaf.slop != 1:
            return [], []
        starts: set[int] | None = None
        for n, posting in enumerate(found):
            assert posting is not None
            at = {p - n for p in decode_positions(posting[1])}
            starts = at if starts is None else starts & at
        if not starts:
            return [], []
        total = sum(
            doc.score(fieldname, to_bytes(w), f[0], 1.0)
            for w, f in zip(leaf.words, found, strict=True)
            if f is not None
        )
        phrase = " ".join(leaf.words)
        return [ScorePart("phrase", phrase, field, leaf.boost * total)], sorted(starts)
    btexts = doc.seg.expansion(leaf) if isinstance(leaf, _MULTI) else [to_bytes(leaf.text)]
    cap = leaf.idf_cap(doc.seg.top) if isinstance(leaf, Standin) and btexts else None
    parts, positions = [], []
    for btext in btexts:
        posting = doc.posting(fieldname, btext, True)
        if posting is None:
            continue
        term = btext.decode("utf-8")
        value = doc.score(fieldname, btext, posting[0], 1.0, cap)
        parts.append(ScorePart("word", term, field, value))
        positions += decode_positions(posting[1]) if posting[1] else []
        if leaf.boost != 1.0:
            parts[-1] = ScorePart("word", term, field, parts[-1].value * leaf.boost)
    return parts, sorted(positions)


def _title_share(fields: dict[str, Any], groups: list[list[int]]) -> float:
    """The share of the query's words (`groups`: each one's positions) found in the hit's title,
    which takes the first positions of its text on a document's first page or an item that is
    no page (`schema.to_document`)."""
    title = fields.get("title")
    if not title or not groups or fields.get("page_index") not in (None, 0):
        return 0.0
    first = [g[0] for g in groups if g]
    if not first or min(first) >= len(title):  # a title has fewer words than characters
        return 0.0
    words = len(folded_words(with_words_for_signs(title)))  # as `variants.exact_value` counts
    return sum(1 for at in first if at < words) / len(groups)


def _window(groups: list[list[int]]) -> int | None:
    """The fewest consecutive words holding a position of every group (None if one is empty)."""
    if any(not g for g in groups):
        return None
    marks = sorted((p, n) for n, g in enumerate(groups) for p in g)
    need, best, left = len(groups), None, 0
    have: dict[int, int] = {}
    for p, n in marks:
        have[n] = have.get(n, 0) + 1
        while len(have) == need:
            start, m = marks[left]
            width = p - start + 1
            best = width if best is None or width < best else best
            have[m] -= 1
            if not have[m]:
                del have[m]
            left += 1
    return best


def explain(
    searcher: Any,
    q: Any,
    docnum: int,
    cache: Any = None,
    lengths: Lengths | None = None,
    fields: dict[str, Any] | None = None,
) -> list[ScorePart]:
    """The parts of the hit `docnum`'s score: each word's or phrase's BM25F, then factors
    (`fields`: the hit's stored fields, when the caller has them already)."""
    if type(searcher.weighting) is not BM25F:
        return []
    doc = _Doc(searcher, docnum, cache, lengths)
    parts: list[ScorePart] = []
    groups: list[list[int]] = []
    for leaf in positive_leaves(q):
        leaf_parts, positions = _leaf_parts(doc, leaf)
        parts += leaf_parts
        if leaf.fieldname == "exact" and leaf_parts:
            groups.append(positions)
    if fields is None:
        fields = searcher.stored_fields(docnum)
    if fields.get("page_index") == 0:
        parts.append(ScorePart("first page", "", "", FIRST_PAGE))
    share = _title_share(fields, groups)
    if share:
        factor = 1 + (TITLE_FACTOR - 1) * share
        parts.append(ScorePart("title", f"{share:.0%} of the words", "", round(factor, 4)))
    if len(groups) >= 2:
        width = _window(groups)
        if width is not None:
            factor = 1 + PROXIMITY * len(groups) / max(width, len(groups))
            parts.append(ScorePart("proximity", f"{width} words", "", round(factor, 4)))
    return parts


def total(parts: list[ScorePart]) -> float:
    """The score the parts make: the sum of the words' parts times every factor."""
    score = sum(p.value for p in parts if p.what in ("word", "phrase"))
    for part in parts:
        if part.what not in ("word", "phrase"):
            score *= part.value
    return score
