"""Every real-world PDF of the shared corpus is either extracted or refused clearly.

The corpus lives beside the repository (`shared/corpus/pdfs/`, see its PROVENANCE.md); without
it these tests are skipped. Extraction of the whole corpus takes a few seconds (no OCR: the
long books have a text layer); the three scanned pages are OCRed in tests marked `ocr`.
`make test` reads one of them, and pins the word maps of every file but the long book.
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated.)

from __future__ import annotations

import hashlib
import struct
import zlib
from pathlib import Path

import pymupdf
import pytest

from dossier.errors import InputRefused, PasswordRequired
from dossier.pdf.extract import (
    EXTRACTOR_VERSION,
    TEXT_FLAGS,
    extract_pdf,
    extract_pdf_bytes,
    page_words,
)
from dossier.services.workspace import Workspace
from dossier.text.model import ExtractedDocument, PageText, Word, pack_words, unpack_words
from tests.paths import CORPUS
from tests.pdfgen import normalise_space

FILES = sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []

pytestmark = pytest.mark.skipif(not FILES, reason=f"shared corpus not found at {CORPUS}")

PASSWORDS = {"lorem_encrypted_openpassword.pdf": "openpassword"}
REFUSED = {"invalid_header_eof_only.pdf"}
SCANS = {
    "congress_message_scan_image_only.pdf": ["CONGRESS", "SENATE", "PRESIDENT"],
    "huckfinn_p22_scan_image_only.pdf": ["widow’s", "garden", "kitchen"],
    "francais_scan_image_only_fr.pdf": ["whisky", "juge", "capharnaüm"],
}
OCR_SWEEP_ONLY = {"congress_message_scan_image_only.pdf", "huckfinn_p22_scan_image_only.pdf"}
"""Full-page scans read by OCR in the slow sweep only (`make check`, CI; ~3 CPU-s each): the
French page, read in every run, takes the same way at a sixth of the cost."""
BOOK = "freeculture_lessig_2004_book.pdf"
"""The one long book (352 pages): its word maps are pinned and stored in the slow sweep only
(~2 CPU-s), every other file's in every run."""


def sweep(names: list[str], slow: set[str]) -> list[object]:
    return [pytest.param(n, marks=pytest.mark.slow) if n in slow else n for n in names]


# file -> (pages, phrases found in the canonical text once white space is collapsed)
EXPECTED: dict[str, tuple[int, list[str]]] = {
    "chelsea_plan_transport_actif_fr.pdf": (65, ["transport actif"]),
    "dd0293_form_xfa_javascript.pdf": (4, ["APPLICATION FOR THE REVIEW"]),
    "dmca_summary_memo_rc4_ownerpw.pdf": (18, ["Digital Millennium Copyright Act"]),
    "federal_register_2020-17221_3col.pdf": (15, ["Federal Register", "737 MAX"]),
    "ferrario_review_soft_hyphens.pdf": (5, ["knowl\u00ad edge"]),
    "freeculture_lessig_2004_book.pdf": (352, ["Free Culture", "Lawrence Lessig"]),
    "geotopo_lecture_notes_de.pdf": (117, ["Topologie"]),
    "grasshopper_multilingual_highlights.pdf": (3, ["grasshopper"]),
    "irs_i1040nr_2007_instructions_3col.pdf": (50, ["Form 1040NR"]),
    "linnsequencer_scan_ocr_layer_2col.pdf": (1, ["LinnSequencer"]),
    "lorem_encrypted_openpassword.pdf": (1, ["Lorem ipsum"]),
    "lorem_with_attachment.pdf": (1, ["Lorem ipsum"]),
    "mdpi_curroncol_ki67_ccby.pdf": (12, ["Ki67 in Breast Cancer Assay", "significant"]),
    "nist_sp800-223_hpc_security.pdf": (34, ["High-Performance Computing"]),
    "sainte_adele_proces_verbal_2023_fr.pdf": (2, ["ATTENDU QUE", "démolition", "PROCÈS-VERBAL"]),
    "scan_bad_trailing_garbage.pdf": (1, ["pdf.js"]),
    "scotus_transcript_p1.pdf": (1, ["SUPREME COURT OF THE UNITED STATES"]),
    "sec_edgar_engagement_letter_2023.pdf": (2, ["Dear Mr. Dey"]),
    "senate_expenditures_rotated.pdf": (1, ["DISTRICT DIRECTOR"]),
    "zen_of_python_corrupted_rotated.pdf": (1, ["Beautiful is better than ugly."]),
}

