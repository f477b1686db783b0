"""Ranking: the page about the query first (first pages, titles, words close together), and every
hit's score explained in parts that add up to it, in the index and in `dossier search --json`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.search import SearchIndex
from dossier.search.ranking import FIRST_PAGE, TITLE_FACTOR, total
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE, run_cli
from tests.pdfgen import text_page, write_pdf
from tests.searchpages import page_item as _page

FILLER = "le rapport de la commission sur les budgets et les marchés publics de la ville"


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    opened = SearchIndex.open(tmp_path / "index", bytes(range(32)), "case")
    opened.add(
        [
            _page("a", f"{FILLER}. La préfecture teste la reconnaissance faciale en gare.", 0),
            _page("a", f"{FILLER}. La préfecture teste la reconnaissance faciale en gare.", 3),
            _page("b", f"La reconnaissance des agents. {FILLER}. {FILLER}. Mesure faciale.", 1),
            _page("c", f"{FILLER}. Une reconnaissance faciale contestée par les avocats.", 1),
            _page("d", f"{FILLER}. La police et la préfecture. {FILLER}.", 2),
        ]
    )
    return opened


def test_parts_add_up_to_the_score(index: SearchIndex) -> None:
    for text in ("reconnaissance faciale", "préfecture", '"reconnaissance faciale"', "recon*"):
        hits = index.search(text)
        assert hits, text
        for hit in hits:
            words = [p for p in hit.parts if p.what in ("word", "phrase")]
            assert words and all(p.value > 0 for p in words), text
            assert total(list(hit.parts)) == pytest.approx(hit.score), text
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_a_first_page_ranks_before_the_same_text_further_on(index: SearchIndex) -> None:
    hits = index.search("préfecture gare")
    assert [h.item_id for h in hits[:2]] == ["a:0", "a:3"]
    factors = {p.what: p.value for p in hits[0].parts}
    assert factors["first page"] == FIRST_PAGE
    assert "first page" not in {p.what for p in hits[1].parts}


def test_words_together_rank_before_the_same_words_apart(index: SearchIndex) -> None:
    hits = {h.item_id: h for h in index.search("reconnaissance faciale")}
    together, apart = hits["c:1"], hits["b:1"]
    assert together.score > apart.score
    proximity = {h: next(p for p in hits[h].parts if p.what == "proximity") for h in hits}
    assert proximity["c:1"].term == "2 words" and proximity["c:1"].value > proximity["b:1"].value


def test_cli_json_explains_each_hit_and_masks_protected_names(tmp_path: Path) -> None:
    vault = tmp_path / "v.dossier"
    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("Synopsis").id
        pdf = write_pdf(
            tmp_path / "a.pdf",
            [text_page("Le commissaire Quartermaine dément toute installation du logiciel.")],
        )
        ws.documents.import_file(case, pdf, kind="article", title="Le logiciel contesté")
        ws.people.add(case, "Paul Quartermaine", role="source", protection="protected")
    result = run_cli(
        tmp_path, "--vault", str(vault), "search", "--json", "--case", "Synopsis",
        "Quartermaine logiciel",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    hit = json.loads(result.stdout)[0]
    words = [p for p in hit["score_parts"] if p["what"] == "word"]
    assert {p["term"] for p in words} == {"[masked]", "logiciel"}
    assert "quartermaine" not in result.stdout.casefold()
    assert {"first page", "title", "proximity"} <= {p["what"] for p in hit["score_parts"]}
    score = sum(p["score"] for p in words)
    for part in hit["score_parts"]:
        score *= part.get("factor", 1.0)
    assert score == pytest.approx(hit["score"], abs=1e-3)


def test_a_title_that_names_the_query_ranks_its_document_first(tmp_path: Path) -> None:
    opened = SearchIndex.open(tmp_path / "titles", bytes(range(32)), "case")

    opened.add(
        [
            _page("about", f"{FILLER}. {FILLER}.", 0, title="Reconnaissance faciale en gare"),
            # Shorter than the titled page: BM25F alone ranks it first.
            _page("passing", f"{FILLER}. La reconnaissance faciale.", 0, title="Budget 2024"),
            _page(
                "later", f"{FILLER}. La reconnaissance faciale. {FILLER}.", 2, title="Budget 2023"
            ),
            _page("half", f"{FILLER}. Mesure faciale.", 0, title="La reconnaissance des agents"),
        ]
    )
    hits = opened.search("reconnaissance faciale")
    assert hits[0].doc_id == "about"
    factors = {h.doc_id: {p.what: p.value for p in h.parts} for h in hits}
    assert factors["about"]["title"] == pytest.approx(TITLE_FACTOR)
    assert factors["half"]["title"] == pytest.approx(1 + (TITLE_FACTOR - 1) / 2)
    assert "title" not in factors["passing"] and "title" not in factors["later"]
    for hit in hits:
        assert total(list(hit.parts)) == pytest.approx(hit.score)
    # A title's words are searchable on its document's first page only.
    assert opened.search("Budget 2023") == []
