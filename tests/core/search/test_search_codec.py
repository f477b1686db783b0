"""Segments written with the app's codec (rare words' postings inlined in the term dictionary)
answer every kind of query exactly as Whoosh's own codec does, stay readable once reopened and
merged, and take less room.

Two sealed indexes of the same pages, one per codec, each in several segments with documents
deleted and replaced; the pages carry words found in one or two pages only (names, numbers,
misreadings: the postings that are inlined) beside common ones.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from whoosh.codec import whoosh3

from dossier.search import IndexItem, SearchIndex
from dossier.search.codec import INLINE_BELOW, InliningCodec, index_codec
from dossier.search.execute import Runner
from dossier.search.model import SearchFilters
from dossier.search.postings import PostingsCache
from dossier.search.query import filter_query, parse_query
from dossier.search.schema import INDEX_NAME, build_schema, to_document
from dossier.search.storage import EncryptedStorage

KEY = bytes(range(32))
COMMON = "de la le police et il est dans the of surveillance caméras rapport enquête".split()
QUERIES = [
    "police",
    "zarqa7",
    "zarqa7 police",
    '"zarqa7 de"',
    '"de la"',
    "zarq*",
    "zarqa~1",
    "zarqa7 OR zarqa8",
    "police NOT zarqa3",
    "Léonard",
    "1000000",
]


def _rare(rng: random.Random) -> str:
    return f"zarqa{rng.randrange(300)}"


def _pages(rng: random.Random, count: int, start: int) -> list[IndexItem]:
    items = []
    for number in range(start, start + count):
        words = rng.choices(COMMON, k=rng.randint(5, 60))
        for _ in range(rng.randint(0, 3)):  # words in one page or two of the whole index
            words.insert(rng.randrange(len(words) + 1), _rare(rng))
        if number % 13 == 0:
            words += ["Pierre", "Léonard", "un", "million"]
        items.append(
            IndexItem(
                item_id=f"d{number}:0",
                doc_id=f"d{number}",
                case_id="case",
                item_type="page",
                kind=rng.choice(("article", "letter")),
                title=f"Document {number}",
                text=" ".join(words),
                page_index=0,
                date=f"20{rng.randint(15, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            )
        )
    return items


def _build(folder: Path, codec: Any) -> EncryptedStorage:
    storage = EncryptedStorage(folder, KEY, context="case").create()
    ix = storage.create_index(build_schema(), indexname=INDEX_NAME)
    rng = random.Random(11)
    for batch in range(3):  # one segment per commit
        writer = ix.writer(codec=codec)
        for item in _pages(rng, 80, batch * 80):
            writer.add_document(**to_document(item))
        writer.commit(merge=False)
    writer = ix.writer(codec=codec)
    for number in range(0, 240, 7):
        writer.delete_by_term("doc_id", f"d{number}")
    for item in _pages(rng, 10, 100):  # replaced: found by their item_id, a one-page term
        writer.update_document(**to_document(item))
    writer.commit(merge=False)
    return storage


@pytest.fixture(scope="module")
def storages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, EncryptedStorage]:
    root = tmp_path_factory.mktemp("codec")
    return {"whoosh": _build(root / "whoosh", None), "app": _build(root / "app", index_codec())}


def _answers(storage: EncryptedStorage) -> dict[str, list[tuple[float, str]]]:
    ix = EncryptedStorage(storage.folder, KEY, context="case").open_index(INDEX_NAME)
    restrict = filter_query(SearchFilters(kinds=("article",)))
    answers: dict[str, list[tuple[float, str]]] = {}
    with ix.searcher() as searcher:
        runner = Runner(searcher, PostingsCache())
        for text in QUERIES:
            q = parse_query(text, searcher.schema).query
            for name, where in ((text, None), (f"{text} [filtered]", restrict)):
                found = runner.ranked(q, 1000, where)
                answers[name] = [(round(s, 9), fields["item_id"]) for s, fields, _ in found]
    return answers


def test_same_hits_and_scores_as_whoosh_codec(storages: dict[str, EncryptedStorage]) -> None:
    expected = _answers(storages["whoosh"])
    assert expected["zarqa7"] and expected["police"] and expected['"de la"']
    assert _answers(storages["app"]) == expected


def test_rare_words_are_inlined_and_the_index_is_smaller(
    storages: dict[str, EncryptedStorage],
) -> None:
    ix = EncryptedStorage(storages["app"].folder, KEY, context="case").open_index(INDEX_NAME)
    with ix.searcher() as searcher:
        inlined = blocks = 0
        for sub, _offset in searcher.subsearchers:
            reader = sub.reader()
            assert isinstance(reader.segment().codec(), InliningCodec)
            for fieldname, btext in reader.all_terms():
                info = reader.term_info(fieldname, btext)
                rare = info.doc_frequency() < INLINE_BELOW
                matcher = reader.postings(fieldname, btext)
                leaf = getattr(matcher, "child", matcher)  # deleted documents wrap it
                assert isinstance(leaf, whoosh3.W3LeafMatcher) is not rare, (fieldname, btext)
                inlined += rare
                blocks += not rare
    assert inlined > blocks > 0  # item ids and rare words inlined; common words in blocks

    def size(storage: EncryptedStorage) -> int:
        return sum(storage.file_length(name) for name in storage.list())

    assert size(storages["app"]) < 0.9 * size(storages["whoosh"])


def test_merged_segments_answer_as_merged_by_whoosh_codec(tmp_path: Path) -> None:
    """Segments of both codecs (an index written before this codec, then by it) merged into
    one, by the app's codec and by Whoosh's: the same answers."""
    answers = {}
    for name, codec in (("whoosh", None), ("app", index_codec())):
        mixed = _build(tmp_path / name, None)
        ix = EncryptedStorage(mixed.folder, KEY, context="case").open_index(INDEX_NAME)
        writer = ix.writer(codec=index_codec())
        for item in _pages(random.Random(5), 5, 500):
            writer.add_document(**to_document(item))
        writer.commit(merge=False)
        ix.writer(codec=codec).commit(optimize=True)
        with ix.searcher() as searcher:
            assert searcher.is_atomic()
            written = searcher.reader().segment().codec()
            assert isinstance(written, InliningCodec) is (codec is not None)
        answers[name] = _answers(mixed)
    assert answers["app"] == answers["whoosh"]


def test_the_case_index_writes_with_the_app_codec(tmp_path: Path) -> None:
    index = SearchIndex.open(tmp_path / "case", KEY, "case")
    try:
        index.add(_pages(random.Random(3), 20, 0))
        index.add(_pages(random.Random(4), 20, 20))
        assert [h.item_id for h in index.search("zarqa7 OR police", limit=1)]
        segments = index._ix._segments()
        assert segments and all(isinstance(s.codec(), InliningCodec) for s in segments)
    finally:
        index.close()
