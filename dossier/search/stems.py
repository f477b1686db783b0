"""A typed word finds every indexed form with the same French or English stem.

Stems are not indexed (a second field of stems doubled the index's terms, most of its size, and
half of its indexing time): the folded words are, with positions, in `exact`. A typed word is
looked up at search time under the indexed words that share its stem in either language; they
all begin alike, so only the words with the stem's first letters are stemmed and compared.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh import matching, query
from whoosh.scoring import BM25F
from whoosh.searching import SearchContext

from dossier.search.analysis import LANGUAGES, stem_words

_SHORTEST_PREFIX = 3
_STEM_REWRITE = 2
"""Letters a stemmer may rewrite at the end of a stem ("différence" → "différent")."""


def _prefix(word: str, stems: list[str]) -> str:
    common = word
    for stem in stems:
        length = 0
        while length < min(len(common), len(stem)) and common[length] == stem[length]:
            length += 1
        common = common[:length]
    keep = max(min(len(common), _SHORTEST_PREFIX), len(common) - _STEM_REWRITE)
    return common[:keep]


class _ExpandOnce:
    """Expands a multi-term query once per segment reader: Whoosh asks for the expansion to
    order the parts of a query (`estimate_size`) and again to match, which doubled the cost of
    fuzzy searches."""

    fieldname: str

    def _btexts(self, ixreader: Any) -> list[bytes]:
        cache: dict[tuple[int, str], tuple[Any, list[bytes]]] | None = self.__dict__.get("_seen")
        if cache is None:
            cache = self.__dict__["_seen"] = {}
        key = (id(ixreader), self.fieldname)
        found = cache.get(key)
        if found is None or found[0] is not ixreader:
            found = cache[key] = (ixreader, list(self._expand(ixreader)))
        return found[1]

    def _expand(self, ixreader: Any) -> Iterator[bytes]:
        return super()._btexts(ixreader)  # type: ignore[misc, no-any-return]


class Fuzzy(_ExpandOnce, query.FuzzyTerm):  # type: ignore[misc]  # whoosh is untyped
    pass


class Prefix(_ExpandOnce, query.Prefix):  # type: ignore[misc]  # whoosh is untyped
    pass


class Wildcard(_ExpandOnce, query.Wildcard):  # type: ignore[misc]  # whoosh is untyped
    pass


def expand_once(q: Any) -> Any:
    """The same fuzzy, prefix or wildcard query, expanded once per segment."""
    if isinstance(q, query.FuzzyTerm):
        # The first letter must match unless the user said otherwise ("Clouet~1/0"): a scan of
        # the whole lexicon made fuzzy searches the slowest by far.
        return Fuzzy(q.fieldname, q.text, q.boost, q.maxdist, q.prefixlength or 1)
    if isinstance(q, query.Prefix):
        return Prefix(q.fieldname, q.text, q.boost)
    if isinstance(q, query.Wildcard):
        return Wildcard(q.fieldname, q.text, q.boost)
    return q


class Standin:
    """Words that stand in for the typed word `typed` (its synonyms, its misreadings by OCR),
    scored with the weight (BM25F's idf) of the typed word's most common form at most: a
    stand-in that is rare in the case would otherwise weigh more than the word itself, and a
    page that only says the stand-in would rank above the pages that say what was typed."""

    fieldname: str
    typed: str
    boost: float

    def idf_cap(self, top: Any) -> float | None:
        """The idf a stand-in's word is scored with at most in the index of the top-level
        searcher `top` (None when the typed word is not in it: nothing to rank below)."""
        found: tuple[Any, float | None] | None = self.__dict__.get("_cap")
        if found is None or found[0] is not top:
            forms = StemQuery(self.fieldname, self.typed)._expand(top.reader())
            cap = min((top.idf(self.fieldname, form) for form in forms), default=None)
            found = self.__dict__["_cap"] = (top, cap)
        return found[1]

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        """Whoosh's matcher (for the queries `topk.py` leaves to Whoosh), scored the same way."""
        weighting = context.weighting if context is not None else searcher.weighting
        cap = self.idf_cap(searcher.get_parent())
        if type(weighting) is BM25F and cap is not None:
            capped = _CappedIdf(cap, B=weighting.B, K1=weighting.K1)
            capped._field_B = weighting._field_B
            context = (context or SearchContext()).set(weighting=capped)
        found = super().matcher(searcher, context)  # type: ignore[misc]
        words = [word for word in self._btexts(searcher.reader()) if word]  # type: ignore[attr-defined]
        if len(words) == 1 and self.boost != 1.0:
            # Whoosh drops the boost of a query that expands to a single word.
            found = matching.WrappingMatcher(found, boost=self.boost)
        return found


class _CappedIdf(BM25F):  # type: ignore[misc]  # whoosh is untyped
    def __init__(self, cap: float, **options: Any) -> None:
        super().__init__(**options)
        self.cap = cap

    def scorer(self, searcher: Any, fieldname: str, text: Any, qf: int = 1) -> Any:
        found = super().scorer(searcher, fieldname, text, qf=qf)
        if hasattr(found, "idf"):
            found.idf = min(found.idf, self.cap)
        return found


class OcrFuzzy(Standin, Fuzzy):
    """The words one edit away from a typed word, other than those its stem already finds,
    in a segment that holds OCR'd items (in other segments: none). `ocr_tolerant` joins it to
    the OCR'd items only, below the exact word."""

    @property
    def typed(self) -> str:  # type: ignore[override]
        return str(self.text)

    def _expand(self, ixreader: Any) -> Iterator[bytes]:
        if ("ocr", b"1") not in ixreader:
            return
        exact = set(StemQuery(self.fieldname, self.text)._expand(ixreader))
        for btext in super()._expand(ixreader):
            word = btext if isinstance(btext, bytes) else str(btext).encode("utf-8")
            if word not in exact:
                yield word


OCR_BOOST = 0.4
"""An OCR variant of a word counts this much of the word itself: exact matches rank first."""
OCR_MIN_LETTERS = 5
"""Shorter words are not looked up with an error: one edit turns them into other words."""


def ocr_tolerant(fieldname: str, text: str, exact: Any) -> Any:
    """`exact` (the typed word's query), or its OCR variants on OCR'd items."""
    if len(text) < OCR_MIN_LETTERS or not text.isalpha():
        return exact
    variants = OcrFuzzy(fieldname, text, OCR_BOOST, 1, 1)
    on_ocr = query.And([variants, query.Term("ocr", "1", boost=0.0)])
    return query.Or([exact, on_ocr])


class StemQuery(_ExpandOnce, query.MultiTerm):  # type: ignore[misc]  # whoosh is untyped
    """The indexed words of `fieldname` whose French or English stem is the typed word's."""

    def __init__(self, fieldname: str, text: str, boost: float = 1.0) -> None:
        self.fieldname = fieldname
        self.text = text
        self.boost = boost
        self.startchar: int | None = None
        self.endchar: int | None = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StemQuery) and (self.fieldname, self.text, self.boost) == (
            other.fieldname,
            other.text,
            other.boost,
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.fieldname, self.text, self.boost))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fieldname!r}, {self.text!r}, boost={self.boost})"

    def _expand(self, ixreader: Any) -> Iterator[bytes]:
        stems = {code: stem_words([self.text], code)[0] for code in LANGUAGES}
        prefix = _prefix(self.text, list(stems.values()))
        candidates = list(ixreader.expand_prefix(self.fieldname, prefix))
        if not candidates:
            return
        words = [c.decode("utf-8") for c in candidates]
        matched = [w == self.text for w in words]
        for code, stem in stems.items():
            for number, candidate_stem in enumerate(stem_words(words, code)):
                if candidate_stem == stem:
                    matched[number] = True
        yield from (c for c, keep in zip(candidates, matched, strict=True) if keep)


class Synonym(Standin, StemQuery):
    """The indexed words sharing the stem of `text`, a synonym of the typed word `typed`."""

    def __init__(self, fieldname: str, text: str, typed: str, boost: float = 1.0) -> None:
        super().__init__(fieldname, text, boost)
        self.typed = typed
