"""The best hits of a query, computed segment by segment with lists and dicts, not matchers.

Whoosh finds the best hits by walking matcher objects posting by posting (`skip_to`, `id`,
`score`); at 50,000 pages that walk alone took 100 to 800 ms a query. Here each word's postings
are read a block at a time (`postings.py`) and scored in one comprehension with Whoosh's own
BM25F formula and statistics, AND is a dict intersection, OR a dict sum. The hits and their
scores are Whoosh's (the tests compare both on the same index); only ties may come out in
another order.

A phrase is first a candidate (every word present, scored as Whoosh scores a phrase: the sum
of its words' scores) and its word positions are checked only for the candidates that could
still enter the top hits, best first: "de la" at 50,000 pages checks a dozen pages, not
30,000. A candidate's score never exceeds what it scores once checked, so stopping when the
next candidate cannot beat the last kept hit loses nothing.

Queries of another shape (a phrase with a slop, a lone NOT...) return None: Whoosh answers them.
"""

from __future__ import annotations

import heapq
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from whoosh import query
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from dossier.search.phrases import FastPhrase
from dossier.search.postings import (
    SPARSE,
    PositionBitmaps,
    Postings,
    PostingsCache,
    length_bytes,
    read_postings,
    segment_id,
)
from dossier.search.stems import Fuzzy, Prefix, Standin, StemQuery, Wildcard

_MULTI = (StemQuery, Fuzzy, Prefix, Wildcard)
_SCORE = operator.itemgetter(1)
Within = Sequence[int] | None
"""Ascending document numbers a search part needs to look at (None: all of them)."""


class Unsupported(Exception):
    """The query has a shape this module does not answer (Whoosh does)."""


@dataclass
class Scored:
    """What one part of a query finds in one segment.

    `scores` maps a document number to its score, exact for a document not in `unsure`, an
    upper bound for one in `unsure` (a phrase whose positions are not checked yet), which
    `confirm` turns into the exact score, or None when the document does not match after all.
    """

    scores: dict[int, float]
    unsure: set[int] = field(default_factory=set)
    confirm: Callable[[int], float | None] | None = None

    def exact(self, doc: int) -> float | None:
        if doc in self.unsure and self.confirm is not None:
            return self.confirm(doc)
        return self.scores.get(doc)


class Lengths:
    """The field lengths of each segment and the BM25F length factors of one searcher, kept
    for its lifetime: a segment never changes, and the average lengths are the searcher's.
    Made again for every query (and every hit ranked), they were read and decrypted each time."""

    def __init__(self) -> None:
        self._columns: dict[tuple[int, str], bytes] = {}
        self._tables: dict[str, list[float]] = {}

    def column(self, reader: Any, fieldname: str) -> bytes:
        key = (id(reader), fieldname)
        found = self._columns.get(key)
        if found is None:
            found = self._columns[key] = length_bytes(reader, fieldname)
        return found

    def norms(self, top: Any, weighting: BM25F, fieldname: str) -> list[float]:
        """K1 * ((1 - B) + B * length / average length), for each encoded length byte."""
        table = self._tables.get(fieldname)
        if table is None:
            w = weighting
            b = w._field_B.get(fieldname, w.B)
            average = top.avg_field_length(fieldname) or 1
            table = [
                w.K1 * ((1 - b) + b * (byte_to_length(lb) if lb else 1) / average)
                for lb in range(256)
            ]
            self._tables[fieldname] = table
        return table


