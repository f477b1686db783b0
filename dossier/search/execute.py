"""Running a parsed query on one searcher: the best hits, with the documents a filter allows kept.

The hits come from `topk.py` (block by block, far faster than Whoosh's matchers at 50,000 pages)
or, for a query of a shape it does not answer, from Whoosh itself. A filter (kinds, dates,
people, tags) is turned into the set of document numbers it allows once per searcher and kept:
a journalist refines the words of a search far more often than its filters, and a search then
only looks those numbers up instead of running the filter's terms and date range again.
"""

from __future__ import annotations

from typing import Any

from dossier.search.model import ScorePart
from dossier.search.postings import PostingsCache
from dossier.search.ranking import RERANKED, explain, total
from dossier.search.topk import Lengths, top_hits

MAX_FILTERS = 8
"""Filters whose allowed documents one searcher keeps (each a set of document numbers)."""


class Runner:
    """Runs queries on one searcher (and is dropped with it: document numbers change on commit)."""

    def __init__(self, searcher: Any, cache: PostingsCache | None = None) -> None:
        self.searcher = searcher
        self.cache = cache
        self._allowed: dict[str, set[int]] = {}
        self.lengths = Lengths()

    def allowed(self, restrict: Any) -> set[int] | None:
        """The document numbers the filter query `restrict` allows (None: no filter)."""
        if restrict is None:
            return None
        key = repr(restrict)
        found = self._allowed.get(key)
        if found is None:
            if len(self._allowed) >= MAX_FILTERS:
                self._allowed.clear()
            found = self._allowed[key] = set(self.searcher.docs_for_query(restrict))
        return found

    def ranked(
        self, q: Any, limit: int, restrict: Any = None
    ) -> list[tuple[float, dict[str, Any], tuple[ScorePart, ...]]]:
        """(score, stored fields, score parts) of the `limit` best hits, ranked by BM25F then
        the first-page and proximity factors (`ranking.py`), best first."""
        allowed = self.allowed(restrict)
        top = top_hits(self.searcher, q, limit * RERANKED, allowed, self.cache, self.lengths)
        if top is None:
            results = self.searcher.search(q, limit=limit, filter=allowed)
            return [(float(hit.score), hit.fields(), ()) for hit in results]
        ranked = []
        for _score, docnum in top:
            fields = self.searcher.stored_fields(docnum)
            parts = tuple(explain(self.searcher, q, docnum, self.cache, self.lengths, fields))
            ranked.append((total(list(parts)), docnum, fields, parts))
        ranked.sort(key=lambda hit: (-hit[0], hit[1]))
        return [(score, fields, parts) for score, _docnum, fields, parts in ranked[:limit]]

    def run(self, q: Any, limit: int, restrict: Any = None) -> list[tuple[float, dict[str, Any]]]:
        """(score, stored fields) of the `limit` best hits of `q`, best first."""
        allowed = self.allowed(restrict)
        top = top_hits(self.searcher, q, limit, allowed, self.cache, self.lengths)
        if top is None:
            results = self.searcher.search(q, limit=limit, filter=allowed)
            return [(float(hit.score), hit.fields()) for hit in results]
        return [(score, self.searcher.stored_fields(docnum)) for score, docnum in top]
