"""A redacted copy carries nothing that identifies the original file, only what its pages show.

A document system that hands each reader a copy of its own can tell the copies apart by what
their writer put in the file besides the pages: the trailer's /ID (whose first string the PDF
standard makes a permanent identifier of the file, kept by every later save) and the tags of
its font subsets ("VJKYIU+DejaVuSans", six random letters per writing). Published, a redacted
copy still holding either points at the copy, and so at the source who had it.
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated.)

from __future__ import annotations

import io
import re
from pathlib import Path

import pymupdf
import pytest
from PIL import Image

from dossier.pdf.extract import extract_pdf_bytes
from dossier.redact.marks import Rules, TermRule
from dossier.redact.produce import redacted_copy
from dossier.resources import resource_path

COPY_ID = "5EC12E7C09A1B2C3D4E5F60718293A4B"
"""The /ID a document system stamped on the source's copy."""
_TAG = re.compile(rb"[A-Z]{6}\+")


def _handed_out_copy() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_font(fontname="dv", fontfile=str(resource_path("fonts", "DejaVuSans.ttf")))
    page.insert_text((72, 72), "Note interne remise par Quartermaine au port.", fontname="dv")
    page.insert_text((72, 96), "Le chantier a pris six mois de retard.", fontname="dv")
    doc.subset_fonts()
    doc.xref_set_key(-1, "ID", f"[<{COPY_ID}><{COPY_ID}>]")
    data: bytes = doc.tobytes(garbage=3, deflate=True)
    doc.close()
    return data


def _identifiers(data: bytes) -> set[bytes]:
    """The trailer's /ID strings and the font subset tags of a PDF."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        found = set(re.findall(r"<([0-9A-Fa-f]+)>", doc.xref_get_key(-1, "ID")[1]))
        expanded = doc.tobytes(expand=True)
    return {i.upper().encode() for i in found} | set(_TAG.findall(expanded))


@pytest.mark.parametrize("terms", [(), ("Quartermaine",)], ids=["no mark", "a term"])
def test_a_redacted_copy_keeps_no_identifier_of_the_original_file(terms: tuple[str, ...]) -> None:
    original = _handed_out_copy()
    before = _identifiers(original)
    assert COPY_ID.encode() in before and any(_TAG.fullmatch(i) for i in before)
    pages = extract_pdf_bytes(original, "copie.pdf", ocr=False).pages
    rules = Rules(terms=tuple(TermRule("m", "term", t) for t in terms))
    copy = redacted_copy(original, pages, rules, name="copie.pdf")
    assert _identifiers(copy.data) & before == set()
    with pymupdf.open(stream=copy.data, filetype="pdf") as doc:
        text = doc[0].get_text()
        assert "chantier a pris six mois" in text  # the pages still read the same
        assert doc.xref_get_key(-1, "ID")[0] == "array"  # a fresh /ID of its own
    assert ("Quartermaine" in text) == (not terms)


def test_the_rebuilt_copy_of_an_unscrubbable_file_keeps_no_identifier(corpus: Path) -> None:
    original = (corpus / "federal_register_2020-17221_3col.pdf").read_bytes()
    before = _identifiers(original)
    pages = extract_pdf_bytes(original, "register.pdf", ocr=False).pages
    copy = redacted_copy(original, pages, Rules(), name="register.pdf")
    assert copy.fallback is not None and "rebuilt" in copy.fallback
    assert _identifiers(copy.data) & before == set()


def test_keys_a_document_system_adds_do_not_leave() -> None:
    """Entries no page needs, written where a reader's tool looks last: the catalog, the page
    tree, each page, each picture, each font (a copy number, a date of the copy)."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "Le chantier a pris six mois de retard.")
    picture = io.BytesIO()
    Image.new("RGB", (40, 40), "grey").save(picture, "PNG")
    page.insert_image(pymupdf.Rect(100, 100, 200, 200), stream=picture.getvalue())
    page.insert_font(fontname="dv", fontfile=str(resource_path("fonts", "DejaVuSans.ttf")))
    page.insert_text((72, 300), "Le port attend sa grue.", fontname="dv")
    doc = pymupdf.open(stream=doc.tobytes(), filetype="pdf")  # the font's objects written
    page = doc[0]
    image = page.get_images()[0][0]
    font = next(f[0] for f in page.get_fonts() if "DejaVu" in f[3])
    descriptor = next(
        x
        for x in range(1, doc.xref_length())
        if doc.xref_get_key(x, "Type")[1] == "/FontDescriptor"
    )
    pages_root = doc.xref_get_key(doc.pdf_catalog(), "Pages")[1].split()[0]
    for xref, key in [
        (doc.pdf_catalog(), "CopyOne"),
        (int(pages_root), "CopyTwo"),
        (page.xref, "CopyThree"),
        (page.xref, "LastModified"),
        (image, "LastModified"),
        (image, "PieceInfo"),
        (font, "CopyFour"),
        (descriptor, "CopyFive"),
    ]:
        doc.xref_set_key(xref, key, f"(EXEMPLAIRE-{xref}-{key})")
    original = doc.tobytes()
    doc.close()
    pages = extract_pdf_bytes(original, "copie.pdf", ocr=False).pages
    copy = redacted_copy(original, pages, Rules(), name="copie.pdf")
    with pymupdf.open(stream=copy.data, filetype="pdf") as doc:
        expanded = doc.tobytes(expand=True)
        assert "chantier a pris six mois" in doc[0].get_text()
        assert "Le port attend sa grue." in doc[0].get_text()
        assert len(doc[0].get_images()) == 1
    assert b"EXEMPLAIRE" not in expanded


