"""A redacted photo or Word/text document leaves as a redacted PDF, checked as its recipient
would: the photo's pixels under a box are really gone (uniform), no word from under a box or of
a term is anywhere in the bundle, and nothing of the original file (EXIF, place, author) goes
with it."""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated.)

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import docx
import pymupdf
import pytest

from dossier.errors import UsageError
from dossier.ingest.layout import table_text
from dossier.pdf.render import RenderedPage
from dossier.pdf.textpdf import text_to_pdf
from dossier.services.export.service import ExportRequest
from dossier.services.workspace import Workspace
from tests.photos import SENTENCE, phone_photo
from tests.recipient import leaks, read_bundle

PLACE = "Quai Ornithorynque"
"""Where the photo was taken, as a camera's comment would say it."""


def _with_comment(jpeg: bytes, text: str) -> bytes:
    payload = text.encode()
    return jpeg[:2] + b"\xff\xfe" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def _pdfs(bundle: Path) -> list[bytes]:
    with zipfile.ZipFile(bundle) as archive:
        return [archive.read(n) for n in archive.namelist() if n.endswith(".pdf")]


def test_a_boxed_photo_leaves_with_its_pixels_removed_and_nothing_of_the_file(
    workspace: Workspace, tmp_path: Path
) -> None:
    photo = phone_photo(tmp_path, rotate=0, orientation=1)
    photo.write_bytes(_with_comment(photo.read_bytes(), PLACE))
    case = workspace.cases.create("Photo").id
    info = workspace.documents.import_file(case, photo)
    (page,) = workspace.documents.pages(info.id)
    by_word = {page.text[w.start : w.end]: w.rect for w in page.words}
    box = by_word["caméra"]
    workspace.redactions.add_rect(info.id, 0, [box])
    workspace.redactions.add_term("contract", case=case)
    out = tmp_path / "bundle.zip"
    result = workspace.exports.export(ExportRequest(case=case, out=out))
    assert [d.doc_id for d in result.documents] == [info.id]
    assert result.documents[0].redactions["rect"] == 1
    # Read as the recipient would: no word under the box, no term, nothing of the file.
    assert leaks(out, ["caméra", "contract", PLACE]) == []
    texts = " ".join(read_bundle(out).values())
    assert "prefet" in texts and "mayor" in texts  # the rest is still searchable
    (pdf,) = _pdfs(out)
    assert b"Exif" not in pdf and PLACE.encode() not in pdf
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        assert doc.page_count == 1
        shown = doc[0]
        assert (shown.rect.width, shown.rect.height) == pytest.approx((page.width, page.height))
        (image,) = shown.get_images(full=True)
        raw = doc.extract_image(image[0])
        assert b"Exif" not in raw["image"] and PLACE.encode() not in raw["image"]
        pixels = pymupdf.Pixmap(raw["image"])
    # The picture keeps its resolution, and every pixel inside the box is one colour.
    original = pymupdf.Pixmap(photo.read_bytes())
    assert (pixels.width, pixels.height) == (original.width, original.height)
    scale = pixels.width / page.width
    x0, y0, x1, y1 = (round(v * scale) for v in box)
    inside = {pixels.pixel(x, y) for x in range(x0 + 1, x1 - 1) for y in range(y0 + 1, y1 - 1)}
    assert len(inside) == 1
    # Outside the box the photo is intact: the sentence's other words are still there in ink.
    around = {pixels.pixel(x, y) for x in range(0, x0) for y in range(y0, y1)}
    assert len(around) > 2


def _docx(paragraphs: list[str], author: str) -> bytes:
    document = docx.Document()
    document.core_properties.author = author
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_file_with_marks_leaves_as_a_typeset_redacted_pdf(
    workspace: Workspace, tmp_path: Path
) -> None:
    source = "Hyacinthe Quartermaine"
    data = _docx(
        [
            f"Compte rendu : {source} a remis les pièces au greffe.",
            "Le marché public du port a été signé le 3 mars ; écrire à q.h@exemple.org.",
            *["Ligne ordinaire sur la météo. " * 40] * 8,
        ],
        author="Auteur Zygomatique",
    )
    case = workspace.cases.create("Word").id
    info = workspace.documents.import_bytes(case, data, "compte-rendu.docx")
    workspace.people.add(case, source, protection="protected")
    workspace.redactions.add_pattern("email", case=case)
    workspace.redactions.add_term("marché public", case=case)
    out = tmp_path / "bundle.zip"
    result = workspace.exports.export(ExportRequest(case=case, out=out))
    assert [d.doc_id for d in result.documents] == [info.id]
    found = leaks(out, ["Hyacinthe", "Quartermaine", "marché public", "q.h@exemple.org"])
    assert found == []
    assert leaks(out, ["Zygomatique"]) == []  # the Word file's own metadata stays home
    (pdf,) = _pdfs(out)
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        text = " ".join(page.get_text() for page in doc)
        assert doc.page_count >= 2  # long paragraphs flow onto more pages
    assert "a remis les pièces au" in " ".join(text.split())
    assert "météo" in text


