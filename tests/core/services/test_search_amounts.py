"""Numbers and amounts written differently find each other in a real vault, French and English:
`un million`, `1 000 000`, `1000000`, `2,5 millions`; a scale abbreviated beside the currency
(`2,5 M€`, `40 k€`, `1,2 Md€`, `€3.5m`, `$1.2bn`); `€`, `EUR` and `euros`, `$`, `USD` and
`dollars`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dossier.services.workspace import Workspace
from tests.searchpages import import_texts, searched_vault

PAGES = {
    "words_fr": "La préfecture a payé un million d’euros pour le logiciel.",
    "figures_fr": "Le contrat de vidéosurveillance s’élève à 1 000 000 € selon le rapport.",
    "decimal_fr": "Le marché atteint 2,5 millions € hors taxes.",
    "words_en": "The city paid ten thousand dollars to the contractor.",
    "figures_en": "The council approved $2,500,000 for the cameras.",
    "billion_en": "A budget of 3 billion dollars was announced.",
    "code": "Montant total : 75 000 EUR hors taxes, réglé en deux fois.",
    "mega": "Un budget de 2,5 M€ est prévu pour le déploiement des caméras.",
    "kilo": "Une subvention de 40 k€ a été versée à l'association.",
    "giga": "Le plan de relance prévoit 1,2 Md€ sur cinq ans.",
    "mega_en": "The ministry paid €3.5m for the software licence.",
    "giga_en": "The vendor was valued at $1.2bn last year.",
    "usd": "The invoice totals 3,000 USD for the audit.",
    "europe": "La commission EUROPÉENNE et le Parlement européen ont voté.",
    "metres": "La clôture mesure 2,5 m de haut sur 40 k de long.",
}
EUROS = {"words_fr", "figures_fr", "decimal_fr", "code", "mega", "kilo", "giga", "mega_en"}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    yield from searched_vault(tmp_path_factory, "amounts")


@pytest.fixture(scope="module")
def case(
    workspace: Workspace, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, dict[str, str]]:
    case_id = workspace.cases.create("Montants").id
    ids = import_texts(workspace, case_id, tmp_path_factory.mktemp("pages"), PAGES)
    return case_id, ids


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1000000", {"words_fr", "figures_fr"}),
        ("1 000 000", {"words_fr", "figures_fr"}),
        ("un million", {"words_fr", "figures_fr"}),
        ("un million d’euros", {"words_fr", "figures_fr"}),
        ("1 000 000 €", {"words_fr", "figures_fr"}),
        ("2500000", {"decimal_fr", "figures_en", "mega"}),  # not 2,5 m of fence
        ("2,5 millions euros", {"decimal_fr", "mega"}),
        ("2,5 M€", {"decimal_fr", "mega"}),
        ("10000 dollars", {"words_en"}),
        ("ten thousand", {"words_en"}),
        ("$2,500,000", {"figures_en"}),
        ("3000000000", {"billion_en"}),
        ("euros", EUROS),
        ("€", EUROS),
        ("EUR", EUROS),  # not EUROPÉENNE
        ("dollars", {"words_en", "figures_en", "billion_en", "giga_en", "usd"}),
        ("75 000 €", {"code"}),
        ("75000 euros", {"code"}),
        ("40 000 €", {"kilo"}),
        ("40000", {"kilo"}),  # not 40 k of fence
        ("1,2 milliard d'euros", {"giga"}),
        ("1200000000", {"giga", "giga_en"}),
        ("3.5 million euros", {"mega_en"}),
        ("3 500 000 €", {"mega_en"}),
        ("1.2 billion dollars", {"giga_en"}),
        ("3000 dollars", {"usd"}),
        ("$3,000", {"usd"}),
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
        ("2500000 euros", "mega", ["2,5 M€"]),
        ("75 000 €", "code", ["75 000", "EUR"]),
        ("3.5 million euros", "mega_en", ["€3.5m"]),
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
