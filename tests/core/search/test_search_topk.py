"""The block-by-block search (`topk.py`) finds what Whoosh finds, with Whoosh's scores.

One sealed index of generated French and English pages, in several segments, some documents
deleted and some replaced (so postings skip deleted documents), searched both ways with every
kind of query the parser makes: words, stems, phrases of function words (the costly ones),
repeated words, prefixes, fuzzy terms, OR, NOT, compounds, synonyms, OCR misreadings, filters.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from dossier.search import topk
from dossier.search.execute import Runner
from dossier.search.model import IndexItem, SearchFilters
from dossier.search.postings import PostingsCache, segment_id
from dossier.search.query import filter_query, parse_query
from dossier.search.schema import INDEX_NAME, build_schema, to_document
from dossier.search.storage import EncryptedStorage
from dossier.search.topk import top_hits

WORDS = (
    "de la le les et il est dans un une que qui pour of the to in is and police sécurité "
    "surveillance caméras rapport enquête investigating investigation données biométriques "
    "reconnaissance faciale préfecture l’utilisation d’une e-mail Haute-Garonne 20/11/2023 "
    "courriel surveiIlance"
).split()
"""The last words are rare: a synonym ("courriel" for "email") and an OCR misreading, which
are scored with the typed word's weight (`stems.Standin`), by Whoosh too."""
WEIGHTS = [40 / (rank + 1) for rank in range(len(WORDS))]
"""Zipf-like: function words on nearly every page, as in real text."""
QUERIES = [
    "police",
    "de",
    "la",
    "investigate",
    "sécurité caméras",
    "reconnaissance faciale",
    "de la police",
    '"de la"',
    '"la de"',
    '"de la le"',
    '"la la"',
    '"of the"',
    '"il est dans"',
    '"police de la"',
    '"reconnaissance faciale"',
    '"utilisation d une"',
    "email",
    "courriel",
    "surveillance",
    "email OR surveillance",
    "Haute Garonne",
    "2023-11-20",
    "police OR caméras",
    'police OR "de la"',
    "police NOT caméras",
    "(police OR rapport) AND NOT données",
    "surveil*",
    "investig*",
    "polise~1",
    "survaillance~2",
    "zorglub",
    '"zorglub de"',
]
CACHE = PostingsCache(max_bytes=256 * 1024, max_bitmap_bytes=16 * 1024)
"""Small on purpose: entries and phrase bitmaps are evicted and made again during the test."""
UNORDERED = ("*", "NOT")
"""Queries whose order is not compared: Whoosh scores every prefix match 1.0 (the block search
ranks them by BM25) and adds 1.0 for a NOT (the same order, other numbers)."""


def _pages(rng: random.Random, count: int, start: int) -> list[IndexItem]:
    items = []
    for number in range(start, start + count):
        length = rng.randint(5, 120)
        text = " ".join(rng.choices(WORDS, weights=WEIGHTS, k=length))
        items.append(
            IndexItem(
                item_id=f"d{number}:0",
                doc_id=f"d{number}",
                case_id="case",
                item_type="page",
                kind=rng.choice(("article", "letter", "source")),
                title=f"Document {number}" + (" police" if number % 17 == 0 else ""),
                text=text,
                page_index=0,
                date=f"20{rng.randint(15, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                secondary=text[:40] if number % 11 == 0 else "",
                ocr=number % 3 == 0,
            )
        )
    return items


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder: Path = tmp_path_factory.mktemp("topk")
    storage = EncryptedStorage(folder, bytes(range(32)), context="case").create()
    ix = storage.create_index(build_schema(), indexname=INDEX_NAME)
    rng = random.Random(7)
    for batch in range(4):  # one segment per commit
        writer = ix.writer()
        for item in _pages(rng, 120, batch * 120):
            writer.add_document(**to_document(item))
        writer.commit(merge=False)
    writer = ix.writer()
    for number in range(0, 480, 9):
        writer.delete_by_term("doc_id", f"d{number}")
    for item in _pages(rng, 10, 200):  # replaced: old versions deleted, new ones added
        writer.update_document(**to_document(item))
    writer.commit(merge=False)
    with ix.searcher() as opened:
        assert not opened.is_atomic() and len(opened.subsearchers) >= 4
        yield opened


def _whoosh(searcher: Any, q: Any, limit: int, restrict: Any = None) -> list[tuple[float, int]]:
    return [(hit.score, hit.docnum) for hit in searcher.search(q, limit=limit, filter=restrict)]


