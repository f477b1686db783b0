"""Leak tests: after export, nothing marked can be recovered from the PDF by any means.

Each test redacts real text (generated PDFs with metadata, attachments, forms, annotations,
JavaScript, hidden and off-page text; and the shared corpus: ligatures, hyphenation, an
attachment, an XFA form, a file MuPDF cannot scrub) and then looks for it with a scanner that
shares nothing with the export's own self-check: every page's text under several extraction
settings, the metadata, and the raw bytes of every decompressed object and stream.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from dossier.errors import PasswordRequired
from dossier.pdf.extract import TEXT_FLAGS, extract_pdf
from dossier.pdf.ocr import tessdata_dir
from dossier.redact.marks import PatternRule, RectRule, Rules, TermRule
from dossier.redact.produce import RedactedCopy, redacted_copy
from dossier.redact.selfcheck import SelfCheckReport, check_pdf, needles_for
from tests.pdfgen import scanned_page, text_page, write_pdf

_pdf: Any = pymupdf


def export_copy(
    path: Path,
    terms: list[str] = (),  # type: ignore[assignment]
    patterns: list[str] = (),  # type: ignore[assignment]
    *,
    rasterize: bool = False,
    password: str | None = None,
) -> RedactedCopy:
    pages = extract_pdf(path, ocr=False, password=password).pages
    rules = Rules(
        terms=tuple(TermRule(f"t{i}", "term", t) for i, t in enumerate(terms)),
        patterns=tuple(PatternRule(f"p{i}", p) for i, p in enumerate(patterns)),
    )
    return redacted_copy(
        path.read_bytes(), pages, rules, name=path.name, password=password, rasterize=rasterize
    )


def selfcheck(copy: RedactedCopy, terms: list[str], patterns: list[str] = ()) -> SelfCheckReport:  # type: ignore[assignment]
    report = SelfCheckReport()
    needles = needles_for([("term", t) for t in terms], [("pattern", p) for p in patterns])
    boxes = {i: plan.rects for i, plan in copy.plans.items()}
    check_pdf("out.pdf", copy.data, needles, boxes, report)
    return report


def _plain(text: str) -> str:
    """Text as a person searching it would see it: no case, accents, ligatures, hyphenation."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = re.sub(r"-\s*\n\s*", "", text)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w@.+]+", " ", kept).split())


def _has_word(haystack: str, word: str) -> bool:
    return re.search(r"(?<![a-z0-9])" + re.escape(word) + r"(?![a-z0-9])", haystack) is not None


def recoverable(data: bytes, secret: str) -> list[str]:
    """Independent scan: where `secret` can still be read, as a whole word, from the PDF."""
    return recoverable_each(data, [secret])[secret]


def recoverable_each(data: bytes, secrets: list[str]) -> dict[str, list[str]]:
    """`recoverable` for several secrets, reading the PDF once (a book's pages take seconds)."""
    hits: dict[str, list[str]] = {secret: [] for secret in secrets}
    forms = {}
    for secret in secrets:
        plain = _plain(secret)
        raw = [re.escape(secret.lower().encode("latin-1", "ignore")), re.escape(plain.encode())]
        raw_words = [re.compile(rb"(?<![a-z0-9])" + form + rb"(?![a-z0-9])") for form in raw]
        forms[secret] = (plain, raw_words, secret.encode("utf-16-be").lower())
    with _pdf.open(stream=data, filetype="pdf") as doc:
        for page in doc:
            for flags in (0, _pdf.TEXT_PRESERVE_LIGATURES, _pdf.TEXT_DEHYPHENATE):
                text = _plain(page.get_text("text", flags=flags, clip=_pdf.INFINITE_RECT()))
                for secret, (plain, _, _) in forms.items():
                    if _has_word(text, plain):
                        hits[secret].append(f"page {page.number + 1} text (flags {flags})")
        meta = " ".join(str(v) for v in (doc.metadata or {}).values() if v)
        meta = _plain(meta + " " + (doc.get_xml_metadata() or ""))
        names = [_plain(n) for n in doc.embfile_names()]
        for secret, (plain, _, _) in forms.items():
            if _has_word(meta, plain):
                hits[secret].append("metadata")
            if any(_has_word(name, plain) for name in names):
                hits[secret].append("attachment name")
        fonts = _font_programs(doc)
        for xref in range(1, doc.xref_length()):
            try:
                source = doc.xref_object(xref, compressed=False).lower().encode("latin-1", "ignore")
            except RuntimeError:
                continue
            blobs = [source]
            if doc.xref_is_stream(xref) and xref not in fonts and not doc.xref_is_image(xref):
                blobs.append(doc.xref_stream(xref).lower())
            for secret, (_, raw_words, utf16) in forms.items():
                if any(p.search(blob) for blob in blobs for p in raw_words) or any(
                    utf16 in blob for blob in blobs
                ):
                    hits[secret].append(f"object {xref}")
    return hits