def _writer_tags(data: bytes) -> set[str]:
    """The subset tags the writer gave the fonts of a PDF (in their dictionaries' names)."""
    found = set()
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        for xref in range(1, doc.xref_length()):
            for key in ("BaseFont", "FontName"):
                kind, value = doc.xref_get_key(xref, key)
                if kind == "name" and re.match(r"/[A-Z]{6}\+", value):
                    found.add(value[1:7])
    return found


@pytest.mark.parametrize(
    "name",
    [
        "lorem_with_attachment.pdf",  # Type 1: the tag in the program's clear text
        "senate_expenditures_rotated.pdf",  # TrueType: its name table, also in UTF-16
        "ferrario_review_soft_hyphens.pdf",  # CFF: its name index; TeX's CMaps name it too
        "nist_sp800-223_hpc_security.pdf",  # TrueType names written end to end: "MTFGBLHT+"
    ],
)
def test_the_font_programs_keep_no_tag_of_the_original(corpus: Path, name: str) -> None:
    """A font subset's program carries its name too, tag included (a TrueType's name table,
    a CFF's name index, a Type 1's clear text): anyone extracting the embedded font reads the
    tag the source's copy was written with, whatever the font's dictionaries say."""
    original = (corpus / name).read_bytes()
    tags = _writer_tags(original)
    with pymupdf.open(stream=original, filetype="pdf") as doc:
        expanded = doc.tobytes(expand=True)
        shown = [page.get_text() for page in doc]
    held = {t for t in tags if (t + "+").encode() in expanded}
    assert held, "the original's font programs carry their tags"
    pages = extract_pdf_bytes(original, name, ocr=False).pages
    copy = redacted_copy(original, pages, Rules(), name=name)
    assert copy.fallback is None
    with pymupdf.open(stream=copy.data, filetype="pdf") as doc:
        expanded = doc.tobytes(expand=True)
        assert [page.get_text() for page in doc] == shown  # the fonts still read the same
    for tag in tags:
        for encoding in ("ascii", "utf-16-be"):
            assert tag.encode(encoding) not in expanded, (tag, encoding)


def test_a_font_name_written_as_an_object_of_its_own_is_retagged() -> None:
    """`/BaseFont 12 0 R`, the name in an object of its own (as some TeX writers do)."""
    with pymupdf.open(stream=_handed_out_copy(), filetype="pdf") as doc:
        for xref in range(1, doc.xref_length()):
            kind, value = doc.xref_get_key(xref, "BaseFont")
            if kind == "name":
                named = doc.get_new_xref()
                doc.update_object(named, value)
                doc.xref_set_key(xref, "BaseFont", f"{named} 0 R")
        original = doc.tobytes()
    tags = {t.decode() for t in _TAG.findall(original)}
    assert tags
    pages = extract_pdf_bytes(original, "copie.pdf", ocr=False).pages
    copy = redacted_copy(original, pages, Rules(), name="copie.pdf")
    with pymupdf.open(stream=copy.data, filetype="pdf") as doc:
        expanded = doc.tobytes(expand=True)
        assert "chantier a pris six mois" in doc[0].get_text()
    assert not [t for t in tags if t.encode() in expanded]
