"""Term and span rectangles, mouse selection spans, and in-memory page rendering."""

from __future__ import annotations

import pymupdf
import pytest

from dossier.errors import CorruptData, PasswordRequired
from dossier.pdf.render import PdfRenderer, geometry, open_stored_pdf, render_page
from dossier.text.highlight import span_at, span_between, term_rects, term_spans, word_at
from dossier.text.model import PageText, Word
from dossier.text.rects import span_rects

LINES = [
    "L'enquête sur l'affaire Dupont commence",
    "Les enquêteurs de la mairie ont parlé",
    "quête finale anti-corruption",
]


def make_pdf(lines: list[str] = LINES, rotation: int = 0, pages: int = 1) -> bytes:
    doc = pymupdf.open()
    for number in range(pages):
        page = doc.new_page(width=400, height=300)
        for row, line in enumerate(lines):
            page.insert_text((40, 60 + 30 * row), line, fontsize=14)
        page.insert_text((40, 280), f"page {number + 1}", fontsize=10)
        if rotation:
            page.set_rotation(rotation)
    data: bytes = doc.tobytes()
    doc.close()
    return data


def page_text(data: bytes, index: int = 0) -> PageText:
    """Canonical text and word map built the way the extractor does: words joined per line."""
    doc = pymupdf.open(stream=data, filetype="pdf")
    page = doc[index]
    text = ""
    words: list[Word] = []
    lines: dict[tuple[int, int], int] = {}
    for x0, y0, x1, y1, word, block, line, _ in page.get_text("words"):
        key = (block, line)
        if key not in lines:
            if text:
                text += "\n"
            lines[key] = len(lines)
        elif text:
            text += " "
        words.append(Word(x0, y0, x1, y1, len(text), len(text) + len(word), lines[key]))
        text += word
    rect = page.rect
    doc.close()
    return PageText(index=index, text=text, words=words, width=rect.width, height=rect.height)


