"""Quotes at the margins: a sentence whose names or numbers were replaced by others is another
sentence (not found, its closest passage given for information); an added adverb, a changed
verb or a dropped word is a misquote (altered); a quote across a page break gets two spans,
whatever its verdict."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.anchor import anchor_in_documents, anchor_quote
from dossier.anchor.model import NOT_FOUND
from dossier.pdf.extract import extract_pdf
from dossier.text.model import PageText
from tests.pdfgen import FRENCH_PARAGRAPHS, text_page, write_pdf

SOURCE = (
    "Le préfet Patrick Léonard a signé quatorze arrêtés en 2023 pour la commune de Toulouse, "
    "malgré l’avis défavorable de la commission départementale des sites."
)
QUOTED = (
    "Le préfet Patrick Léonard a signé quatorze arrêtés en 2023 pour la commune de Toulouse, "
    "malgré l’avis défavorable de la commission."
)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[PageText]:
    folder = tmp_path_factory.mktemp("margins")
    pdf = write_pdf(folder / "arretes.pdf", [text_page(FRENCH_PARAGRAPHS[0], SOURCE)])
    return extract_pdf(pdf, ocr=False).pages


@pytest.mark.parametrize(
    "published",
    [
        QUOTED.replace("Patrick Léonard", "Jean Dupont"),
        QUOTED.replace("Toulouse", "Bordeaux"),
        QUOTED.replace("2023", "2021"),
        QUOTED.replace("Léonard", "Martin"),
        QUOTED.replace("commission", "préfecture"),
        QUOTED.replace("arrêtés", "marchés"),
    ],
    ids=["name", "place", "year", "surname", "noun", "plural-noun"],
)
def test_names_or_numbers_replaced_make_another_sentence(
    pages: list[PageText], published: str
) -> None:
    result = anchor_quote(published, pages)
    assert result.verdict == "not_found" and not result.found
    assert result.spans == ()
    # The closest passage is offered for information, labelled as such in the JSON.
    assert result.closest and result.closest[0].page_index == 0
    assert "closest_passage_for_information" in result.to_json()
    # A word replaced at the quote's end shows as a word the source does not have.
    assert any(op.op in ("replace", "insert") for op in result.diff)


@pytest.mark.parametrize(
    "published",
    [
        QUOTED.replace("a signé", "a discrètement signé"),
        QUOTED.replace("a signé", "a paraphé"),
        QUOTED.replace("défavorable ", ""),
        QUOTED.replace("Léonard", "Léonart"),  # a typo in a name is still this sentence
    ],
    ids=["adverb", "verb", "dropped", "typo"],
)
def test_edits_of_other_words_stay_misquotes(pages: list[PageText], published: str) -> None:
    result = anchor_quote(published, pages)
    assert result.verdict == "altered"
    assert result.spans and result.spans[0].page_index == 0
    assert result.closest == ()


FIRST = "Les agents ont installé les caméras dans le hall de la gare principale"
SECOND = "avant même que la commission ait rendu son avis sur le projet."


@pytest.mark.parametrize(
    ("published", "verdict"),
    [
        (f"{FIRST} {SECOND}", "verbatim"),
        (f"{FIRST} {SECOND}".replace("ont installé", "ont discrètement installé"), "altered"),
        (f"{FIRST} {SECOND}".replace("avant même que", "avant que"), "altered"),
        (f"{FIRST} {SECOND}".replace("dans le hall de la gare principale", "[…]"), "trimmed"),
        (f"{FIRST} {SECOND}".replace("gare principale", "gare centrale"), "altered"),
    ],
    ids=["verbatim", "adverb", "dropped", "trimmed", "adjective"],
)
def test_a_quote_across_a_page_break_is_two_spans(
    tmp_path: Path, published: str, verdict: str
) -> None:
    pdf = write_pdf(
        tmp_path / "two.pdf", [text_page(FRENCH_PARAGRAPHS[1], FIRST), text_page(SECOND)]
    )
    result = anchor_quote(published, extract_pdf(pdf, ocr=False).pages)
    assert result.verdict == verdict
    assert [span.page_index for span in result.spans] == [0, 1]
    assert result.spans[0].text.startswith("Les agents") and result.spans[1].text.startswith(
        "avant"
    )


def test_another_sentence_across_a_page_break_offers_both_halves(tmp_path: Path) -> None:
    pdf = write_pdf(
        tmp_path / "two.pdf", [text_page(FRENCH_PARAGRAPHS[1], FIRST), text_page(SECOND)]
    )
    published = f"{FIRST} {SECOND}".replace("la commission", "la préfecture")
    result = anchor_quote(published, extract_pdf(pdf, ocr=False).pages)
    assert result.verdict == "not_found" and result.spans == ()
    assert [span.page_index for span in result.closest] == [0, 1]


def test_across_documents_the_closest_passage_comes_with_its_document(
    pages: list[PageText], tmp_path: Path
) -> None:
    other = write_pdf(tmp_path / "other.pdf", [text_page(FRENCH_PARAGRAPHS[2])])
    docs = {"other": extract_pdf(other, ocr=False).pages, "arretes": pages}
    result = anchor_in_documents(QUOTED.replace("Toulouse", "Bordeaux"), docs)
    assert result.verdict == "not_found" and result.spans == ()
    assert result.doc_id == "arretes" and result.closest[0].doc_id == "arretes"
    absent = anchor_in_documents("Le ministre a promis une enquête complète sur les contrats", docs)
    assert absent == NOT_FOUND
