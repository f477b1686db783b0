"""PDF extraction on PDFs generated at test time: canonical text, word map, layout, refusals."""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated.)

from __future__ import annotations

import gc
import unicodedata
from collections import Counter
from pathlib import Path

import pymupdf
import pytest

from dossier.errors import Cancelled, EnvironmentFailure, InputRefused, PasswordRequired
from dossier.jobs import YOUNG_COLLECTION_EVERY, CancelToken
from dossier.pdf import ocr as ocr_module
from dossier.pdf.extract import EXTRACTOR_VERSION, TEXT_FLAGS, extract_pdf
from dossier.pdf.layout import RawWord, reading_order
from dossier.pdf.meta import pdf_date_to_iso
from dossier.pdf.open import open_pdf
from dossier.text.model import ExtractedDocument, PageText, pack_words, unpack_words
from tests.pdfgen import (
    ENGLISH_PARAGRAPHS,
    FRENCH_PARAGRAPHS,
    columns_page,
    many_pages_pdf,
    normalise_space,
    scanned_page,
    text_page,
    text_pdf,
    write_pdf,
)


def assert_word_map_consistent(page: PageText) -> None:
    """Offsets address the words, in order, with only the fixed joiners between them."""
    previous = None
    for word in page.words:
        token = page.text[word.start : word.end]
        assert token, word
        assert not any(ch.isspace() and ch != "\xa0" for ch in token), token
        assert unicodedata.is_normalized("NFC", token)
        if previous is None:
            assert word.line == 0
            assert page.text[: word.start] == ""
        else:
            joiner = page.text[previous.end : word.start]
            if word.line == previous.line:
                assert joiner == " "
            else:
                assert word.line == previous.line + 1
                assert joiner in ("\n", "\n\n")
        previous = word
    if previous is None:
        assert page.text == ""
    else:
        assert page.text[previous.end :] == ""


def raw_words(path: Path, index: int, flags: int = TEXT_FLAGS) -> list[RawWord]:
    with pymupdf.open(path) as doc:
        words: list[RawWord] = doc[index].get_text("words", flags=flags)
        return words


@pytest.fixture
def bilingual_pdf(tmp_path: Path) -> Path:
    return write_pdf(
        tmp_path / "bilingual.pdf",
        [text_page(*FRENCH_PARAGRAPHS), text_page(*ENGLISH_PARAGRAPHS)],
    )


def test_word_map_addresses_every_word_of_the_page(bilingual_pdf: Path) -> None:
    document = extract_pdf(bilingual_pdf)
    assert document.extractor_version == EXTRACTOR_VERSION
    assert document.mime == "application/pdf"
    assert [page.index for page in document.pages] == [0, 1]
    for page in document.pages:
        assert_word_map_consistent(page)
        tokens = Counter(page.text[w.start : w.end] for w in page.words)
        expected = Counter(
            unicodedata.normalize("NFC", w[4]) for w in raw_words(bilingual_pdf, page.index)
        )
        assert tokens == expected
        assert "\n\n\n" not in page.text


def test_word_boxes_are_the_boxes_pymupdf_reports(bilingual_pdf: Path) -> None:
    document = extract_pdf(bilingual_pdf)
    raw = raw_words(bilingual_pdf, 0)
    boxes = {(round(w[0], 2), round(w[1], 2), round(w[2], 2), round(w[3], 2)) for w in raw}
    for word in document.pages[0].words:
        assert tuple(round(v, 2) for v in word.rect) in boxes


def test_paragraphs_come_out_whole_and_in_order(bilingual_pdf: Path) -> None:
    document = extract_pdf(bilingual_pdf)
    for page, paragraphs in zip(
        document.pages, (FRENCH_PARAGRAPHS, ENGLISH_PARAGRAPHS), strict=True
    ):
        flat = normalise_space(page.text)
        positions = [flat.find(normalise_space(p)) for p in paragraphs]
        assert -1 not in positions
        assert positions == sorted(positions)
        # Paragraphs are separate blocks, lines inside a paragraph are not.
        assert page.text.count("\n\n") == len(paragraphs) - 1


def test_extraction_is_deterministic(bilingual_pdf: Path) -> None:
    first = extract_pdf(bilingual_pdf)
    second = extract_pdf(bilingual_pdf)
    assert first == second
    assert [pack_words(p.words) for p in first.pages] == [pack_words(p.words) for p in second.pages]