_cache: dict[str, ExtractedDocument] = {}


def extracted(name: str) -> ExtractedDocument:
    """Each file is extracted once per session (the long books take a moment)."""
    if name not in _cache:
        _cache[name] = extract_pdf(CORPUS / name, password=PASSWORDS.get(name), ocr=False)
    return _cache[name]


def assert_offsets(page: PageText) -> None:
    for word in page.words:
        token = page.text[word.start : word.end]
        assert token and not any(ch in " \n" for ch in token)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_file_is_extracted_or_refused(path: Path) -> None:
    if path.name in REFUSED:
        with pytest.raises(InputRefused) as refused:
            extract_pdf(path, ocr=False)
        assert path.name in str(refused.value)
        return
    try:
        document = extracted(path.name)
    except InputRefused as refused:  # a file added to the corpus later may be refused too
        assert path.name in str(refused)
        return
    for page in document.pages:
        assert_offsets(page)
    if path.name in EXPECTED:
        pages, phrases = EXPECTED[path.name]
        assert len(document.pages) == pages
        flat = normalise_space(document.text)
        for phrase in phrases:
            assert phrase in flat, phrase
    if path.name in SCANS:
        assert document.metadata["pages_needing_ocr"] == "1"


LONG = {name for name, (pages, _) in EXPECTED.items() if pages >= 50}
"""The four files of 50 pages or more (1.6 of the 2 CPU-s their pages' words take): compared
word for word in the slow sweep only (`make check`, CI). Every kind of page they hold (three
columns, French, German, a book's) is in a shorter file compared in every run, as are the
turned, encrypted and damaged ones."""


@pytest.mark.parametrize(
    "name", sweep(sorted(p.name for p in FILES if p.name not in REFUSED), LONG)
)
def test_every_page_s_words_are_pymupdf_s_own(name: str) -> None:
    # An unturned page is read without PyMuPDF's wrappers around its text page: the same
    # words, boxes and numbers as `get_text("words")`, on every page of the corpus (turned
    # ones, read through PyMuPDF, included).
    with pymupdf.open(CORPUS / name) as doc:
        if doc.needs_pass:
            doc.authenticate(PASSWORDS[name])
        for page in doc:
            expected = page.get_text("words", flags=TEXT_FLAGS)
            assert page_words(page, int(page.rotation)) == expected, (name, page.number)


def test_encrypted_file_needs_its_password() -> None:
    path = CORPUS / "lorem_encrypted_openpassword.pdf"
    with pytest.raises(PasswordRequired):
        extract_pdf(path)
    with pytest.raises(PasswordRequired, match="wrong"):
        extract_pdf(path, password="permission")
    assert extracted(path.name).metadata["encryption"].startswith("Standard")


def test_repaired_file_is_flagged() -> None:
    assert extracted("scan_bad_trailing_garbage.pdf").metadata["repaired"] == "yes"


def test_french_documents_are_recognised() -> None:
    assert extracted("sainte_adele_proces_verbal_2023_fr.pdf").language == "fr"
    assert extracted("chelsea_plan_transport_actif_fr.pdf").language == "fr"
    assert extracted("nist_sp800-223_hpc_security.pdf").language == "en"
    assert extracted("geotopo_lecture_notes_de.pdf").language is None


def test_metadata_of_a_real_report() -> None:
    document = extracted("sainte_adele_proces_verbal_2023_fr.pdf")
    assert document.title is not None and document.title.startswith("Comité de démolition")
    assert document.date == "2023-06-21"
    assert extracted("lorem_with_attachment.pdf").metadata["attachments"] == "image.png"
    assert extracted("geotopo_lecture_notes_de.pdf").pages[0].label == "i"


def test_three_column_sentences_stay_together() -> None:
    # The IRS instructions are drawn row by row across three columns: MuPDF's own order
    # interleaves them, so a sentence that wraps inside a column is cut apart.
    name = "irs_i1040nr_2007_instructions_3col.pdf"
    sentences = {
        5: [
            "You must divide your income for the tax year into the following three categories.",
            "Gain or loss on the disposition of a U.S. real property interest (see Pub. 519 for "
            "definition) is taxed as if the gain or loss were effectively connected with the "
            "conduct of a U.S. trade or business.",
        ],
    }
    with pymupdf.open(CORPUS / name) as doc:
        native = normalise_space(doc[5].get_text())
    assert sentences[5][0] not in native
    document = extracted(name)
    for index, expected in sentences.items():
        flat = normalise_space(document.pages[index].text)
        for sentence in expected:
            assert sentence in flat