def readable_in_text(data: bytes, secrets: list[str]) -> set[str]:
    """The secrets whose whole word a reader finds in the PDF's page text (under the flags
    `recoverable_each` reads with), reading pages only until each has been found."""
    wanted = {secret: _plain(secret) for secret in secrets}
    found: set[str] = set()
    with _pdf.open(stream=data, filetype="pdf") as doc:
        for page in doc:
            for flags in (0, _pdf.TEXT_PRESERVE_LIGATURES, _pdf.TEXT_DEHYPHENATE):
                text = _plain(page.get_text("text", flags=flags, clip=_pdf.INFINITE_RECT()))
                found |= {secret for secret, plain in wanted.items() if _has_word(text, plain)}
            if len(found) == len(wanted):
                break
    return found


def _font_programs(doc: Any) -> set[int]:
    """Embedded font files: glyph names ("copyright", "fi") are not text anyone wrote."""
    found: set[int] = set()
    for xref in range(1, doc.xref_length()):
        for key in ("FontFile", "FontFile2", "FontFile3"):
            kind, value = doc.xref_get_key(xref, key)
            if kind == "xref":
                found.add(int(value.split()[0]))
    return found


def words_of(data: bytes) -> Counter[str]:
    with _pdf.open(stream=data, filetype="pdf") as doc:
        return Counter(w[4] for page in doc for w in page.get_text("words", flags=TEXT_FLAGS))


# -- generated PDFs ----------------------------------------------------------------------------

SECRET = "Zorglubinov"


def _rich_pdf(path: Path) -> Path:
    """A PDF carrying the secret everywhere a PDF can carry text."""
    write_pdf(
        path,
        [
            text_page(
                f"Le témoin {SECRET} a parlé au juge. Contact : z.zorglub@example.org, "
                "tél. 06 12 34 56 78.",
                "Un deuxième paragraphe sans rien de secret, pour vérifier les voisins.",
            )
        ],
        metadata={"title": f"Note {SECRET}", "author": SECRET, "subject": "s", "keywords": SECRET},
        attachments={f"{SECRET}.txt": f"pièce jointe {SECRET}".encode()},
    )
    doc = pymupdf.open(path)
    page = doc[0]
    widget = pymupdf.Widget()
    widget.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
    widget.field_name = f"nom_{SECRET}"
    widget.field_value = f"{SECRET} (valeur)"
    widget.rect = pymupdf.Rect(72, 600, 300, 620)
    page.add_widget(widget)
    page.add_text_annot((400, 700), f"note sur {SECRET}")
    page.insert_text((72, 650), f"Texte invisible {SECRET}", render_mode=3)
    page.insert_text((72, -40), f"Hors page {SECRET}")
    doc.set_xml_metadata(f"<x:xmpmeta xmlns:x='adobe:ns:meta/'><d>{SECRET}</d></x:xmpmeta>")
    catalog = doc.pdf_catalog()
    js = doc.get_new_xref()
    doc.update_object(js, f"<</S/JavaScript/JS(app.alert('{SECRET}'))>>")
    doc.xref_set_key(catalog, "OpenAction", f"{js} 0 R")
    out = path.with_name("rich.pdf")
    doc.save(out, garbage=3)
    doc.close()
    return out


def test_generated_pdf_keeps_nothing_of_the_secret(tmp_path: Path) -> None:
    source = _rich_pdf(tmp_path / "base.pdf")
    # The secret really is everywhere before export: otherwise the test proves nothing.
    before = recoverable(source.read_bytes(), SECRET)
    assert {"metadata", "attachment name"} <= set(before)
    assert any(h.startswith("page 1 text") for h in before)
    copy = export_copy(source, [SECRET], ["email", "phone"])
    assert recoverable(copy.data, SECRET) == []
    assert recoverable(copy.data, "z.zorglub@example.org") == []
    assert recoverable(copy.data, "06 12 34 56 78") == []
    assert selfcheck(copy, [SECRET], ["email", "phone"]).ok
    with pymupdf.open(stream=copy.data, filetype="pdf") as doc:
        assert doc.embfile_count() == 0
        assert not list(doc[0].annots()) and not list(doc[0].widgets())
        assert doc.get_xml_metadata() == ""
        assert not any(v for k, v in doc.metadata.items() if k not in ("format", "encryption"))
        assert doc.xref_get_key(doc.pdf_catalog(), "OpenAction")[0] == "null"
        assert b"Producer" not in copy.data and b"PyMuPDF" not in copy.data
        assert b"MuPDF" not in copy.data
        text = doc[0].get_text()
    assert "Un deuxième paragraphe sans rien de secret" in " ".join(text.split())