def test_word_map_survives_packing(bilingual_pdf: Path) -> None:
    page = extract_pdf(bilingual_pdf).pages[0]
    restored = unpack_words(pack_words(page.words))
    assert [(w.start, w.end, w.line) for w in restored] == [
        (w.start, w.end, w.line) for w in page.words
    ]


def test_language_is_guessed_from_the_text(tmp_path: Path) -> None:
    french = extract_pdf(write_pdf(tmp_path / "fr.pdf", [text_page(*FRENCH_PARAGRAPHS)]))
    english = extract_pdf(write_pdf(tmp_path / "en.pdf", [text_page(*ENGLISH_PARAGRAPHS)]))
    assert (french.language, english.language) == ("fr", "en")


def test_ligatures_come_out_as_letters(tmp_path: Path) -> None:
    path = text_pdf(
        tmp_path / "ligatures.pdf", "La \ufb01nance de l’a\ufb00aire reste of\ufb01cielle."
    )
    # The file really holds ligature code points: PyMuPDF's own default keeps them.
    kept = " ".join(w[4] for w in raw_words(path, 0, flags=pymupdf.TEXT_PRESERVE_LIGATURES))
    assert "\ufb01nance" in kept
    page = extract_pdf(path).pages[0]
    assert page.text == "La finance de l’affaire reste officielle."
    assert_word_map_consistent(page)


def test_soft_hyphens_are_kept_with_exact_offsets(tmp_path: Path) -> None:
    path = text_pdf(
        tmp_path / "soft.pdf", "Une adminis\u00ad\ntration qui gère un pseudo\u00adnyme."
    )
    page = extract_pdf(path).pages[0]
    assert page.text == "Une adminis\u00ad\ntration qui gère un pseudo\u00adnyme."
    assert_word_map_consistent(page)
    tokens = [page.text[w.start : w.end] for w in page.words]
    assert "adminis\u00ad" in tokens
    assert "pseudo\u00adnyme." in tokens


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_rotated_page_reads_upright(tmp_path: Path, rotation: int) -> None:
    path = write_pdf(
        tmp_path / "rotated.pdf", [text_page(*FRENCH_PARAGRAPHS[:2], rotation=rotation)]
    )
    page = extract_pdf(path).pages[0]
    assert page.rotation == rotation
    # Sizes and boxes are those of the unrotated page (A4 portrait).
    assert (page.width, page.height) == (595.0, 842.0)
    for word in page.words:
        assert -1 <= word.x0 < word.x1 <= 596 and -1 <= word.y0 < word.y1 <= 843
    flat = normalise_space(page.text)
    first, second = (flat.find(normalise_space(p)) for p in FRENCH_PARAGRAPHS[:2])
    assert 0 <= first < second
    assert_word_map_consistent(page)


def test_columns_drawn_row_by_row_are_read_column_by_column(tmp_path: Path) -> None:
    left, right = ENGLISH_PARAGRAPHS[:2], ENGLISH_PARAGRAPHS[2:]
    path = write_pdf(tmp_path / "rows.pdf", [columns_page(left, right, row_by_row=True)])
    # The hard case is real: MuPDF's own reading order cuts the sentences apart.
    with pymupdf.open(path) as doc:
        native = normalise_space(doc[0].get_text())
    assert normalise_space(left[0]) not in native
    page = extract_pdf(path).pages[0]
    flat = normalise_space(page.text)
    positions = [flat.find(normalise_space(p)) for p in (*left, *right)]
    assert -1 not in positions
    assert positions == sorted(positions)
    assert_word_map_consistent(page)


def test_columns_drawn_in_order_keep_mupdf_order(tmp_path: Path) -> None:
    left, right = FRENCH_PARAGRAPHS[:2], FRENCH_PARAGRAPHS[2:]
    path = write_pdf(tmp_path / "columns.pdf", [columns_page(left, right)])
    page = extract_pdf(path).pages[0]
    flat = normalise_space(page.text)
    positions = [flat.find(normalise_space(p)) for p in (*left, *right)]
    assert -1 not in positions
    assert positions == sorted(positions)


def test_table_rows_stay_rows() -> None:
    # Two cells per row, rows stacked tightly: cell-to-cell is not "another column's prose".
    words: list[RawWord] = []
    for row in range(6):
        y = 100.0 + row * 12
        words.append((50.0, y, 90.0, y + 10, f"name{row}", row, 0, 0))
        words.append((300.0, y, 330.0, y + 10, f"{row * 7}", row, 1, 0))
    blocks = reading_order(words)
    assert [[w[4] for line in block for w in line] for block in blocks] == [
        [f"name{row}", f"{row * 7}"] for row in range(6)
    ]


