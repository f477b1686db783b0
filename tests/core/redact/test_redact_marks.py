"""From rules to boxes: one box a line, shrunk across the line, clear of other lines' words."""

from __future__ import annotations

import re
from pathlib import Path

from dossier.pdf.extract import extract_pdf
from dossier.redact.marks import PatternRule, RectRule, Rules, TermRule, plan_document, plan_page
from dossier.text.model import PageText, Word
from tests.pdfgen import text_page, write_pdf


def _page(text: str, boxes: list[tuple[float, float, float, float]], rotation: int = 0) -> PageText:
    """A page whose words are the runs of non-space characters of `text`, one box each."""
    words: list[Word] = []
    line = 0
    position = 0
    for match, box in zip(re.finditer(r"\S+", text), boxes, strict=True):
        if "\n" in text[position : match.start()]:
            line += 1
        words.append(Word(*box, start=match.start(), end=match.end(), line=line))
        position = match.end()
    return PageText(index=0, text=text, words=words, rotation=rotation, width=600, height=800)


def test_a_term_split_over_two_lines_gets_one_box_per_line() -> None:
    page = _page(
        "le témoin Du-\npont parle",
        [
            (10, 100, 20, 112),
            (22, 100, 60, 112),
            (62, 100, 80, 112),
            (10, 112, 40, 124),
            (42, 112, 70, 124),
        ],
    )
    plan = plan_page(page, Rules(terms=(TermRule("m", "term", "Dupont"),)))
    assert len(plan.hits) == 1
    first, second = plan.hits[0].rects
    assert (first[0], first[2]) == (62, 80) and (second[0], second[2]) == (10, 40)
    # A quarter of the line height is taken off, and the boxes of two lines do not touch.
    assert first[3] - first[1] == 9.0
    assert first[3] <= second[1]


def test_boxes_stay_clear_of_overlapping_neighbour_lines() -> None:
    # Tight leading: each word box overlaps the next line's by 4 points.
    page = _page(
        "haut\nNOM\nbas",
        [(10, 100, 40, 116), (10, 112, 40, 128), (10, 124, 40, 140)],
    )
    (hit,) = plan_page(page, Rules(terms=(TermRule("m", "term", "nom"),))).hits
    (box,) = hit.rects
    assert box[1] >= 116 and box[3] <= 124


def test_sideways_text_is_shrunk_across_its_line() -> None:
    # On a page turned by 90 degrees the words of a line run down the unrotated page.
    page = _page(
        "Le témoin Dupont",
        [(50, 700, 62, 740), (50, 650, 62, 695), (50, 600, 62, 645)],
        rotation=90,
    )
    (hit,) = plan_page(page, Rules(terms=(TermRule("m", "term", "Dupont"),))).hits
    (box,) = hit.rects
    assert (box[1], box[3]) == (600, 645)  # full length along the line
    assert box[2] - box[0] == 9.0  # a quarter of the 12-point line height taken off


def test_patterns_and_drawn_rectangles(tmp_path: Path) -> None:
    source = write_pdf(
        tmp_path / "p.pdf",
        [text_page("Écrire à jean.dupont@exemple.fr ou au 06 12 34 56 78 avant lundi.")],
    )
    pages = extract_pdf(source, ocr=False).pages
    rules = Rules(
        patterns=(PatternRule("e", "email"), PatternRule("p", "phone")),
        rects=(RectRule("r", 0, ((10, 10, 50, 50),)), RectRule("other", 3, ((1, 1, 2, 2),))),
    )
    plans = plan_document(pages, rules)
    kinds = sorted(hit.kind for hit in plans[0].hits)
    assert kinds == ["pattern", "pattern", "rect"]
    phone = next(h for h in plans[0].hits if h.mark_id == "p")
    assert pages[0].text[phone.start : phone.end] == "06 12 34 56 78"
    assert set(plans) == {0}