class Segment:
    """One segment's reader with the statistics of the whole index (as Whoosh scores)."""

    def __init__(
        self,
        top: Any,
        reader: Any,
        weighting: BM25F,
        cache: PostingsCache | None,
        lengths: Lengths | None = None,
    ) -> None:
        self.top = top
        self.cache = cache
        self.reader = reader
        self.weighting = weighting
        self._lengths = lengths if lengths is not None else Lengths()
        self._postings: dict[tuple[str, bytes, bool], Postings] = {}

    def lengths(self, fieldname: str) -> bytes:
        return self._lengths.column(self.reader, fieldname)

    def norms(self, fieldname: str) -> list[float]:
        return self._lengths.norms(self.top, self.weighting, fieldname)

    def postings(self, fieldname: str, btext: bytes, values: bool, within: Within) -> Postings:
        if within is not None:
            return read_postings(
                self.reader, fieldname, btext, values=values, within=within, cache=self.cache
            )
        key = (fieldname, btext, values)
        found = self._postings.get(key)
        if found is None:
            found = self._postings[key] = read_postings(
                self.reader, fieldname, btext, values=values, cache=self.cache
            )
        return found

    def bitmaps(self, fieldname: str, btext: bytes) -> PositionBitmaps:
        sid = segment_id(self.reader)
        if self.cache is None or not sid:
            return PositionBitmaps(None)
        return self.cache.bitmaps((sid, fieldname, btext))

    def expansion(self, q: Any) -> list[bytes]:
        """The indexed words `q` (a stem, prefix, wildcard or fuzzy term) stands for here."""
        to_bytes = self.top.schema[q.fieldname].to_bytes

        def expand() -> list[bytes]:
            return [b if isinstance(b, bytes) else to_bytes(b) for b in q._btexts(self.reader) if b]

        sid = segment_id(self.reader)
        if self.cache is None or not sid:
            return expand()
        shape = (type(q).__name__, q.text, getattr(q, "maxdist", 0), getattr(q, "prefixlength", 0))
        return self.cache.expansion((sid, q.fieldname, *shape), expand)

    def term_scores(
        self, fieldname: str, btext: bytes, boost: float, within: Within, cap: float | None
    ) -> dict[int, float]:
        # With positions: the ranking's proximity reads them from the same (cached) list.
        found = self.postings(fieldname, btext, True, within)
        return self.score(fieldname, btext, boost, found, cap=cap)

    def idf(self, fieldname: str, btext: bytes, cap: float | None = None) -> float:
        """Whoosh's idf of the word, or `cap` if lower (a stand-in's: `stems.Standin`)."""
        idf: float = self.top.idf(fieldname, btext)
        return idf if cap is None else min(idf, cap)

    def score(
        self,
        fieldname: str,
        btext: bytes,
        boost: float,
        found: Postings,
        among: set[int] | None = None,
        cap: float | None = None,
    ) -> dict[int, float]:
        """BM25F of each posting of `found` (only those of documents `among`, if given)."""
        lengths, norms = self.lengths(fieldname), self.norms(fieldname)
        c = self.idf(fieldname, btext, cap) * (self.weighting.K1 + 1) * boost
        pairs = zip(found.ids, found.weights, strict=True)
        if among is not None:
            return {doc: c * w / (w + norms[lengths[doc]]) for doc, w in pairs if doc in among}
        return {doc: c * w / (w + norms[lengths[doc]]) for doc, w in pairs}


def _add_into(total: dict[int, float], part: dict[int, float]) -> None:
    for doc, score in part.items():
        total[doc] = total.get(doc, 0.0) + score


def _terms(
    seg: Segment,
    fieldname: str,
    btexts: list[bytes],
    boost: float,
    within: Within,
    standin: Standin | None = None,
) -> Scored:
    total: dict[int, float] = {}
    cap = standin.idf_cap(seg.top) if standin is not None and btexts else None
    for btext in btexts:
        part = seg.term_scores(fieldname, btext, boost, within, cap)
        if not total:
            total = part
        else:
            _add_into(total, part)
    return Scored(total)


