"""The pages a quote most likely comes from, asked of the index before anchoring it.

Anchoring a quote in every document of a 50,000-page case means decrypting and indexing every
page for the anchoring engine (minutes). The search index already knows which pages hold the
quote's words: the quote's words, OR-ed and ranked by BM25 (a page holding more of them, and
rarer ones, first), give a few pages to anchor in. Words found on more than a fifth of the
pages say nothing about where the quote is and cost the most to read: they are left out (unless
fewer than `MIN_WORDS` would be left). Pages are ranked as searches are (`ranking.py`): the
quote's words close together on a page bring it forward. A quote whose words were edited
still shares most of them with its source, so the source page stays among the first.
"""

from __future__ import annotations

from typing import Any

from whoosh import query

from dossier.search.analysis import folded_words

COMMON_SHARE = 0.2
"""A word on more than this share of the pages does not point to any page."""
MIN_WORDS = 8
"""Words kept however common (the rarest first): one or two rare words leave many pages tied."""
MAX_WORDS = 40
"""Words of a long quote kept for the candidates (the rarest): enough to single out a page."""


def candidate_query(searcher: Any, text: str, fieldname: str = "exact") -> Any | None:
    """An OR query of the quote's telling words (None: the quote has no indexed word)."""
    words = list(dict.fromkeys(w for w in folded_words(text) if len(w) > 1 or w.isdigit()))
    if not words:
        return None
    to_bytes = searcher.schema[fieldname].to_bytes
    frequency = {w: searcher.doc_frequency(fieldname, to_bytes(w)) for w in words}
    present = [w for w in words if frequency[w] > 0]
    if not present:
        return None
    ceiling = max(1, int(COMMON_SHARE * searcher.doc_count_all()))
    present.sort(key=lambda w: frequency[w])
    telling = [w for w in present if frequency[w] <= ceiling]
    # Too few telling words cannot single out a page: the rarest of the others help.
    telling = present[: max(len(telling), MIN_WORDS)]
    return query.Or([query.Term(fieldname, w) for w in telling[:MAX_WORDS]])