def test_ligatures_are_expanded_in_real_files() -> None:
    ligatures = {chr(c) for c in range(0xFB00, 0xFB07)}
    with pymupdf.open(CORPUS / "mdpi_curroncol_ki67_ccby.pdf") as doc:
        native = "".join(page.get_text(flags=pymupdf.TEXT_PRESERVE_LIGATURES) for page in doc)
    assert ligatures & set(native)
    for name in ("mdpi_curroncol_ki67_ccby.pdf", "freeculture_lessig_2004_book.pdf"):
        assert not ligatures & set(extracted(name).text)
    assert "significant" in extracted("mdpi_curroncol_ki67_ccby.pdf").text


def test_rotated_files_keep_their_rotation() -> None:
    for name in ("zen_of_python_corrupted_rotated.pdf", "senate_expenditures_rotated.pdf"):
        page = extracted(name).pages[0]
        assert page.rotation == 90
        assert page.width < page.height  # unrotated portrait; shown as landscape
    zen = normalise_space(extracted("zen_of_python_corrupted_rotated.pdf").text)
    assert zen.index("Beautiful is better") < zen.index("Explicit is better")


@pytest.mark.ocr
@pytest.mark.parametrize("name", sweep(sorted(SCANS), OCR_SWEEP_ONLY))
def test_scanned_files_are_read_by_ocr(name: str) -> None:
    document = extract_pdf(CORPUS / name)
    page = document.pages[0]
    assert page.ocr
    assert_offsets(page)
    for word in SCANS[name]:
        assert word in page.text, word
    if name.startswith("francais"):
        assert document.language == "fr"


PINNED_VERSION = "pdf-1"
PINNED: dict[str, str] = {
    "chelsea_plan_transport_actif_fr.pdf": "83c99b5129c18207afa6961c6efb9e53",
    "congress_message_scan_image_only.pdf": "14b56309ccb61f640c0c0e1a6e02ab8f",
    "dd0293_form_xfa_javascript.pdf": "99f32928058a33311fcd571e8a7a19f6",
    "dmca_summary_memo_rc4_ownerpw.pdf": "bc730fb0cef0caf19955d790917d3979",
    "federal_register_2020-17221_3col.pdf": "893dedfef89299c0dad76d8567e55855",
    "ferrario_review_soft_hyphens.pdf": "4bdad1bd1a4e76d01848faf0a77a5efe",
    "francais_scan_image_only_fr.pdf": "39bd9831182aef70939bf1cae534487f",
    "freeculture_lessig_2004_book.pdf": "1e67d38e7f5856c99563d48ae1fdf3b7",
    "geotopo_lecture_notes_de.pdf": "d4d0343492a8dd98e11f6977270b218a",
    "grasshopper_multilingual_highlights.pdf": "876a6861f6a6c1bfc266bc8806238fab",
    "huckfinn_p22_scan_image_only.pdf": "2491db3aa296f9a57072717ec8378453",
    "irs_i1040nr_2007_instructions_3col.pdf": "cd1cf09c5e41105d15be9f20cba74031",
    "linnsequencer_scan_ocr_layer_2col.pdf": "536f877bf5257e22e3328e3853f5ad8f",
    "lorem_encrypted_openpassword.pdf": "a5d2fbcc65ca5ae161cac3d2df6ef8f4",
    "lorem_with_attachment.pdf": "5f884485c64e70ac1c9ecaaf08d99299",
    "mdpi_curroncol_ki67_ccby.pdf": "9e3c4f7f9ee711e9255da9e526b7b3b6",
    "nist_sp800-223_hpc_security.pdf": "8666dc742000dc527895f59467b8f5b3",
    "sainte_adele_proces_verbal_2023_fr.pdf": "88c0f2b6471e6294fbe111b3e59d8314",
    "scan_bad_trailing_garbage.pdf": "0b51866ca6a4efd37368ac4e1bb5f476",
    "scotus_transcript_p1.pdf": "61695d6e518cecedc83607b07ea01bf4",
    "sec_edgar_engagement_letter_2023.pdf": "994adc498f7947975e7320031143cef8",
    "senate_expenditures_rotated.pdf": "c6f570eb7eb9e75fb2af4568240fecda",
    "zen_of_python_corrupted_rotated.pdf": "b8e8841586021996c6245f764813cf52",
}
"""What `EXTRACTOR_VERSION` pdf-1 makes of each corpus file: a digest of every page's canonical
text, word map and facts. Stored quotes are offsets into that text, so a change that alters any
of it must bump the version (and then these digests); a change that only makes extraction
faster must leave every digest as it is."""