def test_page_labels_metadata_and_attachments(tmp_path: Path) -> None:
    path = write_pdf(
        tmp_path / "meta.pdf",
        [text_page(FRENCH_PARAGRAPHS[0]), text_page(FRENCH_PARAGRAPHS[1])],
        metadata={
            "title": "Rapport sur le collège",
            "author": "Cour régionale des comptes",
            "creationDate": "D:20240305120000+01'00'",
            "producer": "pdfgen",
        },
        attachments={"annexe.xlsx": b"not really a spreadsheet", "photo.jpg": b"\xff\xd8\xff"},
        page_labels=[{"startpage": 0, "prefix": "A-", "style": "D", "firstpagenum": 7}],
    )
    document = extract_pdf(path)
    assert document.title == "Rapport sur le collège"
    assert document.author == "Cour régionale des comptes"
    assert document.date == "2024-03-05"
    assert [p.label for p in document.pages] == ["A-7", "A-8"]
    assert document.metadata["attachments"].split("\n") == ["annexe.xlsx", "photo.jpg"]
    assert document.metadata["producer"] == "pdfgen"
    assert "repaired" not in document.metadata


def test_pages_without_labels_display_their_number(bilingual_pdf: Path) -> None:
    pages = extract_pdf(bilingual_pdf).pages
    assert [(p.label, p.display_label) for p in pages] == [("", "1"), ("", "2")]


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("D:20230620093027-04'00'", "2023-06-20"),
        ("D:2023", "2023-01-01"),
        ("20200806095125Z", "2020-08-06"),
        ("D:00000101000000Z", None),
        ("D:20231345", None),
        ("", None),
        ("yesterday", None),
    ],
)
def test_pdf_dates(raw: str, iso: str | None) -> None:
    assert pdf_date_to_iso(raw) == iso


def test_password_protected_pdf(tmp_path: Path) -> None:
    path = write_pdf(
        tmp_path / "locked.pdf", [text_page(FRENCH_PARAGRAPHS[0])], user_password="sésame"
    )
    with pytest.raises(PasswordRequired, match="password") as missing:
        extract_pdf(path)
    assert "locked.pdf" in str(missing.value)
    with pytest.raises(PasswordRequired, match="wrong"):
        extract_pdf(path, password="ouvre-toi")
    document = extract_pdf(path, password="sésame")
    assert normalise_space(FRENCH_PARAGRAPHS[0]) in normalise_space(document.text)