def test_neighbouring_lines_are_untouched(tmp_path: Path) -> None:
    lines = [f"Ligne {i} : {SECRET} rencontre le maire devant la mairie." for i in range(30)]
    source = write_pdf(tmp_path / "dense.pdf", [text_page("\n".join(lines), fontsize=9)])
    before = words_of(source.read_bytes())
    copy = export_copy(source, [SECRET])
    after = words_of(copy.data)
    assert copy.counts["term"] == 30
    lost = before - after
    assert lost == Counter({SECRET: 30})


def test_rotated_page_is_redacted_along_its_lines(tmp_path: Path) -> None:
    source = write_pdf(
        tmp_path / "rot.pdf",
        [text_page(f"Sur une page tournée, {SECRET} signe le procès-verbal.", rotation=90)],
    )
    copy = export_copy(source, [SECRET])
    assert recoverable(copy.data, SECRET) == []
    assert words_of(source.read_bytes()) - words_of(copy.data) == Counter({SECRET: 1})


def test_rasterized_pages_stay_searchable_without_the_secret(tmp_path: Path) -> None:
    source = write_pdf(
        tmp_path / "r.pdf",
        [text_page(f"Le témoin {SECRET} a parlé au juge d’instruction."), text_page("Autre page.")],
    )
    copy = export_copy(source, [SECRET], rasterize=True)
    assert copy.rasterized == [0]
    assert recoverable(copy.data, SECRET) == []
    with pymupdf.open(stream=copy.data, filetype="pdf") as doc:
        assert doc[0].get_images()  # now a picture
        assert "juge" in doc[0].get_text()  # and still searchable
        assert "Autre page." in doc[1].get_text()
        assert not doc[1].get_images()
    assert selfcheck(copy, [SECRET]).ok