def words_of(page: PageText, rects: list[tuple[float, float, float, float]]) -> list[str]:
    """The page words whose centres fall inside the rectangles (what a reader would see lit)."""
    found = []
    for w in page.words:
        cx, cy = (w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2
        if any(r[0] <= cx <= r[2] and r[1] <= cy <= r[3] for r in rects):
            found.append(page.text[w.start : w.end])
    return found


def test_term_matches_whole_words_prefixes_and_parts_after_apostrophes() -> None:
    page = page_text(make_pdf())
    rects = term_rects(page, ["enquete"])
    assert words_of(page, rects) == ["L'enquête", "enquêteurs"]
    # "quête" is a word of its own; the term does not match inside "enquête".
    assert words_of(page, term_rects(page, ["QUÊTE"])) == ["quête"]
    assert words_of(page, term_rects(page, ["corruption"])) == ["anti-corruption"]


def test_short_terms_match_only_whole_words() -> None:
    page = page_text(make_pdf())
    assert words_of(page, term_rects(page, ["de"])) == ["de"]
    assert term_rects(page, ["mai"]) != []  # three letters: a prefix of "mairie"
    assert term_rects(page, ["ma"]) == []


def test_phrase_term_gives_one_rectangle_per_line() -> None:
    page = page_text(make_pdf())
    rects = term_rects(page, ["affaire dupont"])
    assert len(rects) == 1
    assert words_of(page, rects) == ["l'affaire", "Dupont"]
    assert term_rects(page, ["dupont affaire"]) == []


def test_term_rect_sits_where_mupdf_finds_the_word() -> None:
    data = make_pdf()
    page = page_text(data)
    (rect,) = term_rects(page, ["Dupont"])
    doc = pymupdf.open(stream=data, filetype="pdf")
    (expected,) = doc[0].search_for("Dupont")
    assert rect[0] == pytest.approx(expected.x0, abs=1)
    assert rect[2] == pytest.approx(expected.x1, abs=1)


def test_span_rects_one_per_line_and_cut_inside_words() -> None:
    page = page_text(make_pdf())
    start = page.text.index("Dupont")
    end = page.text.index("mairie") + len("mairie")
    rects = span_rects(page, start, end)
    assert len(rects) == 2
    assert rects[0][1] < rects[1][1]
    whole = span_rects(page, start, start + len("Dupont"))[0]
    half = span_rects(page, start, start + 3)[0]
    assert half[0] == pytest.approx(whole[0])
    assert half[2] < whole[2] - 5
    assert span_rects(page, 10, 10) == []


def test_span_at_rubber_band_gives_reading_order_span() -> None:
    page = page_text(make_pdf())
    dupont = next(w for w in page.words if page.text[w.start : w.end] == "Dupont")
    span = span_at(page, dupont.x1 + 1, dupont.y0, dupont.x0 - 1, dupont.y1)
    assert span is not None
    assert page.text[span[0] : span[1]] == "Dupont"
    assert span_at(page, 0, 0, 5, 5) is None


def test_span_between_behaves_like_a_text_editor() -> None:
    page = page_text(make_pdf())
    by_text = {page.text[w.start : w.end]: w for w in page.words}
    dupont, parle = by_text["Dupont"], by_text["parlé"]
    forward = span_between(page, (dupont.x0 + 2, dupont.y0 + 2), (parle.x1 - 2, parle.y1 - 2))
    backward = span_between(page, (parle.x1 - 2, parle.y1 - 2), (dupont.x0 + 2, dupont.y0 + 2))
    assert forward == backward
    assert forward is not None
    assert (
        page.text[forward[0] : forward[1]]
        == "Dupont commence\nLes enquêteurs de la mairie ont parlé"
    )
    # Past the end of a line picks its last word; below the text picks the last line.
    picked = word_at(page, 399, dupont.y0 + 3)
    assert picked is not None
    assert page.text[picked.start : picked.end] == "commence"
    last = word_at(page, 200, 299)
    assert last is not None and last.end == max(w.end for w in page.words)


def test_render_page_pixels_and_zoom() -> None:
    data = make_pdf()
    small = render_page(data, 0, 1.0)
    large = render_page(data, 0, 2.0)
    assert (small.width, small.height) == (400, 300)
    assert (large.width, large.height) == (800, 600)
    assert len(large.samples) == large.stride * large.height
    assert large.samples[:3] == b"\xff\xff\xff"  # top-left corner is paper
    page = page_text(data)
    (rect,) = term_rects(page, ["Dupont"])
    # Some pixel inside the word's box is ink.
    ink = False
    for y in range(int(rect[1] * 2), int(rect[3] * 2)):
        row = large.samples[y * large.stride : (y + 1) * large.stride]
        if any(row[x * 3] < 128 for x in range(int(rect[0] * 2), int(rect[2] * 2))):
            ink = True
            break
    assert ink


def test_huge_zoom_is_capped() -> None:
    rendered = render_page(make_pdf(), 0, 1000.0)
    assert max(rendered.width, rendered.height) <= 8000
    assert rendered.zoom < 1000.0


def test_geometry_maps_word_boxes_onto_a_rotated_page() -> None:
    data = make_pdf(rotation=90)
    doc = open_stored_pdf(data)
    (geo,) = geometry(doc)
    assert (geo.width, geo.height) == (300, 400)
    page = page_text(data)
    (rect,) = term_rects(page, ["Dupont"])
    shown = geo.to_display(rect)
    # A 90° rotation turns the line vertical: the box is taller than wide on screen.
    assert shown[3] - shown[1] > shown[2] - shown[0]
    x, y = geo.from_display((shown[0] + shown[2]) / 2, (shown[1] + shown[3]) / 2)
    assert rect[0] <= x <= rect[2] and rect[1] <= y <= rect[3]
    rendered = render_page(doc, 0, 1.0)
    assert (rendered.width, rendered.height) == (300, 400)
    doc.close()


def test_renderer_keeps_documents_open_and_forgets_them_on_clear() -> None:
    sources = {"a": make_pdf(pages=3), "b": make_pdf(), "c": make_pdf()}
    loads: list[str] = []

    def loader(doc_id: str) -> bytes:
        loads.append(doc_id)
        return sources[doc_id]

    renderer = PdfRenderer(loader, max_open=2)
    assert len(renderer.geometry("a")) == 3
    renderer.render("a", 2, 1.0)
    renderer.render("a", 0, 0.5)
    assert loads == ["a"]
    renderer.render("b", 0, 1.0)
    renderer.render("c", 0, 1.0)  # evicts "a"
    renderer.render("a", 0, 1.0)
    assert loads == ["a", "b", "c", "a"]
    renderer.clear()
    renderer.render("b", 0, 1.0)
    assert loads[-1] == "b"
    with pytest.raises(CorruptData):
        renderer.render("b", 7, 1.0)


def test_protected_pdf_needs_its_password() -> None:
    doc = pymupdf.open(stream=make_pdf(), filetype="pdf")
    data = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="s3cret", owner_pw="own")
    renderer = PdfRenderer(lambda _doc_id: data)
    with pytest.raises(PasswordRequired):
        renderer.render("x", 0, 1.0)
    with pytest.raises(PasswordRequired):
        renderer.unlock("x", "wrong")
    renderer.unlock("x", "s3cret")
    assert renderer.render("x", 0, 1.0).width == 400


def test_damaged_pdf_is_refused_clearly() -> None:
    with pytest.raises(CorruptData):
        render_page(b"%PDF-1.7\nthis is not a pdf", 0, 1.0)


def test_term_spans_in_plain_text() -> None:
    text = "Objet : l'enquête. Les enquêteurs ont écrit à la mairie de Lyon."
    spans = term_spans(text, ["ENQUETE", "mairie de"])
    assert [text[a:b] for a, b in spans] == ["enquête", "enquêteurs", "mairie de"]
    assert term_spans(text, ["de"]) == [(text.index("de Lyon"), text.index("de Lyon") + 2)]
    assert term_spans(text, ["  "]) == []