def test_owner_password_alone_does_not_lock_the_text(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "owner.pdf", [text_page("Lisible par tous.")], owner_password="x")
    with pymupdf.open(path) as doc:
        assert doc.is_encrypted or doc.metadata["encryption"]
    assert extract_pdf(path).pages[0].text == "Lisible par tous."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"<!DOCTYPE html><html><body>Please log in</body></html>", "not a PDF"),
        (b"%PDF-1.7\n%%EOF\n", "damaged"),
        (b"%PDF-1.4\n" + bytes(range(256)) * 8, "damaged|without any page"),
    ],
)
def test_unreadable_files_are_refused_with_their_name(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "suspect.pdf"
    path.write_bytes(content)
    with pytest.raises(InputRefused, match=message) as refused:
        extract_pdf(path)
    assert "suspect.pdf" in str(refused.value)
    assert not isinstance(refused.value, PasswordRequired)


def test_truncated_pdf_yields_what_it_holds_or_is_refused(
    bilingual_pdf: Path, tmp_path: Path
) -> None:
    data = bilingual_pdf.read_bytes()
    for fraction in (0.3, 0.6, 0.9):
        cut = tmp_path / f"cut{fraction}.pdf"
        cut.write_bytes(data[: int(len(data) * fraction)])
        try:
            document = extract_pdf(cut)
        except InputRefused:
            continue
        assert document.metadata.get("repaired") == "yes"
        for page in document.pages:
            assert_word_map_consistent(page)


def test_open_pdf_closes_the_document(bilingual_pdf: Path) -> None:
    with open_pdf(bilingual_pdf) as doc:
        assert doc.page_count == 2
    assert doc.is_closed


def test_progress_is_reported_per_page_and_cancel_stops(tmp_path: Path) -> None:
    path = many_pages_pdf(tmp_path / "long.pdf", 6)
    seen: list[float] = []
    document = extract_pdf(path, progress=lambda fraction, _message: seen.append(fraction))
    assert len(document.pages) == 6
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 7

    token = CancelToken()

    def cancel_at_third_page(fraction: float, _message: str) -> None:
        if fraction >= 2 / 6:
            token.cancel()

    with pytest.raises(Cancelled):
        extract_pdf(path, progress=cancel_at_third_page, cancel=token)


def test_scanned_page_without_ocr_is_empty_and_flagged(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "scan.pdf", [text_page("Texte."), scanned_page("Une page lue.")])
    document = extract_pdf(path, ocr=False)
    assert document.pages[1].text == "" and document.pages[1].words == []
    assert document.pages[1].ocr is False
    assert document.metadata["pages_needing_ocr"] == "2"


def test_missing_ocr_data_is_a_clear_environment_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "no-tessdata"
    empty.mkdir()
    monkeypatch.setenv("TESSDATA_PREFIX", str(empty))
    monkeypatch.setattr(ocr_module, "DEBIAN_TESSDATA_ROOT", empty)
    monkeypatch.setattr(ocr_module, "SYSTEM_TESSDATA_DIRS", ())
    assert ocr_module.tessdata_dir() is None
    path = write_pdf(tmp_path / "scan.pdf", [scanned_page("Une page lue.")])
    with pytest.raises(EnvironmentFailure, match="tesseract-ocr-fra"):
        extract_pdf(path)
    # Pages with a text layer never need the data.
    assert extract_pdf(text_pdf(tmp_path / "text.pdf", "Sans OCR.")).pages[0].text == "Sans OCR."


@pytest.mark.ocr
def test_tessdata_is_found() -> None:
    folder = ocr_module.tessdata_dir()
    assert folder is not None
    assert (folder / "fra.traineddata").is_file() and (folder / "eng.traineddata").is_file()


@pytest.mark.ocr
def test_tessdata_prefix_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    system = ocr_module.tessdata_dir()
    assert system is not None
    mine = tmp_path / "tessdata"
    mine.mkdir()
    for lang in ("fra", "eng"):
        (mine / f"{lang}.traineddata").symlink_to(system / f"{lang}.traineddata")
    monkeypatch.setenv("TESSDATA_PREFIX", str(mine))
    assert ocr_module.tessdata_dir() == mine


def _ocr_document(tmp_path: Path) -> ExtractedDocument:
    path = write_pdf(
        tmp_path / "scan.pdf",
        [scanned_page(FRENCH_PARAGRAPHS[0]), text_page(ENGLISH_PARAGRAPHS[0])],
    )
    return extract_pdf(path)


@pytest.mark.ocr
def test_scanned_page_is_read_by_ocr_into_the_word_map(tmp_path: Path) -> None:
    document = _ocr_document(tmp_path)
    scanned, typed = document.pages
    assert scanned.ocr is True and typed.ocr is False
    assert_word_map_consistent(scanned)
    expected = normalise_space(FRENCH_PARAGRAPHS[0]).lower().split()
    found = set(normalise_space(scanned.text).lower().split())
    assert sum(word in found for word in expected) >= 0.8 * len(expected)
    # OCR words sit where the text was drawn: inside the page, in the top half.
    assert all(0 <= w.x0 < w.x1 <= 595 and 0 <= w.y0 < w.y1 <= 421 for w in scanned.words)
    assert "pages_needing_ocr" not in document.metadata


@pytest.mark.ocr
def test_ocr_reports_its_own_progress_step(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "scan.pdf", [scanned_page("Bonjour.")])
    messages: list[str] = []
    extract_pdf(path, progress=lambda _f, message: messages.append(message))
    assert any("Recognising text on page 1" in m for m in messages)


def test_a_long_pdf_is_read_without_a_collection_every_few_hundred_words(tmp_path: Path) -> None:
    """Each word is a tuple or two: at Python's default threshold (700 allocations) the
    collector ran over a hundred times for these pages, a fifth of the extraction's CPU."""
    pdf = many_pages_pdf(tmp_path / "long.pdf", 60, paragraphs_per_page=8)
    before = gc.get_stats()[0]["collections"]
    document = extract_pdf(pdf, ocr=False)
    collections = gc.get_stats()[0]["collections"] - before
    words = sum(len(page.words) for page in document.pages)
    assert words > 10_000
    assert collections <= 2 * words // YOUNG_COLLECTION_EVERY + 2, collections
