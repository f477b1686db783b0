"""In a big case a quote is anchored only in the pages the search index proposes for its words:
the same verdicts and places as anchoring everywhere, over a page break too, and nothing found
for a quote that is not in the case."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from dossier.services.quotes.dto import QuoteCandidate
from dossier.services.workspace import Workspace
from tests.pdfgen import text_page, write_pdf

VOCABULARY = (
    "le la les de des un une et dans pour sur avec sans préfet commissaire député maire "
    "caméra logiciel contrat marché rapport enquête budget police mairie conseil vote "
    "réunion courrier dossier service réponse question retard chantier collège subvention"
).split()
QUOTE = "le commissaire Quartier a signé le contrat du logiciel sans prévenir le conseil"
ACROSS_END = "selon le rapport Vermandois la mairie"
ACROSS_START = "a payé trois fois le prix du marché"


def _filler(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(words)) + "."


@pytest.fixture
def big_case(workspace: Workspace, tmp_path: Path) -> tuple[str, dict[str, str]]:
    rng = random.Random(3)
    case = workspace.cases.create("Grosse affaire").id
    ids: dict[str, str] = {}
    for number in range(8):
        pages = [_filler(rng, 60) for _ in range(4)]
        if number == 5:
            pages[2] = f"{_filler(rng, 30)} {QUOTE.capitalize()}. {_filler(rng, 20)}"
        if number == 6:
            pages[0] = f"{_filler(rng, 40)} {ACROSS_END.capitalize()}"
            pages[1] = f"{ACROSS_START} {_filler(rng, 40)}"
        path = write_pdf(tmp_path / f"doc{number}.pdf", [text_page(p) for p in pages])
        ids[f"doc{number}"] = workspace.documents.import_file(case, path, kind="source").id
    return case, ids


def _summary(found: list[QuoteCandidate]) -> list[tuple[str, str, list[int]]]:
    return [(c.doc_id, c.verdict, [s.page_index for s in c.spans]) for c in found]


def test_index_candidates_find_what_anchoring_everywhere_finds(
    workspace: Workspace, big_case: tuple[str, dict[str, str]]
) -> None:
    case, ids = big_case
    locator = workspace.quotes.locator
    quotes = {
        "verbatim": QUOTE,
        "altered": QUOTE.replace("a signé", "aurait signé"),
        "page break": f"{ACROSS_END} {ACROSS_START}",
        "absent": "la ministre a démissionné hier soir après le scandale des sous-marins",
    }
    everywhere = {name: _summary(workspace.quotes.find(case, q)) for name, q in quotes.items()}
    locator.index_above_pages = 0  # every case is "big": candidates come from the index
    indexed = {name: _summary(workspace.quotes.find(case, q)) for name, q in quotes.items()}
    assert indexed["verbatim"][0] == (ids["doc5"], "normalized", [2])  # capital letter
    assert indexed["altered"][0][:2] == (ids["doc5"], "altered")
    assert indexed["page break"][0][0::2] == (ids["doc6"], [0, 1])
    assert indexed["absent"] == []
    for name in ("verbatim", "altered", "page break"):
        assert indexed[name][0] == everywhere[name][0], name


def test_a_quote_saved_without_source_is_anchored_through_the_index(
    workspace: Workspace, big_case: tuple[str, dict[str, str]]
) -> None:
    case, ids = big_case
    workspace.quotes.locator.index_above_pages = 0
    info = workspace.quotes.add(case, QUOTE)
    assert info.verdict == "normalized"
    assert info.source_doc_id == ids["doc5"]
