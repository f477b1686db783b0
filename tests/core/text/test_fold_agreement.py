"""Every part of Dossier that compares words folds them the same way, and draws a span the same.

A word written with a ligature, an "œ", an "ß", accents, a curly apostrophe or a soft hyphen,
typed plainly by the user, must be found alike by the search index, the viewer's highlights,
quote anchoring, redaction marks and people's names: a term the search finds but the redaction
misses would leak. Spans get their rectangles from one function, so a stored quote, an export
and the viewer agree, on rotated pages and on text set vertically too.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from dossier.anchor import anchor_quote, span_for_selection
from dossier.anchor.normalize import build_keys
from dossier.pdf.extract import extract_pdf
from dossier.redact.names import name_parts
from dossier.search.analysis import folded_words
from dossier.services.people.service import fold as person_key
from dossier.text.fold import contains_term, fold_char, fold_key
from dossier.text.highlight import term_rects, term_spans
from dossier.text.model import PageText, Word
from dossier.text.rects import span_rects

HARD = [
    # (as written in the source, as a user types it)
    ("ﬁnancement", "financement"),
    ("aﬀaire", "affaire"),
    ("œuvre", "oeuvre"),
    ("Cæsar", "caesar"),
    ("Straße", "strasse"),
    ("Élève", "eleve"),
    ("e\u0301le\u0300ve", "eleve"),  # accents as combining marks
    ("l’enquête", "enquete"),  # curly apostrophe: the word after it stands alone
    ("l'enquête", "enquete"),
    ("inter\u00adnational", "international"),  # a soft hyphen inside the word
    ("ÞÓRSDÓTTIR", "thorsdottir"),
]


@pytest.mark.parametrize(
    ("char", "folded"),
    [("ﬁ", "fi"), ("É", "e"), ("ß", "ss"), ("œ", "oe"), ("’", ""), ("\u00ad", ""), ("Ⅸ", "ix")],
)
def test_fold_char(char: str, folded: str) -> None:
    assert fold_char(char) == folded


def _line(text: str) -> PageText:
    """A one-line page whose words are the space-separated parts of `text`, 8 points a char."""
    words, at = [], 0
    for part in text.split(" "):
        words.append(Word(10 + 8 * at, 100, 10 + 8 * (at + len(part)), 112, at, at + len(part)))
        at += len(part) + 1
    return PageText(index=0, text=text, words=words, width=600, height=800)


@pytest.mark.parametrize(("written", "typed"), HARD)
def test_every_caller_finds_the_typed_word_in_the_written_one(written: str, typed: str) -> None:
    text = f"Le rapport cite {written} hier."
    page = _line(text)
    # The search index: the same term at index and query time.
    assert fold_key(typed) in folded_words(text)
    assert folded_words(typed) == [fold_key(typed)]
    # The viewer: highlights on the word map and in plain text.
    assert term_rects(page, [typed]) != []
    assert [text[a:b] for a, b in term_spans(text, [typed])] in ([written], [written[2:]])
    # Redaction marks and their self-check.
    assert contains_term(text, typed)
    assert contains_term(text, written)
    # Quote anchoring: the quote as typed is found where it was written.
    assert fold_key(typed) in build_keys(text).key
    result = anchor_quote(f"cite {written} hier", [page])
    assert result.verdict == "verbatim"
    # People's names.
    assert person_key(written.split("’")[-1].split("'")[-1]) == person_key(typed)


@pytest.mark.parametrize(
    ("written", "typed"), [(w, t) for w, t in HARD if not {"'", "’", "\u00ad"} & set(w)]
)
def test_a_name_written_two_ways_is_one_name_to_the_marks(written: str, typed: str) -> None:
    once = name_parts([f"Anne {typed}"])
    assert len(name_parts([f"Anne {written}", f"Anne {typed}"])) == len(once) == 3


def test_a_line_end_hyphen_joins_the_word_for_anchoring_and_redaction() -> None:
    text = "Le rapport inter-\nnational cite"
    assert "international" in build_keys(text).tokens()
    assert contains_term(text, "international")
    # The index keeps what is printed: two words (extraction does not dehyphenate).
    assert folded_words(text)[2:4] == ["inter", "national"]


def _pdf(path: Path, *, page_rotation: int = 0, text_rotation: int = 0) -> Path:
    doc = pymupdf.open()
    page = doc.new_page(width=400, height=500)
    # Text turned 90° runs up the page from its origin, 270° runs down.
    origin = {0: (40, 80), 90: (200, 460), 270: (200, 40)}[text_rotation]
    page.insert_text(origin, "Le conseil départemental a voté", fontsize=14, rotate=text_rotation)
    if page_rotation:
        page.set_rotation(page_rotation)
    doc.save(path)
    doc.close()
    return path


@pytest.mark.parametrize(
    ("page_rotation", "text_rotation"), [(0, 0), (90, 0), (270, 0), (0, 90), (0, 270)]
)
def test_the_viewer_and_the_stored_span_draw_the_same_rectangles(
    tmp_path: Path, page_rotation: int, text_rotation: int
) -> None:
    path = _pdf(tmp_path / "p.pdf", page_rotation=page_rotation, text_rotation=text_rotation)
    (page,) = extract_pdf(path, ocr=False).pages
    start = page.text.index("départemental") + 3  # a span that starts inside a word
    end = page.text.index("voté")
    stored = span_for_selection(page, start, end).rects
    drawn = span_rects(page, start, end)
    assert list(stored) == drawn and drawn
    word = next(w for w in page.words if w.start <= start < w.end)
    box = drawn[0]
    if text_rotation:
        # Vertical text: the reading direction inside a box is not cut, the whole word is lit.
        assert (box[0], box[2]) == (word.x0, word.x1)
    else:
        # Horizontal text (on any page rotation: the word map is unrotated) is cut at "dép|".
        assert word.x0 < box[0] < word.x1
