"""The search facade: what a French reporter types finds what they expect, with filters."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dossier.errors import Cancelled, UsageError
from dossier.jobs import CancelToken
from dossier.search import Hit, IndexItem, SearchFilters, SearchIndex, search_many
from tests.alongside import alongside

KEY_A = bytes(range(32))
KEY_B = bytes(range(1, 33))


def _page(doc: str, index: int, text: str, **extra: object) -> IndexItem:
    fields: dict[str, object] = {
        "item_id": f"{doc}:{index}",
        "doc_id": doc,
        "case_id": "case-a",
        "item_type": "page",
        "kind": "article",
        "title": f"Titre {doc}",
        "text": text,
        "page_index": index,
        "page_label": str(index + 1),
        "language": "fr",
    }
    fields.update(extra)
    return IndexItem(**fields)  # type: ignore[arg-type]


CORPUS = [
    _page("art", 0, "La sécurité des données personnelles inquiète la CNIL.", date="2023-03-01"),
    _page("art", 1, "Les reconnaissances faciales se multiplient en gare.", date="2023-03-01"),
    _page("art", 2, "Il dénonce l’utilisation des caméras par la préfecture.", date="2023-03-01"),
    _page(
        "lettre",
        0,
        "Monsieur LÉONARD, nous vous adressons nos questions sur la surveillance.",
        kind="letter",
        item_type="letter",
        date="2023-06-15",
        people=["person-leonard"],
        tags=["Affaire Clouet"],
    ),
    _page("note", 0, "Rappeler Clouet au sujet de l’aﬀaire des marchés publics.", kind="note",
          item_type="note", date="2024-01-10", people=["person-clouet"], tags=["Affaire Clouet"]),
    _page("en", 0, "The newspaper was investigating surveillance contracts.", language="en",
          kind="source", date="2022-11-30"),
    _page("en", 1, "Facial recognition cameras were deployed at the stadium.", language="en",
          kind="source", date="2022-11-30"),
]  # fmt: skip


@pytest.fixture
def index(tmp_path: Path) -> Iterator[SearchIndex]:
    # Closed after the test: its timer, merges and merge threads end with it, not in a later
    # test (or in a folder pytest is removing).
    with SearchIndex.open(tmp_path / "index" / "case-a", KEY_A, "case-a") as opened:
        assert opened.needs_rebuild and opened.rebuild_reason == "the search index is missing"
        assert opened.add(CORPUS) == len(CORPUS)
        # Page texts are not stored in the index: snippets are cut from the catalog's texts.
        texts = {(item.doc_id, item.page_index): item.text for item in CORPUS}
        opened.page_texts = lambda pages: {page: texts.get(page, "") for page in pages}
        yield opened


def _ids(hits: list[Hit]) -> list[str]:
    return [h.item_id for h in hits]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("securite", ["art:0"]),
        ("reconnaissance faciale", ["art:1"]),
        ("utilisation", ["art:2"]),
        ("Léonard", ["lettre:0"]),
        ("leonard", ["lettre:0"]),
        ("investigate", ["en:0"]),
        ("affaire", ["note:0"]),
        ("l’utilisation", ["art:2"]),
        ("surveil*", ["en:0", "lettre:0"]),
        ("Clouet~1", ["note:0"]),
        ("Clouét~1", ["note:0"]),
        ("Clouat~1", ["note:0"]),
        ('"reconnaissances faciales"', ["art:1"]),
        ('"reconnaissance faciale"', []),
        ('"facial recognition"', ["en:1"]),
        ("caméras OR cameras", ["art:2", "en:1"]),
        ("surveillance NOT contracts", ["lettre:0"]),
        ("surveillance SAUF contracts", ["lettre:0"]),
    ],
)
def test_what_a_french_reporter_types(index: SearchIndex, typed: str, expected: list[str]) -> None:
    assert sorted(_ids(index.search(typed))) == sorted(expected)


def test_hit_lands_on_a_page_with_a_marked_snippet(index: SearchIndex) -> None:
    (hit,) = index.search("reconnaissance faciale")
    assert (hit.doc_id, hit.page_index, hit.page_label, hit.kind, hit.title) == (
        "art", 1, "2", "article", "Titre art",
    )  # fmt: skip
    assert hit.score > 0 and hit.case_id == "case-a" and hit.date == "2023-03-01"
    marked = [hit.snippet[s:e] for s, e in hit.highlights]
    assert marked == ["reconnaissances", "faciales"]
    assert hit.terms == ("reconnaissances", "faciales")
    (ligature,) = index.search("affaire")
    assert [ligature.snippet[s:e] for s, e in ligature.highlights] == ["aﬀaire"]
    (accent,) = index.search("LEONARD")
    assert [accent.snippet[s:e] for s, e in accent.highlights] == ["LÉONARD"]


def test_title_is_searchable_on_the_first_page_only(index: SearchIndex) -> None:
    assert _ids(index.search("titre art")) == ["art:0"]


def test_filters(index: SearchIndex) -> None:
    def found(filters: SearchFilters, typed: str = "la OR the OR nous OR clouet") -> list[str]:
        return sorted(_ids(index.search(typed, filters, limit=50)))

    assert found(SearchFilters(kinds=["source"])) == ["en:0", "en:1"]
    assert found(SearchFilters(kinds=["letter", "note"])) == ["lettre:0", "note:0"]
    assert found(SearchFilters(item_types=["note"])) == ["note:0"]
    assert found(SearchFilters(people=["person-leonard"])) == ["lettre:0"]
    assert found(SearchFilters(tags=["affaire clouet"])) == ["lettre:0", "note:0"]
    assert found(SearchFilters(date_from="2023-01-01", date_to="2023-12-31")) == [
        "art:0", "art:2", "lettre:0",
    ]  # fmt: skip
    assert found(SearchFilters(date_to="2022")) == ["en:0", "en:1"]
    assert found(SearchFilters(tags=["Affaire Clouet"], date_from="2024-01")) == ["note:0"]
    assert found(SearchFilters(cases=["case-b"])) == []
    assert found(SearchFilters(cases=["case-a"]), "clouet") == ["note:0"]


def test_malformed_query_is_a_usage_error(index: SearchIndex) -> None:
    with pytest.raises(UsageError, match="quote"):
        index.search('"unclosed')
    with pytest.raises(UsageError):
        index.search("police", limit=0)


def test_edits_and_deletions_are_seen_at_once(index: SearchIndex) -> None:
    index.update([_page("art", 0, "Le budget de la sécurité a doublé.", date="2023-03-01")])
    assert _ids(index.search("budget")) == ["art:0"]
    assert _ids(index.search("personnelles")) == []
    index.remove_items(["art:1"])
    # "faciales" still finds the English page: its English stem is "facial".
    assert _ids(index.search("faciales")) == ["en:1"]
    index.remove(["art"])
    assert _ids(index.search("préfecture")) == []
    assert index.count() == len(CORPUS) - 3
    replaced = index.replace_documents(
        ["en"], [_page("en", 0, "Only one page now.", language="en")]
    )
    assert replaced == 1
    assert sorted(_ids(index.search("page OR stadium"))) == ["en:0"]


def test_many_segments_with_deletions_never_show_stale_documents(tmp_path: Path) -> None:
    # The refresh pitfall: after automatic merges, a refreshed searcher counted merged-away
    # segments and ignored deletions. Every commit here must be seen exactly.
    index = SearchIndex.open(tmp_path / "ix", KEY_A, "case-a")
    expected: set[str] = set()
    for batch in range(12):
        items = [_page(f"d{batch}", n, f"commun lot{batch} page{n}") for n in range(50)]
        index.add(items)
        expected |= {i.item_id for i in items}
        if batch % 3 == 2:
            index.remove([f"d{batch - 1}"])
            expected -= {f"d{batch - 1}:{n}" for n in range(50)}
        assert index.count() == len(expected)
        assert set(_ids(index.search("commun", limit=10_000))) == expected
    index.close()
    with SearchIndex.open(tmp_path / "ix", KEY_A, "case-a") as reopened:
        assert not reopened.needs_rebuild
        assert set(_ids(reopened.search("commun", limit=10_000))) == expected


def test_progress_and_cancel(index: SearchIndex) -> None:
    reports: list[tuple[float, str]] = []
    items = [_page("big", n, f"rapport numéro {n}") for n in range(60)]
    index.add(items, progress=lambda f, m: reports.append((f, m)))
    fractions = [f for f, _ in reports]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(reports) >= 4
    token = CancelToken()

    def cancelling() -> list[IndexItem]:
        produced = []
        for n in range(100):
            if n == 40:
                token.cancel()
            produced.append(_page("late", n, f"annulé {n}"))
        return produced

    before = index.count()
    with pytest.raises(Cancelled):
        index.add(iter(cancelling()), cancel=token)
    assert index.count() == before
    assert index.search("annule") == []
    with pytest.raises(Cancelled):
        index.rebuild(CORPUS, cancel=token)
    assert index.count() == before, "a cancelled rebuild keeps the old index"
    assert not list(index.folder.parent.glob("*.rebuild-*"))


def test_rebuild_replaces_everything(index: SearchIndex) -> None:
    index.rebuild([_page("seul", 0, "Un seul document reste.")])
    assert index.count() == 1
    assert _ids(index.search("document")) == ["seul:0"]
    assert _ids(index.search("securite")) == []
    assert sorted(p.name for p in index.folder.parent.iterdir()) == ["case-a"]


def test_items_of_another_case_are_refused(index: SearchIndex) -> None:
    stray = _page("x", 0, "texte", case_id="case-b")
    with pytest.raises(UsageError, match="another case"):
        index.add([stray])


def test_cross_case_search_merges_by_score(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    first = SearchIndex.open(tmp_path / "index" / "case-a", KEY_A, "case-a")
    second = SearchIndex.open(tmp_path / "index" / "case-b", KEY_B, "case-b")
    request.addfinalizer(first.close)
    request.addfinalizer(second.close)
    first.add(CORPUS)
    second.add(
        [
            IndexItem("q:1", "q:1", "case-b", "quote", "interview", "Citation",
                      "« La surveillance généralisée est une dérive », dit-il.", language="fr"),
            IndexItem("p:1", "p:1", "case-b", "person", "person", "Léonard Martin",
                      "Léonard Martin, préfet"),
        ]
    )  # fmt: skip
    hits = search_many([first, second], "surveillance")
    assert {(h.case_id, h.item_id) for h in hits} == {
        ("case-a", "lettre:0"), ("case-a", "en:0"), ("case-b", "q:1"),
    }  # fmt: skip
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    people = search_many([first, second], "Léonard", SearchFilters(item_types=["person"]))
    assert [(h.case_id, h.item_id) for h in people] == [("case-b", "p:1")]
    only_b = search_many([first, second], "surveillance", SearchFilters(cases=["case-b"]))
    assert [h.case_id for h in only_b] == ["case-b"]
    assert len(search_many([first, second], "surveillance", limit=2)) == 2
    assert search_many([], "surveillance") == []


def test_searches_run_while_a_writer_commits(index: SearchIndex) -> None:
    """Searches again and again on a thread while the test adds batches, each as a search
    begins (it waits for the searches' next round): six contests however fast or slow the
    machine. Searched only while a writer added its batches, the index was searched 1-2 times."""
    with alongside(lambda: index.search("parallele OR securite"), repeat=True) as searches:
        for batch in range(6):
            searches.wait_rounds(searches.rounds + 2)
            index.add([_page(f"t{batch}", n, f"parallèle {n}") for n in range(30)])
    assert searches.rounds >= 12
    assert len(index.search("parallele", limit=1000)) == 180
    assert index.rebuild_reason == "the search index is missing", "no damage was seen"


def test_index_of_another_version_or_case_is_rebuilt(tmp_path: Path) -> None:
    folder = tmp_path / "ix"
    with SearchIndex.open(folder, KEY_A, "case-a") as first:
        first.add(CORPUS)
    with SearchIndex.open(folder, KEY_A, "case-z") as other:
        assert other.needs_rebuild and other.count() == 0


def test_doc_ids_are_the_documents_with_a_live_item(index: SearchIndex) -> None:
    """What the catalog is reconciled against: a document whose items were all deleted is not
    in it, one with an item left (or replaced) is, in segments with and without deletions."""
    assert index.doc_ids() == {"art", "lettre", "note", "en"}
    index.add([_page("late", 0, "Une page indexée à part.")])  # a segment of its own
    index.remove(["note"])
    index.remove_items(["art:0", "art:1"])
    index.update([_page("en", 1, "The cameras were replaced.", language="en")])
    assert index.doc_ids() == {"art", "lettre", "en", "late"}
    index.remove_items(["art:2", "en:0", "en:1"])
    assert index.doc_ids() == {"lettre", "late"}


def test_a_reader_outrun_by_another_threads_commit_opens_the_newer_index(tmp_path: Path) -> None:
    # CI caught it once: a search opened the table of contents that a background merge had just
    # committed past and deleted, and took the index for damaged. Here the other thread's commit
    # is made to land at that exact moment, every time.
    index = SearchIndex.open(tmp_path / "ix", KEY_A, "case-a")
    index.add([_page("d0", n, f"commun page{n}") for n in range(5)])
    assert index.count() == 5
    storage = index._storage
    opened = storage.open_file
    outrun = threading.Event()

    def open_file(name: str, **kwargs: object) -> object:
        if name.endswith(".toc") and not outrun.is_set():
            outrun.set()
            writer = threading.Thread(
                target=index.add, args=([_page("d1", n, f"commun lot{n}") for n in range(5)],)
            )
            writer.start()
            # The writer's commit deletes the table of contents this reader is about to open;
            # it then waits for this reader to drop its searcher, so it is not joined here.
            deadline = time.monotonic() + 60
            while (tmp_path / "ix" / name).exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            assert not (tmp_path / "ix" / name).exists(), "the other commit never landed"
            threads.append(writer)
        return opened(name, **kwargs)

    threads: list[threading.Thread] = []
    storage.open_file = open_file  # type: ignore[method-assign]
    index._drop_searcher()
    with index._read_lock:
        searcher = index._current_searcher()
        assert searcher.doc_count() == 10
    for thread in threads:
        thread.join(60)
    assert outrun.is_set()
    assert index.count() == 10
    index.close()
