"""What a reporter types finds what the page says, however either is written: compounds with
or without their hyphen, grouped numbers, dates in any common form, names with initials and
particles, in French and in English (real vault, real imports)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from dossier.services.workspace import Workspace
from tests.searchpages import import_texts, searched_vault

PAGES = {
    "hyphen": "Le préfet de la Haute-Garonne a reçu un e-mail sur la vidéo-surveillance.",
    "joined": "En Haute Garonne, la vidéosurveillance fait l'objet d'un email du cabinet.",
    "date-fr": "Le contrat a été signé le 20 novembre 2023 pour 1 000 000 euros.",
    "date-num": "Signed on 20/11/2023: the invoice totals 1000000 dollars.",
    "date-iso": "Export daté 2023-11-20, montant 1.000.000 selon le tableur.",
    "date-en": "The minister wrote on November 20, 2023 to the prefect.",
    "date-ordinal": "The hearing of November 20th, 2023 was postponed.",
    "date-us": "Invoice dated 11/20/2023 from the contractor.",
    "date-dash": "Procès-verbal du 20-11-2023, signé par le maire.",
    "date-other": "Réunion du 21 novembre 2023 à la mairie.",
    "name-full": "Patrick Léonard, commissaire divisionnaire, a répondu à nos questions.",
    "name-particle": "Dominique de Villepin a été entendu par la commission.",
    "name-bare": "Selon Villepin, la décision était prise depuis longtemps.",
    "name-surname": "Le rapport Léonard a été remis au ministre.",
    "name-other": "Marie Léonard, sa sœur, n'a pas répondu.",
    "name-initial": "Selon P. Léonard, l'enquête avance.",
    "name-apart": "Paul a lu le rapport. Léonard, lui, ne l'a pas lu.",
    "synonym": "Le cabinet a transmis un courriel au préfet.",
    "promenade": "Le mail de la ville est fermé pour travaux.",
    "particles": "Le juge Van der Meer a ouvert une enquête.",
}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    yield from searched_vault(tmp_path_factory, "variants")


@pytest.fixture(scope="module")
def case(workspace: Workspace, tmp_path_factory: pytest.TempPathFactory) -> str:
    case_id = workspace.cases.create("Variantes").id
    import_texts(workspace, case_id, tmp_path_factory.mktemp("pages"), PAGES)
    return case_id


def _found(workspace: Workspace, case: str, typed: str) -> set[str]:
    return {hit.title for hit in workspace.search.query(typed, case=case, limit=50)}


def _marked(workspace: Workspace, case: str, typed: str) -> dict[str, list[str]]:
    """What each hit's snippet marks, by page: marked words apart by a space or a sign only
    ("20 novembre 2023", "e-mail") are read as one."""
    marked = {}
    for hit in workspace.search.query(typed, case=case, limit=50):
        runs: list[list[int]] = []
        for start, end in hit.highlights:
            if runs and re.fullmatch(r"[\s\-/.,]+", hit.snippet[runs[-1][1] : start]):
                runs[-1][1] = end
            else:
                runs.append([start, end])
        marked[hit.title] = [hit.snippet[start:end] for start, end in runs]
    return marked


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Haute-Garonne", {"hyphen", "joined"}),
        ("Haute Garonne", {"hyphen", "joined"}),
        ("e-mail", {"hyphen", "joined", "synonym"}),
        ("email", {"hyphen", "joined", "synonym"}),
        ("emails", {"hyphen", "joined", "synonym"}),
        ("courriel", {"hyphen", "joined", "synonym"}),
        ("courriels", {"hyphen", "joined", "synonym"}),
        ("vidéo-surveillance", {"hyphen", "joined"}),
        ("vidéo surveillance", {"hyphen", "joined"}),  # two words typed: joined too
        ("vidéosurveillance", {"hyphen", "joined"}),
        ("videosurveillance", {"hyphen", "joined"}),
    ],
)
def test_compounds_with_or_without_hyphen(
    workspace: Workspace, case: str, typed: str, expected: set[str]
) -> None:
    assert _found(workspace, case, typed) == expected


DATED = {"date-fr", "date-num", "date-iso", "date-en", "date-ordinal", "date-us", "date-dash"}


@pytest.mark.parametrize(
    "typed",
    [
        "20 novembre 2023",
        "20/11/2023",
        "2023-11-20",
        "November 20, 2023",
        "20 Nov. 2023",
        "20th November 2023",
        "Nov 20th, 2023",
        "11/20/2023",
        "20-11-2023",
        "20.11.2023",
        "2023/11/20",
    ],
)
def test_a_date_written_any_way_finds_every_way(
    workspace: Workspace, case: str, typed: str
) -> None:
    assert _found(workspace, case, typed) == DATED


@pytest.mark.parametrize("typed", ["1 000 000", "1000000", "1.000.000"])
def test_grouped_numbers(workspace: Workspace, case: str, typed: str) -> None:
    assert _found(workspace, case, typed) == {"date-fr", "date-num", "date-iso"}


LEONARD = {"name-full", "name-surname", "name-other", "name-initial", "name-apart"}


def test_names_with_initials_accents_and_particles(workspace: Workspace, case: str) -> None:
    assert _found(workspace, case, "P. Léonard") == LEONARD
    assert _found(workspace, case, "Leonard") == LEONARD
    assert _found(workspace, case, "Léonard") == LEONARD
    # A first name finds its initial too ("P. Léonard" may be him), not another first name.
    assert _found(workspace, case, "Patrick Leonard") == {"name-full", "name-initial"}
    assert _found(workspace, case, "Pierre Léonard") == {"name-initial"}
    assert _found(workspace, case, "Marie Léonard") == {"name-other"}
    assert _found(workspace, case, "Villepin") == {"name-particle", "name-bare"}
    assert _found(workspace, case, "de Villepin") == {"name-particle", "name-bare"}
    assert _found(workspace, case, "D. de Villepin") == {"name-particle", "name-bare"}
    assert _found(workspace, case, "Dominique de Villepin") == {"name-particle"}
    assert _found(workspace, case, "Dominique Villepin") == {"name-particle"}
    assert _found(workspace, case, '"de Villepin"') == {"name-particle"}
    assert _found(workspace, case, "van der Meer") == {"particles"}
    assert _found(workspace, case, "Meer") == {"particles"}


def test_a_lower_case_de_is_still_a_word_to_find(workspace: Workspace, case: str) -> None:
    # Only a particle before a capitalised name is dropped: "de la ville" needs its "de".
    assert _found(workspace, case, "mail de la ville") == {"promenade"}
    assert _found(workspace, case, "de villepin") == {"name-particle"}


def test_an_initial_marks_the_first_name_it_stands_for(workspace: Workspace, case: str) -> None:
    marked = _marked(workspace, case, "P. Léonard")
    assert marked["name-full"] == ["Patrick Léonard"]
    assert marked["name-other"] == ["Léonard"]  # "Marie" is no P.
    assert marked["name-surname"] == ["Léonard"]  # "rapport": no capital, no first name
    assert marked["name-initial"] == ["P. Léonard"]
    assert _marked(workspace, case, "Pierre Léonard") == {"name-initial": ["P. Léonard"]}


def test_an_initial_ranks_the_names_it_fits_first(workspace: Workspace, case: str) -> None:
    ranked = [hit.title for hit in workspace.search.query("P. Léonard", case=case)]
    assert set(ranked[:2]) == {"name-full", "name-initial"}
    assert set(ranked[2:]) == {"name-surname", "name-other", "name-apart"}
    # Particles between the first name and the name, typed or not, keep the initial's rank.
    for typed in ("D. de Villepin", "D. Villepin"):
        hits = workspace.search.query(typed, case=case)
        assert [hit.title for hit in hits] == ["name-particle", "name-bare"]
        assert any(part.what == "phrase" for part in hits[0].parts)
    ranked = [hit.title for hit in workspace.search.query("J. van der Meer", case=case)]
    assert ranked == ["particles"]
    # Without the initial, no first name is preferred.
    plain = workspace.search.query("Léonard", case=case)
    assert not any(part.what == "phrase" for hit in plain for part in hit.parts)


def test_joined_words_do_not_find_their_parts_alone(workspace: Workspace, case: str) -> None:
    # "mail" (a French promenade) is no e-mail; "courriel" is, ranked below what was typed.
    for typed in ("e-mail", "email", "courriel"):
        assert "promenade" not in _found(workspace, case, typed)
    ranked = [hit.title for hit in workspace.search.query("email", case=case)]
    assert ranked.index("synonym") > max(ranked.index("hyphen"), ranked.index("joined"))
    ranked = [hit.title for hit in workspace.search.query("courriel", case=case)]
    assert ranked[0] == "synonym"
    assert _found(workspace, case, "Haute") == {"hyphen", "joined"}
    assert _found(workspace, case, "Garonne Haute-Savoie") == set()


@pytest.mark.parametrize(
    ("typed", "page", "words"),
    [
        ("email", "hyphen", ["e-mail"]),
        ("courriel", "hyphen", ["e-mail"]),
        ("email", "synonym", ["courriel"]),
        ("e-mail", "joined", ["email"]),
        ("Haute-Garonne", "joined", ["Haute Garonne"]),
        ("vidéosurveillance", "hyphen", ["vidéo-surveillance"]),
        ("vidéo-surveillance", "joined", ["vidéosurveillance"]),
        ("20/11/2023", "date-fr", ["20 novembre 2023"]),
        ("20 novembre 2023", "date-num", ["20/11/2023"]),
        ("20 novembre 2023", "date-iso", ["2023-11-20"]),
        ("2023-11-20", "date-en", ["November 20, 2023"]),
        ("20/11/2023", "date-ordinal", ["November 20th, 2023"]),
        ("20 novembre 2023", "date-us", ["11/20/2023"]),
        ("1000000", "date-fr", ["1 000 000"]),
        ("1 000 000", "date-iso", ["1.000.000"]),
        ("un million", "date-num", ["1000000"]),
    ],
)
def test_snippets_mark_the_variant_the_page_holds(
    workspace: Workspace, case: str, typed: str, page: str, words: list[str]
) -> None:
    assert _marked(workspace, case, typed)[page] == words


def test_quoted_text_keeps_its_exact_meaning(workspace: Workspace, case: str) -> None:
    # A phrase in quotes is not rewritten: it finds the words as written, in order.
    assert _found(workspace, case, '"Haute Garonne"') == {"hyphen", "joined"}
    assert _found(workspace, case, '"20 novembre 2023"') == {"date-fr"}


@pytest.mark.parametrize(
    ("typed", "page", "terms"),
    [
        ("email", "hyphen", ("e-mail",)),
        ("20/11/2023", "date-fr", ("20 novembre 2023",)),
        ("2023-11-20", "date-en", ("November 20, 2023",)),
        ("1000000", "date-iso", ("1.000.000",)),
        ("P. Léonard", "name-full", ("Patrick Léonard",)),
    ],
)
def test_a_variant_of_several_words_is_one_term_for_the_viewer(
    workspace: Workspace, case: str, typed: str, page: str, terms: tuple[str, ...]
) -> None:
    # The viewer marks a hit's terms on the page: "2023" alone would mark every year there.
    hits = {hit.title: hit for hit in workspace.search.query(typed, case=case)}
    assert hits[page].terms == terms
