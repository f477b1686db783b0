"""Numbers and amounts written differently find each other in a real vault, French and English:
`un million`, `1 000 000`, `1000000`, `2,5 millions`; `€` and `euros`, `$` and `dollars`."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.services.workspace import Workspace

PAGES = {
    "words_fr": "La préfecture a payé un million d’euros pour le logiciel.",
    "figures_fr": "Le contrat de vidéosurveillance s’élève à 1 000 000 € selon le rapport.",
    "decimal_fr": "Le marché atteint 2,5 millions € hors taxes.",
    "words_en": "The city paid ten thousand dollars to the contractor.",
    "figures_en": "The council approved $2,500,000 for the cameras.",
    "billion_en": "A budget of 3 billion dollars was announced.",
}


@pytest.fixture
def case(workspace: Workspace, tmp_path: Path) -> tuple[str, dict[str, str]]:
    case_id = workspace.cases.create("Montants").id
    ids = {}
    for name, text in PAGES.items():
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        ids[workspace.documents.import_file(case_id, path).id] = name
    return case_id, ids


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1000000", {"words_fr", "figures_fr"}),
        ("1 000 000", {"words_fr", "figures_fr"}),
        ("un million", {"words_fr", "figures_fr"}),
        ("un million d’euros", {"words_fr", "figures_fr"}),
        ("1 000 000 €", {"words_fr", "figures_fr"}),
        ("2500000", {"decimal_fr", "figures_en"}),
        ("2,5 millions euros", {"decimal_fr"}),
        ("10000 dollars", {"words_en"}),
        ("ten thousand", {"words_en"}),
        ("$2,500,000", {"figures_en"}),
        ("3000000000", {"billion_en"}),
        ("euros", {"words_fr", "figures_fr", "decimal_fr"}),
    ],
)
def test_amounts_find_each_other(
    workspace: Workspace, case: tuple[str, dict[str, str]], typed: str, expected: set[str]
) -> None:
    case_id, names = case
    hits = workspace.search.query(typed, case=case_id)
    assert {names[h.doc_id] for h in hits if h.doc_id} == expected, typed


def test_a_quoted_amount_stays_as_written(
    workspace: Workspace, case: tuple[str, dict[str, str]]
) -> None:
    case_id, names = case
    hits = workspace.search.query('"un million"', case=case_id)
    assert {names[h.doc_id] for h in hits if h.doc_id} == {"words_fr"}


@pytest.mark.parametrize(
    ("typed", "page", "marked"),
    [
        ("euros", "figures_fr", ["€"]),
        ("dollars", "figures_en", ["$"]),
        ("1000000", "words_fr", ["un million"]),
        ("un million", "figures_fr", ["1 000 000"]),
        ("2500000", "decimal_fr", ["2,5 millions"]),
        ("1 000 000 €", "figures_fr", ["1 000 000", "€"]),
    ],
)
def test_snippets_mark_the_amount_as_the_page_writes_it(
    workspace: Workspace,
    case: tuple[str, dict[str, str]],
    typed: str,
    page: str,
    marked: list[str],
) -> None:
    case_id, names = case
    hit = next(h for h in workspace.search.query(typed, case=case_id) if names[h.doc_id] == page)
    assert [hit.snippet[start:end] for start, end in hit.highlights] == marked