def _phrase(seg: Segment, q: Any, within: Within) -> Scored:
    if q.slop != 1:
        raise Unsupported("a phrase with slop")
    fieldname = q.fieldname
    if fieldname not in seg.top.schema:
        return Scored({})
    to_bytes = seg.top.schema[fieldname].to_bytes
    btexts = [to_bytes(word) for word in q.words]
    if any((fieldname, btext) not in seg.reader for btext in btexts):
        return Scored({})
    # The rarest word first; each next word's blocks are read only where candidates remain.
    order = sorted(range(len(btexts)), key=lambda n: seg.reader.doc_frequency(fieldname, btexts[n]))
    lists: dict[int, Postings] = {}
    scores: dict[int, float] = {}
    sparse = seg.reader.doc_count_all() // SPARSE
    for number, n in enumerate(order):
        found = seg.postings(fieldname, btexts[n], True, within)
        lists[n] = found
        if number == 0:
            among = None if within is None else set(within)
            scores = seg.score(fieldname, btexts[n], 1.0, found, among)
        else:
            # Only the candidates left are scored; each word's part is added as it comes.
            part = seg.score(fieldname, btexts[n], 1.0, found, set(scores))
            scores = {doc: score + scores[doc] for doc, score in part.items()}
        if not scores:
            return Scored({})
        # Fewer candidates than one page in SPARSE: the next word's blocks are read only
        # where they are (the whole list otherwise, as kept).
        within = sorted(scores) if len(scores) < sparse else None
    boost: float = q.boost
    if boost != 1.0:
        scores = {doc: boost * score for doc, score in scores.items()}
    common = set(scores)

    bitmaps = [seg.bitmaps(fieldname, btext) for btext in btexts]
    first, rest = order[0], [(n, bitmaps[n], lists[n]) for n in order[1:]]

    def confirm(doc: int) -> float | None:
        # The phrase starts at p where its word n sits at p + n, for every n: bit p of the
        # AND of each word's bitmap shifted right by n. The rarest word first, the others
        # only while a start remains.
        starts = bitmaps[first].get(doc, lists[first]) >> first
        for n, bits, found in rest:
            starts &= bits.get(doc, found) >> n
            if not starts:
                return None
        return scores[doc]

    return Scored(scores, set(common), confirm)


def _and(seg: Segment, q: Any, within: Within) -> Scored:
    positive = [c for c in q.subqueries if not isinstance(c, query.Not)]
    negative = [c.query for c in q.subqueries if isinstance(c, query.Not)]
    if not positive:
        raise Unsupported("only negative parts")
    # The part with the fewest documents first; the others are read only where it matched.
    positive.sort(key=lambda c: c.estimate_size(seg.reader))
    parts: list[Scored] = []
    common: set[int] = set()
    for number, child in enumerate(positive):
        part = evaluate(seg, child, within)
        parts.append(part)
        if number == 0:
            common = set(part.scores)
        else:
            common.intersection_update(part.scores)
        if not common:
            return Scored({})
        within = sorted(common)
    excluded = [evaluate(seg, c, within) for c in negative]
    unsure: set[int] = set()
    for part in parts:
        unsure.update(part.unsure & common)
    for part in excluded:
        sure_out = set(part.scores) - part.unsure
        common.difference_update(sure_out)
        unsure.update(part.unsure & common)
    boost: float = q.boost
    scores = dict.fromkeys(common, 0.0)
    for part in parts:  # a comprehension per part: not a generator per document
        found = part.scores
        scores = {doc: score + found[doc] for doc, score in scores.items()}
    if boost != 1.0:
        scores = {doc: boost * score for doc, score in scores.items()}

    def confirm(doc: int) -> float | None:
        total = 0.0
        for part in parts:
            value = part.exact(doc)
            if value is None:
                return None
            total += value
        if any(part.exact(doc) is not None for part in excluded if doc in part.scores):
            return None
        return boost * total

    return Scored(scores, unsure & common, confirm)


def _or(seg: Segment, q: Any, within: Within) -> Scored:
    if any(isinstance(c, query.Not) for c in q.subqueries):
        raise Unsupported("NOT inside OR")
    # A part that finds nothing here (a phrase's words absent from a web page's surroundings)
    # adds nothing: left out, not walked for every candidate.
    parts = [part for c in q.subqueries if (part := evaluate(seg, c, within)).scores]
    boost: float = q.boost
    if len(parts) == 1 and boost == 1.0:
        return parts[0]
    total: dict[int, float] = {}
    unsure: set[int] = set()
    for part in parts:
        _add_into(total, part.scores)
        unsure.update(part.unsure)
    if boost != 1.0:
        total = {doc: boost * score for doc, score in total.items()}

    def confirm(doc: int) -> float | None:
        matched = [value for part in parts if (value := part.exact(doc)) is not None]
        return boost * sum(matched) if matched else None

    return Scored(total, unsure, confirm)


def _and_not(seg: Segment, q: Any, within: Within) -> Scored:
    return _and(seg, query.And([q.a, query.Not(q.b)]), within)