def stored_word_map(words: list[Word]) -> bytes:
    """The word map as `pack_words` stored it when these digests were taken (zlib level 6).
    How hard the catalog compresses it is the catalog's choice, not the extraction's, so the
    digest compresses the records itself; that they read back the same is checked below."""
    records = b"".join(struct.pack("<ffffIII", *word) for word in words)
    return b"WM1" + zlib.compress(records, 6)


def extraction_digest(document: ExtractedDocument) -> str:
    digest = hashlib.sha256()
    for page in document.pages:
        facts = (page.index, page.text, page.label, page.width, page.height, page.rotation)
        digest.update(repr((facts, page.ocr, page.full_text)).encode())
        digest.update(stored_word_map(page.words))
        digest.update(repr([(w.rect, w.start, w.end, w.line) for w in page.words]).encode())
    facts = (document.title, document.author, document.date, document.language)
    digest.update(repr((facts, sorted(document.metadata.items()))).encode())
    return digest.hexdigest()[:32]


@pytest.mark.parametrize("name", sweep(sorted(PINNED), {BOOK}))
def test_extraction_is_pinned_by_its_version(name: str) -> None:
    if EXTRACTOR_VERSION != PINNED_VERSION:
        pytest.fail(f"the extractor is now {EXTRACTOR_VERSION}: pin its output here again")
    assert extraction_digest(extracted(name)) == PINNED[name], (
        f"{name} extracts differently under the same version {EXTRACTOR_VERSION}: "
        "stored quotes would point at the wrong words; bump EXTRACTOR_VERSION"
    )
    for page in extracted(name).pages:
        stored = unpack_words(pack_words(page.words))
        assert stored_word_map(stored) == stored_word_map(page.words)


@pytest.mark.parametrize("name", sweep(sorted(PINNED), {BOOK}))
def test_an_import_reads_each_word_map_as_it_stores_it(name: str) -> None:
    # An import makes each page's word map as the catalog stores it, without a Word per word
    # (`PageText.word_records`): the same bytes as the pinned extraction's words packed, the
    # same text and facts, and words read back as the catalog gives them.
    password = PASSWORDS.get(name)
    data = (CORPUS / name).read_bytes()
    stored = extract_pdf_bytes(data, name, password=password, ocr=False, word_records=True)
    pinned = extracted(name)
    assert [p.stored_words() for p in stored.pages] == [pack_words(p.words) for p in pinned.pages]
    assert [(p.text, p.label, p.width, p.height, p.rotation) for p in stored.pages] == [
        (p.text, p.label, p.width, p.height, p.rotation) for p in pinned.pages
    ]
    assert (stored.language, stored.title, stored.metadata) == (
        pinned.language,
        pinned.title,
        pinned.metadata,
    )
    for page, then in zip(stored.pages, pinned.pages, strict=True):
        assert page.words == unpack_words(pack_words(then.words))
        assert page.stored_words() == pack_words(then.words)  # once read, still the same


@pytest.mark.usefixtures("index_in_process")
def test_imported_files_store_the_pinned_extraction(workspace: Workspace) -> None:
    # End to end: what the catalog holds after an import is the extraction the digests pin
    # (three columns, soft hyphens and accents, a rotated page).
    names = [
        "federal_register_2020-17221_3col.pdf",
        "ferrario_review_soft_hyphens.pdf",
        "sainte_adele_proces_verbal_2023_fr.pdf",
        "senate_expenditures_rotated.pdf",
    ]
    case = workspace.cases.create("corpus").id
    outcomes = workspace.documents.import_many(case, [CORPUS / n for n in names], ocr=False)
    for name, outcome in zip(names, outcomes, strict=True):
        assert outcome.document is not None, outcome.error
        pages = workspace.documents.pages(outcome.document.id)
        pinned = extracted(name).pages
        assert [p.text for p in pages] == [p.text for p in pinned]
        assert [pack_words(p.words) for p in pages] == [pack_words(p.words) for p in pinned]
        assert [(p.label, p.rotation) for p in pages] == [(p.label, p.rotation) for p in pinned]
