"""Anchoring quotes in generated PDFs: every variant a quote goes through before print."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pymupdf
import pytest

from dossier.anchor import AnchorResult, anchor_in_documents, anchor_quote
from dossier.anchor.model import Rect
from dossier.errors import EnvironmentFailure
from dossier.pdf.extract import extract_pdf
from dossier.text.model import PageText
from tests.pdfgen import (
    ENGLISH_PARAGRAPHS,
    FRENCH_PARAGRAPHS,
    PageSpec,
    columns_page,
    scanned_page,
    text_page,
    write_pdf,
)

LONG = (
    "Selon un document interne consulté par notre rédaction, le chantier du collège avait "
    "déjà pris dix-huit mois de retard avant même le vote de l’assemblée départementale, et "
    "les entreprises retenues n’avaient toujours pas reçu le moindre acompte à la fin du mois."
)


def pages_of(
    tmp_path: Path, specs: Sequence[PageSpec | str], name: str = "doc.pdf"
) -> list[PageText]:
    return extract_pdf(write_pdf(tmp_path / name, specs), ocr=False).pages


def iou(a: Sequence[Rect], b: Sequence[Rect]) -> float:
    def area(r: Rect) -> float:
        return max(0.0, r[2] - r[0]) * max(0.0, r[3] - r[1])

    inter = sum(
        area((max(x[0], y[0]), max(x[1], y[1]), min(x[2], y[2]), min(x[3], y[3])))
        for x in a
        for y in b
    )
    return inter / (sum(map(area, a)) + sum(map(area, b)) - inter)


@pytest.fixture
def memo(tmp_path: Path) -> tuple[Path, list[PageText]]:
    path = write_pdf(tmp_path / "memo.pdf", [text_page(*FRENCH_PARAGRAPHS, *ENGLISH_PARAGRAPHS)])
    return path, extract_pdf(path, ocr=False).pages


def test_verbatim_quote_gives_span_rects_and_context(memo: tuple[Path, list[PageText]]) -> None:
    path, pages = memo
    quote = "la présidente a refusé de répondre et a renvoyé les journalistes"
    result = anchor_quote(quote, pages)
    assert result.verdict == "verbatim"
    assert result.score == 1.0
    (span,) = result.spans
    text = pages[0].text
    assert " ".join(span.text.split()) == quote
    assert text[span.start : span.end] == span.text
    assert span.prefix == text[span.start - 32 : span.start]
    assert span.suffix == text[span.end : span.end + 32]
    with pymupdf.open(path) as doc:
        truth = [tuple(r) for r in doc[0].search_for(quote)]
    assert len(span.rects) == len(truth) >= 1
    assert iou(span.rects, truth) > 0.8


def test_typographic_variants_are_normalized(memo: tuple[Path, list[PageText]]) -> None:
    _, pages = memo
    for quote in (
        "« Nous n'avons jamais caché ces difficultés »",  # straight apostrophe
        '"We never hid these difficulties," said the site manager',
        "le chantier avait déjà pris dix\u2011huit mois de retard",  # non-breaking hyphen
    ):
        result = anchor_quote(quote, pages)
        assert result.verdict == "normalized", quote
        assert len(result.spans) == 1
    # No-break and thin spaces are only spacing: still verbatim.
    assert anchor_quote("1\u202f200\u00a0000 euros pour la rénovation", pages).verdict == "verbatim"


def test_case_and_final_punctuation_are_normalized(memo: tuple[Path, list[PageText]]) -> None:
    _, pages = memo
    assert anchor_quote("LE CONSEIL DÉPARTEMENTAL A VOTÉ JEUDI SOIR", pages).verdict == "normalized"
    assert anchor_quote("qui n’a pas donné suite !", pages).verdict == "normalized"


def test_the_final_period_joins_the_span_when_the_quote_has_it(
    memo: tuple[Path, list[PageText]],
) -> None:
    _, pages = memo
    with_period = anchor_quote("malgré l’opposition de trois élus.", pages)
    without = anchor_quote("malgré l’opposition de trois élus", pages)
    assert with_period.verdict == without.verdict == "verbatim"
    assert with_period.spans[0].text.endswith("élus.")
    assert without.spans[0].text.endswith("élus")


@pytest.mark.parametrize("mark", ["...", "…", "[…]", "[...]"])
def test_marked_omissions_give_one_span_per_piece(
    memo: tuple[Path, list[PageText]], mark: str
) -> None:
    _, pages = memo
    quote = f"Interrogée sur l’origine des fonds, la présidente {mark} n’a pas donné suite."
    result = anchor_quote(quote, pages)
    assert result.verdict == "trimmed"
    first, second = result.spans
    assert first.end < second.start
    assert first.text.startswith("Interrogée") and second.text.endswith("suite.")
    ops = [op.op for op in result.diff]
    assert ops == ["equal", "delete", "equal"]
    assert "renvoyé les journalistes" in " ".join(result.diff[1].source.split())


def test_reworded_piece_of_a_trimmed_quote_is_altered(memo: tuple[Path, list[PageText]]) -> None:
    _, pages = memo
    quote = (
        "Interrogée sur l’origine des fonds, la présidente […] les journalistes vers le "
        "service de presse, qui n’a pas donné suite."
    )
    result = anchor_quote(quote, pages)
    assert result.verdict == "altered"
    assert len(result.spans) == 2 and result.spans[0].end < result.spans[1].start
    assert any(op.op == "replace" and op.published == "presse" for op in result.diff)
    absent = "Le ministre a promis […] une enquête complète sur les contrats de l’hôpital"
    assert anchor_quote(absent, pages).verdict == "not_found"


def test_pieces_must_come_in_order(memo: tuple[Path, list[PageText]]) -> None:
    _, pages = memo
    quote = "qui n’a pas donné suite […] Interrogée sur l’origine des fonds"
    assert anchor_quote(quote, pages).verdict != "trimmed"


def test_altered_quote_is_found_scored_and_diffed(memo: tuple[Path, list[PageText]]) -> None:
    _, pages = memo
    quote = "la présidente a catégoriquement refusé de répondre et a renvoyé les journalistes vers"
    result = anchor_quote(quote, pages)
    assert result.verdict == "altered"
    assert 0.7 <= result.score < 1.0
    inserted = [op for op in result.diff if op.op == "insert"]
    assert [op.published for op in inserted] == ["catégoriquement"]
    replaced = anchor_quote(
        "The county council approved a generous grant on Thursday evening", pages
    )
    assert replaced.verdict == "altered"
    changed = [(op.published, op.source) for op in replaced.diff if op.op != "equal"]
    assert changed == [("a generous", "an emergency")]


@pytest.mark.parametrize(
    "quote",
    [
        "The minister promised a full inquiry into the hospital contracts next spring",
        "the the council of the and to the of a by the in the on",
        "difficulties hid never We manager site the said insisted who",
        "Zorglub",
    ],
)
def test_absent_quotes_are_not_found(memo: tuple[Path, list[PageText]], quote: str) -> None:
    _, pages = memo
    result = anchor_quote(quote, pages)
    assert result.verdict == "not_found"
    assert result.spans == () and result.score == 0.0


def test_quote_across_a_page_break_with_header_and_footer(tmp_path: Path) -> None:
    words = LONG.split()
    head, tail = " ".join(words[:30]), " ".join(words[30:])
    header = "Rapport confidentiel — document de travail"
    pages = pages_of(
        tmp_path,
        [
            text_page(header, FRENCH_PARAGRAPHS[0], head, "Page 1"),
            text_page(header, tail, FRENCH_PARAGRAPHS[1], "Page 2"),
        ],
    )
    quote = " ".join(words[26:36])
    result = anchor_quote(quote, pages)
    assert result.verdict == "verbatim"
    assert [s.page_index for s in result.spans] == [0, 1]
    assert " ".join(" ".join(s.text for s in result.spans).split()) == quote
    assert all(s.rects for s in result.spans)


def test_unmarked_omission_at_a_page_break_is_not_verbatim(tmp_path: Path) -> None:
    words = LONG.split()
    header = "Rapport confidentiel — document de travail"
    pages = pages_of(
        tmp_path,
        [
            text_page(header, " ".join(words[:40]), "Page 1"),
            text_page(header, " ".join(words[40:]), "Page 2"),
        ],
    )
    body = pages[0].text.split("\n\n")[1].split("\n")
    assert len(body) >= 2
    # The quote runs from the last-but-one line of page 1 straight onto page 2.
    quote = " ".join(body[-2].split() + words[40:46])
    assert anchor_quote(quote, pages).verdict not in ("verbatim", "normalized")
    whole = " ".join(body[-2].split() + body[-1].split() + words[40:46])
    assert anchor_quote(whole, pages).verdict == "verbatim"


@pytest.mark.parametrize("row_by_row", [False, True])
def test_quote_across_a_column_break(tmp_path: Path, row_by_row: bool) -> None:
    words = LONG.split()
    head, tail = " ".join(words[:20]), " ".join(words[20:])
    pages = pages_of(
        tmp_path,
        [
            columns_page(
                [ENGLISH_PARAGRAPHS[0], head], [tail, ENGLISH_PARAGRAPHS[1]], row_by_row=row_by_row
            )
        ],
    )
    quote = " ".join(words[15:26])
    result = anchor_quote(quote, pages)
    assert result.verdict == "verbatim"
    rects = [r for s in result.spans for r in s.rects]
    middle = pages[0].width / 2
    assert any(r[2] < middle for r in rects) and any(r[0] > middle for r in rects)


def test_unmarked_omission_in_one_column_is_not_verbatim(tmp_path: Path) -> None:
    pages = pages_of(tmp_path, [text_page(LONG, ENGLISH_PARAGRAPHS[1])])
    text = (
        " ".join(pages[0].text.split("\n")[0].split())
        + " "
        + " ".join(pages[0].text.split("\n")[2].split())
    )
    result = anchor_quote(text, pages)
    assert result.verdict not in ("verbatim", "normalized")


@pytest.mark.parametrize("rotation", [90, 270])
def test_rotated_page(tmp_path: Path, rotation: int) -> None:
    pages = pages_of(tmp_path, [text_page(*FRENCH_PARAGRAPHS[:2], rotation=rotation)])
    result = anchor_quote("une subvention exceptionnelle de 1 200 000 euros", pages)
    assert result.verdict == "verbatim"
    page = pages[0]
    for x0, y0, x1, y1 in result.spans[0].rects:
        assert 0 <= x0 < x1 <= page.width + 1 and 0 <= y0 < y1 <= page.height + 1
        assert y1 - y0 > x1 - x0  # unrotated coordinates: the line runs down the page


def test_soft_hyphens_and_ligatures_in_the_source(tmp_path: Path) -> None:
    pages = pages_of(
        tmp_path,
        [text_page("Le ﬁnancement de l’adminis\u00ad\ntration a été conﬁrmé par le préfet.")],
    )
    result = anchor_quote("Le financement de l’administration a été confirmé", pages)
    assert result.verdict == "verbatim"
    assert anchor_quote("le financement de l'administration", pages).verdict == "normalized"


def test_first_occurrence_wins_and_documents_are_compared(tmp_path: Path) -> None:
    twice = pages_of(tmp_path, [text_page(FRENCH_PARAGRAPHS[0]), text_page(FRENCH_PARAGRAPHS[0])])
    result = anchor_quote("malgré l’opposition de trois élus", twice)
    assert [s.page_index for s in result.spans] == [0]
    other = pages_of(tmp_path, [text_page(ENGLISH_PARAGRAPHS[2])], name="other.pdf")
    best = anchor_in_documents("An internal memo seen by this newspaper", {"a": twice, "b": other})
    assert (best.verdict, best.doc_id) == ("verbatim", "b")
    assert best.spans[0].doc_id == "b"
    assert best.to_json()["spans"][0]["doc_id"] == "b"
    none = anchor_in_documents("nothing like this anywhere at all in them", {"a": twice})
    assert none.verdict == "not_found"


def test_result_json_shape(memo: tuple[Path, list[PageText]]) -> None:
    _, pages = memo
    data = anchor_quote("qui n’a pas donné suite", pages).to_json()
    assert set(data) == {"verdict", "score", "spans", "diff"}
    assert set(data["spans"][0]) == {
        "page_index",
        "start",
        "end",
        "text",
        "prefix",
        "suffix",
        "rects",
    }
    assert all(len(r) == 4 for r in data["spans"][0]["rects"])
    assert data["diff"] == [
        {"op": "equal", "published": "qui n’a pas donné suite", "source": "qui n’a pas donné suite"}
    ]


@pytest.mark.ocr
def test_scanned_page_read_by_ocr(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "scan.pdf", [scanned_page(ENGLISH_PARAGRAPHS[2])])
    try:
        pages = extract_pdf(path, ocr=True).pages
    except EnvironmentFailure:
        pytest.skip("Tesseract language data not installed")
    result: AnchorResult = anchor_quote(
        "the works were already eighteen months behind schedule", pages
    )
    assert result.verdict in ("verbatim", "normalized", "altered")
    assert result.spans and result.spans[0].rects
