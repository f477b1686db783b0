"""Re-anchoring after re-extraction or replacement; selections; quoted passages; span JSON."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from dossier.anchor import (
    Span,
    anchor_quote,
    extract_quoted_passages,
    reanchor,
    reanchor_many,
    span_for_selection,
)
from dossier.errors import CorruptData, UsageError
from dossier.pdf.extract import extract_pdf
from dossier.text.model import PageText
from tests.pdfgen import ENGLISH_PARAGRAPHS, FRENCH_PARAGRAPHS, text_page, write_pdf

QUOTE = "la présidente a refusé de répondre et a renvoyé les journalistes"


def extract(tmp_path: Path, name: str, *pages: list[str]) -> list[PageText]:
    path = write_pdf(tmp_path / name, [text_page(*paragraphs) for paragraphs in pages])
    return extract_pdf(path, ocr=False).pages


@pytest.fixture
def original(tmp_path: Path) -> list[PageText]:
    return extract(tmp_path, "v1.pdf", list(FRENCH_PARAGRAPHS[:3]), list(ENGLISH_PARAGRAPHS[:2]))


def stored_spans(pages: list[PageText], quote: str = QUOTE) -> list[Span]:
    result = anchor_quote(quote, pages)
    assert result.found
    return list(result.spans)


def test_unchanged_after_re_extraction(tmp_path: Path, original: list[PageText]) -> None:
    stored = stored_spans(original)
    again = extract(tmp_path, "v1b.pdf", list(FRENCH_PARAGRAPHS[:3]), list(ENGLISH_PARAGRAPHS[:2]))
    outcome = reanchor(stored, QUOTE, again)
    assert outcome.status == "unchanged" and not outcome.needs_review
    assert [(s.page_index, s.start, s.end) for s in outcome.result.spans] == [
        (s.page_index, s.start, s.end) for s in stored
    ]


def test_moved_when_text_shifts(tmp_path: Path, original: list[PageText]) -> None:
    stored = stored_spans(original)
    shifted = extract(
        tmp_path,
        "v2.pdf",
        [ENGLISH_PARAGRAPHS[3]],
        list(FRENCH_PARAGRAPHS[:3]),
        list(ENGLISH_PARAGRAPHS[:2]),
    )
    outcome = reanchor(stored, QUOTE, shifted)
    assert outcome.status == "moved"
    assert outcome.moved_spans == (0,)
    assert outcome.result.spans[0].page_index == 1
    assert outcome.result.verdict == "verbatim"


def test_degraded_when_the_source_wording_changed(tmp_path: Path, original: list[PageText]) -> None:
    stored = stored_spans(original)
    edited = FRENCH_PARAGRAPHS[1].replace("refusé de répondre", "refusé net de répondre")
    changed = extract(tmp_path, "v3.pdf", [FRENCH_PARAGRAPHS[0], edited, FRENCH_PARAGRAPHS[2]])
    outcome = reanchor(stored, QUOTE, changed)
    assert outcome.status == "degraded"
    assert outcome.result.verdict == "altered"


def test_lost_when_the_passage_is_gone(tmp_path: Path, original: list[PageText]) -> None:
    stored = stored_spans(original)
    other = extract(tmp_path, "v4.pdf", list(ENGLISH_PARAGRAPHS))
    outcome = reanchor(stored, QUOTE, other)
    assert outcome.status == "lost"
    assert outcome.result.verdict == "not_found"
    assert outcome.to_json()["status"] == "lost"


def test_context_and_position_pick_the_right_occurrence(tmp_path: Path) -> None:
    repeated = "malgré l’opposition de trois élus"
    pages = extract(
        tmp_path, "r1.pdf", [FRENCH_PARAGRAPHS[0]], [FRENCH_PARAGRAPHS[1]], [FRENCH_PARAGRAPHS[0]]
    )
    first = anchor_quote(repeated, pages)
    assert first.spans[0].page_index == 0
    # The journalist meant the third page: a span built from a selection there.
    text = pages[2].text
    start = text.index("malgré")
    chosen = span_for_selection(pages[2], start, start + len(repeated))
    outcome = reanchor([chosen], repeated, [replace(p) for p in pages])
    assert outcome.status == "unchanged"
    assert outcome.result.spans[0].page_index == 2


def test_reanchor_many_shares_the_index(tmp_path: Path, original: list[PageText]) -> None:
    other_quote = "An internal memo seen by this newspaper"
    quotes = [
        (QUOTE, stored_spans(original)),
        ("The county council approved", stored_spans(original, "The county council approved")),
    ]
    outcomes = reanchor_many(quotes, original)
    assert [o.status for o in outcomes] == ["unchanged", "unchanged"]
    assert reanchor([], other_quote, original).status == "lost"


def test_span_for_selection(original: list[PageText]) -> None:
    page = original[0]
    start = page.text.index("subvention")
    span = span_for_selection(page, start, start + len("subvention exceptionnelle"))
    assert span.text == "subvention exceptionnelle"
    assert span.prefix == page.text[start - 32 : start]
    assert len(span.rects) == 1
    word = next(w for w in page.words if w.start == start)
    assert span.rects[0][0] == pytest.approx(word.x0)
    partial = span_for_selection(page, start + 3, start + 7)  # "vent" inside a word: box is cut
    assert word.x0 < partial.rects[0][0] < partial.rects[0][2] < word.x1
    with pytest.raises(UsageError):
        span_for_selection(page, 10, 5)
    with pytest.raises(UsageError):
        span_for_selection(page, 0, len(page.text) + 1)


def test_span_json_round_trip(original: list[PageText]) -> None:
    span = stored_spans(original)[0]
    again = Span.from_json(span.to_json())
    assert (again.page_index, again.start, again.end, again.text) == (
        span.page_index,
        span.start,
        span.end,
        span.text,
    )
    assert len(again.rects) == len(span.rects)
    with pytest.raises(CorruptData):
        Span.from_json({"page_index": 0, "start": "x"})


def test_extract_quoted_passages() -> None:
    article = (
        "Le maire a déclaré : « Nous n’avons jamais dit “jamais”, c’est faux. » Puis il est "
        'parti. L’adjoint a ajouté "ce dossier est clos" et le préfet, lui, parle d’un '
        "“malentendu regrettable”. Aujourd’hui l’opposition s’interroge.\n\n"
        "« Premier paragraphe d’une longue citation,\n"
        "« qui continue ici. »"
    )
    assert extract_quoted_passages(article) == [
        "Nous n’avons jamais dit “jamais”, c’est faux.",
        "ce dossier est clos",
        "malentendu regrettable",
        "Premier paragraphe d’une longue citation, qui continue ici.",
    ]
    assert extract_quoted_passages(article, min_words=3) == [
        "Nous n’avons jamais dit “jamais”, c’est faux.",
        "ce dossier est clos",
        "Premier paragraphe d’une longue citation, qui continue ici.",
    ]
    assert extract_quoted_passages("Une phrase sans citation, l’air de rien.") == []
    assert extract_quoted_passages("« jamais fermé") == []
