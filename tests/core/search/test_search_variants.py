"""What a reporter types finds what the page says, however either is written: compounds with
or without their hyphen, grouped numbers, dates in any common form, names with initials and
particles, in French and in English (real vault, real imports)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.services.workspace import Workspace

PAGES = {
    "hyphen": "Le préfet de la Haute-Garonne a reçu un e-mail sur la vidéo-surveillance.",
    "joined": "En Haute Garonne, la vidéosurveillance fait l'objet d'un email du cabinet.",
    "date-fr": "Le contrat a été signé le 20 novembre 2023 pour 1 000 000 euros.",
    "date-num": "Signed on 20/11/2023: the invoice totals 1000000 dollars.",
    "date-iso": "Export daté 2023-11-20, montant 1.000.000 selon le tableur.",
    "date-en": "The minister wrote on November 20, 2023 to the prefect.",
    "name-full": "Patrick Léonard, commissaire divisionnaire, a répondu à nos questions.",
    "name-particle": "Dominique de Villepin a été entendu par la commission.",
    "name-bare": "Selon Villepin, la décision était prise depuis longtemps.",
}


@pytest.fixture
def case(workspace: Workspace, tmp_path: Path) -> str:
    case_id = workspace.cases.create("Variantes").id
    folder = tmp_path / "pages"
    folder.mkdir()
    paths = []
    for name, text in PAGES.items():
        path = folder / f"{name}.txt"
        path.write_text(text + "\n", encoding="utf-8")
        paths.append(path)
    outcomes = workspace.documents.import_many(case_id, paths, ocr=False)
    assert all(o.document is not None for o in outcomes)
    return case_id


def _found(workspace: Workspace, case: str, typed: str) -> set[str]:
    return {hit.title for hit in workspace.search.query(typed, case=case, limit=50)}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Haute-Garonne", {"hyphen", "joined"}),
        ("Haute Garonne", {"hyphen", "joined"}),
        ("e-mail", {"hyphen", "joined"}),
        ("email", {"hyphen", "joined"}),
        ("vidéo-surveillance", {"hyphen", "joined"}),
        ("vidéosurveillance", {"hyphen", "joined"}),
        ("videosurveillance", {"hyphen", "joined"}),
    ],
)
def test_compounds_with_or_without_hyphen(
    workspace: Workspace, case: str, typed: str, expected: set[str]
) -> None:
    assert _found(workspace, case, typed) == expected


DATED = {"date-fr", "date-num", "date-iso", "date-en"}


@pytest.mark.parametrize(
    "typed",
    ["20 novembre 2023", "20/11/2023", "2023-11-20", "November 20, 2023", "20 Nov. 2023"],
)
def test_a_date_written_any_way_finds_every_way(
    workspace: Workspace, case: str, typed: str
) -> None:
    assert _found(workspace, case, typed) == DATED


@pytest.mark.parametrize("typed", ["1 000 000", "1000000", "1.000.000"])
def test_grouped_numbers(workspace: Workspace, case: str, typed: str) -> None:
    assert _found(workspace, case, typed) == {"date-fr", "date-num", "date-iso"}


def test_names_with_initials_accents_and_particles(workspace: Workspace, case: str) -> None:
    assert _found(workspace, case, "P. Léonard") == {"name-full"}
    assert _found(workspace, case, "Leonard") == {"name-full"}
    assert _found(workspace, case, "Patrick Leonard") == {"name-full"}
    assert _found(workspace, case, "Villepin") == {"name-particle", "name-bare"}
    assert "name-particle" in _found(workspace, case, "de Villepin")
    assert _found(workspace, case, '"de Villepin"') == {"name-particle"}
    assert _found(workspace, case, "D. de Villepin") >= {"name-particle"}


def test_quoted_text_keeps_its_exact_meaning(workspace: Workspace, case: str) -> None:
    # A phrase in quotes is not rewritten: it finds the words as written, in order.
    assert _found(workspace, case, '"Haute Garonne"') == {"hyphen", "joined"}
    assert _found(workspace, case, '"20 novembre 2023"') == {"date-fr"}
