"""Anchoring in the real PDFs of shared/corpus/pdfs (skipped when the corpus is absent)."""

from __future__ import annotations

from functools import cache

import pymupdf
import pytest

from dossier.anchor import anchor_quote
from dossier.pdf.extract import extract_pdf
from dossier.text.model import PageText
from tests.paths import CORPUS

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")


@cache
def pages(name: str) -> list[PageText]:
    return extract_pdf(CORPUS / name, ocr=False).pages


def test_soft_hyphens_ferrario() -> None:
    result = anchor_quote(
        "a total of more than 1,400 pages thoroughly annotated in more than 3,500 footnotes",
        pages("ferrario_review_soft_hyphens.pdf"),
    )
    assert result.verdict == "verbatim"
    (span,) = result.spans
    assert span.page_index == 1 and "\u00ad" in span.text
    assert len(span.rects) == 2  # one per line


def test_ligatures_and_hyphenation_mdpi() -> None:
    doc = pages("mdpi_curroncol_ki67_ccby.pdf")
    result = anchor_quote(
        "Ki67, a marker of cellular proliferation, is commonly assessed in surgical pathology "
        "laboratories using immunohistochemistry (IHC).",
        doc,
    )
    assert (result.verdict, result.spans[0].page_index) == ("verbatim", 1)
    ligature = anchor_quote("signiﬁcant", doc)  # a ligature code point in the published text
    assert ligature.verdict == "verbatim"


def test_sentence_wrapping_inside_a_column_irs() -> None:
    name = "irs_i1040nr_2007_instructions_3col.pdf"
    quote = (
        "You may be able to use Form 1040NR-EZ if your only income from U.S. sources is wages, "
        "salaries, tips, taxable refunds of state and local income taxes"
    )
    result = anchor_quote(quote, pages(name))
    assert result.verdict == "verbatim"
    (span,) = result.spans
    assert span.page_index == 1 and len(span.rects) == 5
    column = (min(r[0] for r in span.rects), max(r[2] for r in span.rects))
    assert column[1] - column[0] < 200  # stays in one of three columns
    with pymupdf.open(CORPUS / name) as doc:
        assert doc[1].search_for(quote) == []  # what the naive search misses


def test_double_single_quotes_federal_register() -> None:
    result = anchor_quote(
        "An airplane’s nose-up or nose-down attitude is known as its “pitch attitude.”",
        pages("federal_register_2020-17221_3col.pdf"),
    )
    assert result.verdict == "normalized"  # the source writes ‘‘pitch attitude.’’
    assert result.spans[0].text.endswith("’’")


@pytest.mark.parametrize(
    ("name", "quote"),
    [
        (
            "zen_of_python_corrupted_rotated.pdf",
            "Special cases aren't special enough to break the rules.",
        ),
        ("senate_expenditures_rotated.pdf", "SEN HAWLEY WASHINGTON DC TO SPRINGFIELD MO"),
    ],
)
def test_rotated_pages(name: str, quote: str) -> None:
    doc = pages(name)
    result = anchor_quote(quote, doc)
    assert result.verdict in ("verbatim", "normalized")
    page = doc[result.spans[0].page_index]
    assert page.rotation == 90
    for rect in result.spans[0].rects:
        assert rect[3] - rect[1] > rect[2] - rect[0]  # vertical in unrotated coordinates


def test_ocr_layer_linnsequencer() -> None:
    result = anchor_quote(
        "It is extremely powerful, yet amazingly simple to learn and use.",
        pages("linnsequencer_scan_ocr_layer_2col.pdf"),
    )
    assert result.verdict == "verbatim"
    noisy = anchor_quote(
        "The LinnSequencer is a state-of-the-art composition and performance tool",
        pages("linnsequencer_scan_ocr_layer_2col.pdf"),
    )
    assert noisy.verdict == "normalized"  # the OCR read "state—of—the-art"


def test_french_minutes_across_a_page_break_sainte_adele() -> None:
    doc = pages("sainte_adele_proces_verbal_2023_fr.pdf")
    quote = (
        "ATTENDU QU’aucune opposition n’a été reçue à la suite de la publication de l’avis public "
        "de démolition le 7 juin 2023; ATTENDU l’avis du comité consultatif d’urbanisme"
    )
    result = anchor_quote(quote, doc)
    assert result.verdict == "verbatim"
    assert [s.page_index for s in result.spans] == [0, 1]
    amount = anchor_quote("de l’ordre de plus de 1 200 000 $", doc)
    assert amount.verdict == "verbatim"
    trimmed = anchor_quote(
        "« ATTENDU QUE le projet vise la préservation […] du bâtiment patrimonial »", doc
    )
    assert trimmed.verdict == "trimmed" and len(trimmed.spans) == 2


def test_french_apostrophes_and_absent_quote_chelsea() -> None:
    doc = pages("chelsea_plan_transport_actif_fr.pdf")
    absent = anchor_quote(
        "Le ministère de l'intérieur utiliserait illégalement un logiciel israélien de "
        "reconnaissance faciale depuis au moins six ans",
        doc,
    )
    assert absent.verdict == "not_found"
    text = next(p.text for p in doc if "’" in p.text)
    start = text.index("’")
    sentence = " ".join(text[max(0, start - 60) : start + 60].split()[1:-1])
    straight = anchor_quote(sentence.replace("’", "'"), doc)
    assert straight.verdict == "normalized"