@pytest.mark.parametrize("text", QUERIES)
def test_same_hits_and_scores_as_whoosh(searcher: Any, text: str) -> None:
    q = parse_query(text, searcher.schema).query
    everything = dict((doc, score) for score, doc in _whoosh(searcher, q, 10_000))
    fast_all = top_hits(searcher, q, 10_000)
    assert fast_all is not None, text
    assert {doc for _score, doc in fast_all} == set(everything), text
    # Again from kept (packed) postings, twice: the second run reads them from the cache.
    for _ in range(2):
        assert top_hits(searcher, q, 10_000, cache=CACHE) == fast_all, text
    if any(mark in text for mark in UNORDERED):
        return
    for limit in (1, 10):
        fast = top_hits(searcher, q, limit)
        assert fast is not None
        expected = sorted(everything.values(), reverse=True)[:limit]
        assert [round(s, 6) for s, _doc in fast] == [round(s, 6) for s in expected], text
        for score, doc in fast:
            assert everything[doc] == pytest.approx(score, rel=1e-9), text


@pytest.mark.parametrize(
    "filters",
    [
        SearchFilters(kinds=("article",)),
        SearchFilters(kinds=("letter", "source"), date_from="2019-01-01"),
        SearchFilters(date_to="2017-12-31"),
    ],
)
def test_filters_allow_the_same_hits(searcher: Any, filters: SearchFilters) -> None:
    restrict = filter_query(filters)
    runner = Runner(searcher)
    for text in ("police", '"de la"', "sécurité caméras", "investig*"):
        q = parse_query(text, searcher.schema).query
        expected = {doc for _score, doc in _whoosh(searcher, q, 10_000, restrict)}
        allowed = runner.allowed(restrict)
        fast = top_hits(searcher, q, 10_000, allowed)
        assert fast is not None
        assert {doc for _score, doc in fast} == expected, (text, filters)
        hits = runner.run(q, 5, restrict)
        assert len(hits) == min(5, len(expected))
        assert runner.allowed(restrict) is allowed  # kept for the next search


def test_a_phrase_with_slop_is_left_to_whoosh(searcher: Any) -> None:
    q = parse_query('"police sécurité"~3', searcher.schema).query
    assert top_hits(searcher, q, 10) is None
    expected = [fields["item_id"] for _score, fields in Runner(searcher).run(q, 10)]
    assert expected == [hit["item_id"] for hit in searcher.search(q, limit=10)]


def test_phrase_bitmaps_stay_within_their_bound(searcher: Any) -> None:
    """Phrases checked in many pages fill the bitmaps; the cache drops the oldest, and what
    it keeps answers the next searches as if nothing were kept."""
    cache = PostingsCache(max_bitmap_bytes=4 * 1024)
    phrases = ['"de la"', '"la de"', '"il est dans"', '"la la"', '"de la le"', '"of the"']
    for text in phrases * 2:
        q = parse_query(text, searcher.schema).query
        assert top_hits(searcher, q, 50, cache=cache) == top_hits(searcher, q, 50), text
        assert 0 < cache.bitmap_bytes <= 4 * 1024


def test_a_search_run_again_reads_no_term_entry_and_no_length_column(
    searcher: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a search read once (postings kept, each segment's length column, the candidates'
    stored fields) is not read again from the sealed files by the same search repeated: at
    50,000 pages, looking the terms up again and decrypting length columns for every hit
    ranked cost more than scoring a phrase of function words."""
    runner = Runner(searcher, PostingsCache())
    texts = ['"et de la" police', '"de la"', "police OR caméras", "investig*"]
    queries = [parse_query(text, searcher.schema).query for text in texts]
    first = [runner.ranked(q, 10) for q in queries]
    read: list[tuple[Any, ...]] = []
    for sub, _offset in searcher.subsearchers:
        reader = sub.reader()
        postings, sid = reader.postings, segment_id(reader)
        monkeypatch.setattr(
            reader, "postings", lambda *a, _r=postings, _s=sid: read.append((_s, *a)) or _r(*a)
        )
    monkeypatch.setattr(topk, "length_bytes", lambda *a: read.append(a) or b"")
    assert [runner.ranked(q, 10) for q in queries] == first
    assert runner.cache is not None
    # Only the partial lists a few candidates needed (never kept) are read again.
    assert [key for key in read if runner.cache.get(key[:3], False) is not None] == []
    assert not [key for key in read if key[1] == "exact"]