def evaluate(seg: Segment, q: Any, within: Within = None) -> Scored:
    """What `q` finds in the segment (raises Unsupported for a shape it does not know).

    `within`: document numbers (ascending) outside which nothing is needed; the result may
    still hold others (the caller intersects)."""
    if isinstance(q, _MULTI):
        if q.fieldname not in seg.top.schema:
            return Scored({})
        standin = q if isinstance(q, Standin) else None
        return _terms(seg, q.fieldname, seg.expansion(q), q.boost, within, standin)
    if isinstance(q, (FastPhrase, query.Phrase)):
        return _phrase(seg, q, within)
    if isinstance(q, query.Term):
        if q.fieldname not in seg.top.schema:
            return Scored({})
        btext = seg.top.schema[q.fieldname].to_bytes(q.text)
        if (q.fieldname, btext) not in seg.reader:
            return Scored({})
        return _terms(seg, q.fieldname, [btext], q.boost, within)
    if isinstance(q, query.And):
        return _and(seg, q, within)
    if type(q) is query.Or:
        return _or(seg, q, within)
    if isinstance(q, query.AndNot):
        return _and_not(seg, q, within)
    if q is query.NullQuery:
        return Scored({})
    raise Unsupported(type(q).__name__)


def top_hits(
    searcher: Any,
    q: Any,
    limit: int,
    allowed: set[int] | None = None,
    cache: PostingsCache | None = None,
    lengths: Lengths | None = None,
) -> list[tuple[float, int]] | None:
    """(score, document number) of the `limit` best hits, best first, or None when the query
    has a shape Whoosh must answer. `allowed`: the only document numbers that may be hits;
    `lengths`: kept for `searcher` (made for this search when None)."""
    weighting = searcher.weighting
    if type(weighting) is not BM25F:
        return None
    if lengths is None:
        lengths = Lengths()
    best: list[tuple[float, int]] = []  # a min-heap of (score, -docnum): the kept hits
    try:
        for sub, offset in _leaves(searcher):
            seg = Segment(searcher, sub.reader(), weighting, cache, lengths)
            found = evaluate(seg, q)
            _collect(found, offset, limit, allowed, best)
    except Unsupported:
        return None
    return [(score, -negative) for score, negative in sorted(best, reverse=True)]


def _leaves(searcher: Any) -> list[tuple[Any, int]]:
    if searcher.is_atomic():
        return [(searcher, 0)]
    return list(searcher.subsearchers)


def _collect(
    found: Scored,
    offset: int,
    limit: int,
    allowed: set[int] | None,
    best: list[tuple[float, int]],
) -> None:
    items = found.scores.items()
    if allowed is not None:
        items = [(doc, s) for doc, s in items if doc + offset in allowed]  # type: ignore[assignment]
    if not found.unsure:
        for doc, score in heapq.nlargest(limit, items, key=lambda item: (item[1], -item[0])):
            _keep(best, limit, score, doc + offset)
        return
    # Candidates best first: most searches fill their hits from the first few; one whose
    # phrase is rare in its candidates ("il est dans") checks thousands, taken from a heap
    # (one pass to make it, then a pop each) rather than sorted again in growing chunks.
    remaining = list(items)
    head = heapq.nlargest(limit * 4, remaining, key=_SCORE)
    if _confirm(found, offset, limit, best, head) or len(head) == len(remaining):
        return
    taken = {doc for doc, _score in head}
    heap = [(-score, doc) for doc, score in remaining if doc not in taken]
    heapq.heapify(heap)
    while heap:
        negative, doc = heapq.heappop(heap)
        if _confirm(found, offset, limit, best, [(doc, -negative)]):
            return


def _confirm(
    found: Scored,
    offset: int,
    limit: int,
    best: list[tuple[float, int]],
    candidates: list[tuple[int, float]],
) -> bool:
    """Keep the candidates (best first) that match; True once no later one can enter."""
    for doc, score in candidates:
        if len(best) >= limit and score < best[0][0]:
            return True
        if doc in found.unsure:
            exact = found.exact(doc)
            if exact is None:
                continue
            score = exact
        _keep(best, limit, score, doc + offset)
    return False


def _keep(best: list[tuple[float, int]], limit: int, score: float, docnum: int) -> None:
    entry = (score, -docnum)
    if len(best) < limit:
        heapq.heappush(best, entry)
    elif entry > best[0]:
        heapq.heapreplace(best, entry)