def test_image_pixels_under_a_box_are_blanked(tmp_path: Path) -> None:
    path = tmp_path / "img.pdf"
    doc = pymupdf.open()
    page = doc.new_page()
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 100, 100), False)
    pix.set_rect(pix.irect, (255, 0, 0))
    page.insert_image(pymupdf.Rect(100, 100, 300, 300), pixmap=pix)
    doc.save(path)
    doc.close()
    pages = extract_pdf(path, ocr=False).pages
    rules = Rules(rects=(RectRule("r", 0, ((150, 150, 250, 250),)),))
    copy = redacted_copy(path.read_bytes(), pages, rules, name="img.pdf")
    with pymupdf.open(stream=copy.data, filetype="pdf") as out:
        xref = out[0].get_images()[0][0]
        image = pymupdf.Pixmap(out, xref)
        centre = image.pixel(image.width // 2, image.height // 2)
        corner = image.pixel(2, 2)
    assert centre != (255, 0, 0)
    assert corner == (255, 0, 0)


# -- the shared corpus ---------------------------------------------------------------------------


@pytest.mark.slow  # a sweep of whole corpus files (the Lessig book alone takes ~20 s)
@pytest.mark.parametrize(
    ("name", "terms"),
    [
        ("mdpi_curroncol_ki67_ccby.pdf", ["fixation", "significant", "coefficient"]),
        ("freeculture_lessig_2004_book.pdf", ["film", "benefit", "culture"]),
        ("dmca_summary_memo_rc4_ownerpw.pdf", ["circumvention", "infringement"]),
        ("nist_sp800-223_hpc_security.pdf", ["performance", "postexecution"]),
    ],
)
def test_corpus_ligatures_and_hyphenation_leave_nothing(
    corpus: Path, name: str, terms: list[str]
) -> None:
    source = corpus / name
    original = source.read_bytes()
    copy = export_copy(source, terms)
    assert copy.counts["term"] > 0
    # Every term is there to be found before (else the test proves nothing), and nowhere after.
    assert readable_in_text(original, terms) == set(terms)
    after = recoverable_each(copy.data, terms)
    for term in terms:
        assert after[term] == [], term
    report = selfcheck(copy, terms)
    assert report.ok, report.summary()


def test_corpus_ligature_terms_were_really_set_with_ligatures(corpus: Path) -> None:
    with pymupdf.open(corpus / "mdpi_curroncol_ki67_ccby.pdf") as doc:
        raw = "".join(p.get_text(flags=pymupdf.TEXT_PRESERVE_LIGATURES) for p in doc)
    assert "ﬁxation" in raw and "signiﬁcant" in raw


def test_corpus_attachment_and_metadata_are_gone(corpus: Path) -> None:
    source = corpus / "lorem_with_attachment.pdf"
    with pymupdf.open(source) as doc:
        assert doc.embfile_count() == 1
    copy = export_copy(source, ["lorem"])
    with pymupdf.open(stream=copy.data, filetype="pdf") as doc:
        assert doc.embfile_count() == 0
    assert recoverable(copy.data, "image.png") == []
    assert recoverable(copy.data, "lorem") == []


def test_corpus_xfa_form_with_javascript_is_emptied(corpus: Path) -> None:
    source = corpus / "dd0293_form_xfa_javascript.pdf"
    copy = export_copy(source, ["discharge"])
    with pymupdf.open(stream=copy.data, filetype="pdf") as doc:
        assert doc.xref_get_key(doc.pdf_catalog(), "AcroForm")[0] == "null"
        assert not any(list(page.widgets()) for page in doc)
        assert not doc.is_encrypted
    assert recoverable(copy.data, "discharge") == []
    assert b"/JavaScript" not in copy.data and b"xfa" not in copy.data.lower()
    assert selfcheck(copy, ["discharge"]).ok


@pytest.mark.slow  # the export reads the file's eleven figures: ~19 CPU-s
def test_corpus_unscrubbable_file_falls_back_and_passes(corpus: Path) -> None:
    source = corpus / "federal_register_2020-17221_3col.pdf"
    copy = export_copy(source, ["Boeing", "airplane"])
    assert copy.fallback is not None and "rebuilt" in copy.fallback
    assert recoverable_each(copy.data, ["Boeing", "airplane"]) == {"Boeing": [], "airplane": []}
    assert selfcheck(copy, ["Boeing", "airplane"]).ok
    with pymupdf.open(stream=copy.data, filetype="pdf") as doc:
        assert doc.page_count == 15
        assert "Federal Register" in doc[0].get_text()


@pytest.mark.slow  # a sweep of six corpus files
@pytest.mark.parametrize(
    "name",
    [
        "sec_edgar_engagement_letter_2023.pdf",
        "grasshopper_multilingual_highlights.pdf",
        "sainte_adele_proces_verbal_2023_fr.pdf",
        "zen_of_python_corrupted_rotated.pdf",
        "scan_bad_trailing_garbage.pdf",
        "geotopo_lecture_notes_de.pdf",
    ],
)
def test_corpus_metadata_and_annotations_everywhere(corpus: Path, name: str) -> None:
    copy = export_copy(corpus / name, [])
    with pymupdf.open(stream=copy.data, filetype="pdf") as doc:
        assert not any(v for k, v in doc.metadata.items() if k not in ("format", "encryption"))
        assert doc.get_xml_metadata() == ""
        assert not any(list(page.annots()) or page.get_links() for page in doc)
    assert selfcheck(copy, []).ok


@pytest.mark.slow  # a full-page scan read by OCR: ~8 CPU-s
def test_corpus_ocr_layer_survives_as_dossiers_own(corpus: Path) -> None:
    source = corpus / "linnsequencer_scan_ocr_layer_2col.pdf"
    copy = export_copy(source, ["MIDI"])
    assert recoverable(copy.data, "MIDI") == []
    with pymupdf.open(stream=copy.data, filetype="pdf") as doc:
        text = doc[0].get_text()
        assert doc[0].get_images()
    assert "Sequence Recorder" in " ".join(text.split())


def test_corpus_password_protected_original(corpus: Path) -> None:
    source = corpus / "lorem_encrypted_openpassword.pdf"
    with pytest.raises(PasswordRequired):
        redacted_copy(source.read_bytes(), [], Rules(), name=source.name)
    copy = export_copy(source, ["lorem"], password="openpassword")
    with pymupdf.open(stream=copy.data, filetype="pdf") as doc:
        assert not doc.needs_pass and not doc.is_encrypted
    assert recoverable(copy.data, "lorem") == []


@pytest.mark.ocr
def test_rasterized_scan_gets_an_ocr_layer(tmp_path: Path) -> None:
    if tessdata_dir() is None:
        pytest.skip("no Tesseract language data")
    source = write_pdf(
        tmp_path / "scan.pdf",
        [scanned_page("Le rapport du commissariat central", "Signature illisible en bas")],
    )
    pages = extract_pdf(source, ocr=False).pages  # imported without OCR: no word map
    assert pages[0].words == []
    rules = Rules(rects=(RectRule("r", 0, ((40, 700, 560, 800),)),))
    copy = redacted_copy(source.read_bytes(), pages, rules, name="scan.pdf", rasterize=True)
    assert copy.rasterized == [0]
    with pymupdf.open(stream=copy.data, filetype="pdf") as doc:
        text = doc[0].get_text().casefold()
    assert "commissariat" in text