def _structured_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Rapport Hyacinthe sur le port", 1)
    document.add_heading("Les versements", 2)
    document.add_paragraph("Le paragraphe ordinaire du rapport.")
    document.add_paragraph("premier versement Hyacinthe en liquide", style="List Bullet")
    document.add_paragraph("deuxième versement par virement", style="List Bullet")
    document.add_paragraph("réunion au port", style="List Number")
    document.add_paragraph("signature du marché", style="List Number")
    table = document.add_table(rows=3, cols=3)
    rows = [
        ["Bénéficiaire", "Montant", "Date"],
        ["Hyacinthe", "12000", "mars"],
        ["Gaspard", "800", "avril"],
    ]
    for row, cells in enumerate(rows):
        for column, cell in enumerate(cells):
            table.cell(row, column).text = cell
    document.add_paragraph("Fin du rapport.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _spans(page: pymupdf.Page) -> dict[str, tuple[float, float]]:
    """Each line's text: its font size and left edge."""
    found = {}
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            text = " ".join("".join(s["text"] for s in line["spans"]).split())
            if text:
                found[text] = (line["spans"][0]["size"], line["bbox"][0])
    return found


def test_a_word_file_leaves_with_its_headings_lists_and_table_and_only_its_marks_covered(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = workspace.cases.create("Structure").id
    info = workspace.documents.import_bytes(case, _structured_docx(), "rapport.docx")
    workspace.redactions.add_term("Hyacinthe", case=case)
    out = tmp_path / "bundle.zip"
    result = workspace.exports.export(ExportRequest(case=case, out=out))
    assert [d.doc_id for d in result.documents] == [info.id]
    assert leaks(out, ["Hyacinthe"]) == []  # in the heading, the list and the table
    (pdf,) = _pdfs(out)
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        page = doc[0]
        lines = _spans(page)
        text = page.get_text()
        # The table's rules are thin filled rectangles (a black box is not thin).
        grid = [d for d in page.get_drawings() if min(d["rect"].width, d["rect"].height) < 1]
    body_size, body_left = lines["Le paragraphe ordinaire du rapport."]
    # Headings: set larger than the text, the first level larger than the second, no "===".
    assert lines["Les versements"][0] > body_size
    heading = next(t for t in lines if t.startswith("Rapport") and "port" in t)
    assert lines[heading][0] > lines["Les versements"][0]
    assert "===" not in text and "---" not in text
    # Lists: bullets and numbers kept, indented from the text.
    bullet = next(t for t in lines if t.startswith("• deuxième versement"))
    assert lines[bullet][1] > body_left
    assert "1. réunion au port" in lines and "2. signature du marché" in lines
    # The table: cells ruled, one word per cell on a row, no " | " left.
    assert len(grid) >= 9 and " | " not in text
    row = [t for t in lines if t in ("Gaspard", "800", "avril")]
    assert len(row) == 3 and len({lines[t][1] for t in row}) == 3
    # The boxes covered the marked word only: its neighbours in the heading, the list item and
    # the table row are all still there.
    flat = " ".join(text.split())
    for kept in ("Rapport", "sur le port", "premier versement", "en liquide", "12000", "mars"):
        assert kept in flat, kept
    assert result.documents[0].redactions["term"] == 3


def test_plain_text_and_email_are_exported_too_but_archive_listings_are_not(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = workspace.cases.create("Textes").id
    note = workspace.documents.import_bytes(
        case, b"Note : le Castorama secret du directeur.\n", "note.txt"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("inner.txt", "Texte du fichier Castorama interne.")
    listing = workspace.documents.import_bytes(case, buffer.getvalue(), "envoi.zip")
    (member,) = workspace.documents.children(listing.id)
    workspace.redactions.add_term("Castorama", case=case)
    out = tmp_path / "bundle.zip"
    result = workspace.exports.export(ExportRequest(case=case, out=out))
    assert {d.doc_id for d in result.documents} == {note.id, member.id}
    assert result.skipped == [listing.id]
    assert leaks(out, ["Castorama"]) == []
    with pytest.raises(UsageError, match="archive or a mailbox"):
        workspace.exports.export(
            ExportRequest(case=case, out=tmp_path / "x.zip", doc_ids=(listing.id,))
        )


def test_a_box_drawn_on_a_text_document_refuses_its_export(
    workspace: Workspace, tmp_path: Path
) -> None:
    # A box on a document without pages of its own has nowhere to go: it must not vanish.
    case = workspace.cases.create("Boîte").id
    note = workspace.documents.import_bytes(case, f"{SENTENCE}\n".encode(), "note.txt")
    workspace.redactions.add_rect(note.id, 0, [(10.0, 10.0, 80.0, 30.0)])
    out = tmp_path / "bundle.zip"
    with pytest.raises(UsageError, match="drawn boxes"):
        workspace.exports.export(ExportRequest(case=case, out=out))
    assert not out.exists()


def _black_share(page: RenderedPage) -> float:
    pixels = page.samples
    dark = sum(1 for i in range(0, len(pixels), 3) if pixels[i] < 30 and pixels[i + 1] < 30)
    return dark / (len(pixels) / 3)


def test_the_export_preview_draws_photos_and_typeset_text_pages(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = workspace.cases.create("Aperçu").id
    photo = workspace.documents.import_file(case, phone_photo(tmp_path, rotate=0, orientation=1))
    (page,) = workspace.documents.pages(photo.id)
    box = next(w.rect for w in page.words if page.text[w.start : w.end] == "caméra")
    workspace.redactions.add_rect(photo.id, 0, [box])
    note = workspace.documents.import_bytes(case, ("Castorama " * 400).encode(), "note.txt")
    workspace.redactions.add_term("Castorama", case=case)
    drawn = workspace.previews.redacted_page(photo.id, 0, 0.5)
    x0, y0, x1, y1 = (round(v * drawn.zoom) for v in box)
    inside = {
        drawn.samples[y * drawn.stride + 3 * x : y * drawn.stride + 3 * x + 3]
        for x in range(x0 + 2, x1 - 2)
        for y in range(y0 + 2, y1 - 2)
    }
    assert inside == {b"\x00\x00\x00"}  # the box, black, where it was drawn
    typeset = workspace.previews.redacted_page(note.id, 0, 0.5)
    assert typeset.width > 0 and _black_share(typeset) > 0.05  # every word is a black box


@pytest.mark.slow
def test_a_photo_turned_to_read_upright_leaves_upright_with_its_box_in_place(
    workspace: Workspace, tmp_path: Path
) -> None:
    photo = phone_photo(tmp_path, rotate=90, orientation=None)
    case = workspace.cases.create("De travers").id
    info = workspace.documents.import_file(case, photo)
    assert info.metadata["turned"] == "270"
    (page,) = workspace.documents.pages(info.id)
    box = next(w.rect for w in page.words if page.text[w.start : w.end] == "caméra")
    workspace.redactions.add_rect(info.id, 0, [box])
    out = tmp_path / "bundle.zip"
    workspace.exports.export(ExportRequest(case=case, out=out))
    assert leaks(out, ["caméra"]) == []
    (pdf,) = _pdfs(out)
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        shown = doc[0]
        assert shown.rect.height > shown.rect.width  # upright, like the page its words were read on
        pixels = shown.get_pixmap(dpi=72)
    x0, y0, x1, y1 = (round(v) for v in box)
    inside = {pixels.pixel(x, y) for x in range(x0 + 1, x1 - 1) for y in range(y0 + 1, y1 - 1)}
    assert inside == {(0, 0, 0)}


def test_a_table_row_with_empty_last_cells_stays_in_the_table() -> None:
    # `layout` trims a row's end, so a row whose last cells are empty ends in " |".
    text = table_text([["Qui", "Quoi", "Où"], ["Gaspard", "", ""], ["Ida", "lettre", "Brest"]])
    with pymupdf.open(stream=text_to_pdf([text]), filetype="pdf") as doc:
        lines = _spans(doc[0])
        grid = [d for d in doc[0].get_drawings() if min(d["rect"].width, d["rect"].height) < 1]
    assert "|" not in "".join(lines) and len(grid) >= 9
    assert lines["Qui"][1] == lines["Gaspard"][1] == lines["Ida"][1]
    assert lines["Quoi"][1] == lines["lettre"][1]


WIDE = "Anticonstitutionnellement"
"""A word no line break can split: nine of them side by side are wider than the sheet."""


def _wide_pages() -> list[str]:
    token = "Z" * 160  # a hash, a key: no place to break it
    cells = [[f"col{c}" for c in range(9)], [f"{WIDE}{c}" for c in range(9)]]
    return [table_text(cells) + "\n\nAvant " + token + " après", "Page " + "x" * 150]


def test_a_table_or_a_word_wider_than_the_sheet_is_set_whole_within_it() -> None:
    pages = _wide_pages()
    with pymupdf.open(stream=text_to_pdf(pages), filetype="pdf") as doc:
        sheet = doc[0].rect
        words = [w for page in doc for w in page.get_text("words")]
    # Every word of the text is found whole (none cut at the sheet's edge), inside the sheet.
    expected = [w for text in pages for w in text.split() if w not in ("|", "=")]
    assert sorted(w[4] for w in words) == sorted(expected)
    assert all(sheet.contains(pymupdf.Rect(w[:4])) for w in words)


def test_a_wide_word_table_leaves_whole_with_only_its_mark_covered(
    workspace: Workspace, tmp_path: Path
) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=9)
    for column in range(9):
        table.cell(0, column).text = f"col{column}"
        table.cell(1, column).text = f"{WIDE}{column}"
    out_docx = io.BytesIO()
    document.save(out_docx)
    case = workspace.cases.create("Large").id
    workspace.documents.import_bytes(case, out_docx.getvalue(), "large.docx")
    workspace.redactions.add_term(f"{WIDE}8", case=case)
    out = tmp_path / "bundle.zip"
    workspace.exports.export(ExportRequest(case=case, out=out))
    assert leaks(out, [f"{WIDE}8"]) == []
    (pdf,) = _pdfs(out)
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        found = {w[4] for w in doc[0].get_text("words")}
    kept = {f"col{c}" for c in range(9)} | {f"{WIDE}{c}" for c in range(8)}
    assert kept <= found
