"""Contract: Whoosh on the sealed storage behaves exactly as Whoosh on its plain FileStorage.

The same scenario (indexing in many segments, deletions, updates, merges, optimize, a document
larger than a sealed block, a posting pool that spills to temporary files) runs on both
storages with Whoosh's own fields and analyzers, and every observation is compared: search
results with scores, sorting, phrases, prefixes, fuzzy terms, the lexicon, document
frequencies, stored fields, term vectors, spelling suggestions and document counts.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from whoosh import fields, query, sorting
from whoosh.filedb.filestore import FileStorage
from whoosh.qparser import FuzzyTermPlugin, QueryParser

from dossier.search.storage import EncryptedStorage

VOCABULARY = [
    "police", "sécurité", "caméra", "algorithme", "préfecture", "enquête", "rapport",
    "ministère", "données", "contrat", "marché", "juge", "témoin", "source", "courrier",
    "réponse", "délai", "budget", "logiciel", "surveillance", "reconnaissance", "faciale",
    "the", "court", "privacy", "investigation", "report", "letter", "reply", "deadline",
]  # fmt: skip
QUERIES = [
    "police",
    "sécurité caméra",
    "police OR juge",
    "enquête NOT rapport",
    '"reconnaissance faciale"',
    "surv*",
    "algorithm~2",
    "court AND (privacy OR letter)",
]


def _schema() -> Any:
    return fields.Schema(
        key=fields.ID(stored=True, unique=True),
        body=fields.TEXT(stored=True, vector=True),
        tag=fields.KEYWORD(stored=True),
        rank=fields.NUMERIC(stored=True, sortable=True),
        title=fields.TEXT(stored=True, spelling=True),
    )


def _docs(rng: random.Random, start: int, count: int, length: int = 60) -> list[dict[str, Any]]:
    docs = []
    for n in range(start, start + count):
        body = " ".join(rng.choice(VOCABULARY) for _ in range(length))
        docs.append(
            {
                "key": f"k{n}",
                "body": body,
                "tag": f"t{n % 7}",
                "rank": rng.randint(0, 1000),
                "title": " ".join(rng.sample(VOCABULARY, 3)),
            }
        )
    return docs


def _observe(ix: Any) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    parser = QueryParser("body", ix.schema)
    parser.add_plugin(FuzzyTermPlugin())
    with ix.searcher() as searcher:
        reader = searcher.reader()
        seen["doc_count"] = searcher.doc_count()
        seen["doc_count_all"] = searcher.doc_count_all()
        seen["segments"] = len(ix._segments())
        for text in QUERIES:
            results = searcher.search(parser.parse(text), limit=None)
            seen[text] = [(hit["key"], round(hit.score, 9)) for hit in results]
        by_rank = searcher.search(query.Every(), limit=25, sortedby=sorting.FieldFacet("rank"))
        seen["sorted"] = [(hit["key"], hit["rank"]) for hit in by_rank]
        page = searcher.search_page(parser.parse("police"), 2, pagelen=7)
        seen["page2"] = [hit["key"] for hit in page]
        seen["lexicon"] = [t.decode("utf-8") for t in reader.lexicon("body")]
        seen["doc_frequency"] = {w: reader.doc_frequency("body", w) for w in ["police", "the"]}
        seen["stored"] = sorted(
            (f["key"], f["tag"], f["rank"], f["title"]) for f in reader.all_stored_fields()
        )
        first = searcher.document_number(key="k3")
        if first is not None:
            seen["vector"] = list(reader.vector_as("frequency", first, "body"))
        seen["suggest"] = searcher.corrector("title").suggest("polise", limit=3)
    return seen


def _scenario(storage: Any) -> list[dict[str, Any]]:
    rng = random.Random(1234)
    ix = storage.create_index(_schema())
    transcript = []
    # Many small segments (no merging), through a tiny pool that spills runs to temp storage.
    for batch in range(6):
        writer = ix.writer(limitmb=1)
        for doc in _docs(rng, batch * 40, 40):
            writer.add_document(**doc)
        writer.commit(merge=False)
    transcript.append(_observe(ix))
    writer = ix.writer()
    writer.delete_by_term("tag", "t3")
    writer.delete_by_query(query.Term("body", "juge") & query.Term("tag", "t1"))
    writer.commit(merge=False)
    transcript.append(_observe(ix))
    writer = ix.writer()
    for doc in _docs(rng, 0, 30):
        writer.update_document(**doc)
    writer.commit()  # default policy: merges small segments
    transcript.append(_observe(ix))
    writer = ix.writer()
    # One document far larger than a sealed block (64 KiB).
    writer.add_document(**_docs(rng, 10_000, 1, length=30_000)[0])
    writer.commit(optimize=True)
    transcript.append(_observe(ix))
    return transcript


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """What plain Whoosh observes of the scenario, on disk and with mmap as it comes: run once
    for the module, each test running its own side of the comparison."""
    return _scenario(FileStorage(str(tmp_path_factory.mktemp("plain"))).create())


def test_sealed_storage_gives_the_same_results_as_plain_whoosh(
    tmp_path: Path, plain: list[dict[str, Any]]
) -> None:
    sealed = _scenario(EncryptedStorage(tmp_path / "sealed", bytes(range(32))).create())
    # The scenario is meaningful: segments, deletions, merges and hits all happened.
    assert plain[0]["segments"] == 6
    assert plain[-1]["segments"] == 1
    assert plain[1]["doc_count"] < plain[1]["doc_count_all"]
    assert all(plain[0][q] for q in QUERIES)
    for step, (expected, got) in enumerate(zip(plain, sealed, strict=True)):
        for key in expected:
            assert got[key] == expected[key], f"step {step}: {key} differs"


@pytest.mark.parametrize("mmap", [True, False])
def test_plain_whoosh_with_or_without_mmap_agree_too(
    tmp_path: Path, mmap: bool, plain: list[dict[str, Any]]
) -> None:
    # Guards the comparison itself: plain Whoosh is deterministic for a seeded scenario.
    assert _scenario(FileStorage(str(tmp_path / "a"), supports_mmap=mmap).create()) == plain


def test_reopened_sealed_index_reads_the_same(tmp_path: Path) -> None:
    folder = tmp_path / "sealed"
    key = bytes(range(32))
    written = _scenario(EncryptedStorage(folder, key).create())
    reopened = _observe(EncryptedStorage(folder, key).open_index())
    assert reopened == written[-1]
    assert not [p for p in folder.iterdir() if p.is_dir()], "temporary folders are removed"


def test_fast_phrase_finds_and_scores_exactly_like_whoosh_phrase(tmp_path: Path) -> None:
    from dossier.search.phrases import FastPhrase

    rng = random.Random(99)
    small = ["la", "de", "le", "police", "securite", "donnees", "camera", "des"]
    schema = fields.Schema(key=fields.ID(stored=True), body=fields.TEXT(phrase=True))
    ix = EncryptedStorage(tmp_path / "ix", bytes(range(32))).create().create_index(schema)
    texts = []
    for batch in range(3):  # several segments: a word may be missing from one of them
        writer = ix.writer()
        for n in range(60):
            text = " ".join(rng.choice(small) for _ in range(rng.randint(5, 80)))
            texts.append(text)
            writer.add_document(key=f"{batch}-{n}", body=text)
        writer.commit(merge=False)
    phrases = [["la", "la"], ["la", "la", "la"], ["de", "la", "police"], ["absent", "la"]]
    for _ in range(40):
        words = texts[rng.randrange(len(texts))].split()
        start = rng.randrange(len(words) - 1)
        phrases.append(words[start : start + rng.randint(2, 4)])
    found = 0
    with ix.searcher() as searcher:
        for words in phrases:
            expected = searcher.search(query.Phrase("body", words), limit=None)
            got = searcher.search(FastPhrase("body", words), limit=None)
            pairs = [(h["key"], round(h.score, 9)) for h in got]
            assert pairs == [(h["key"], round(h.score, 9)) for h in expected], words
            found += bool(pairs)
    assert found >= 40, "most phrases were taken from the documents and must be found"
