"""Photos and scans: OCR'd in French and English, EXIF orientation applied, words in the word
map so that search and quote anchors land on the photo; WebP read through Pillow (HEIC:
test_heic.py)."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pymupdf
import pytest

from dossier.errors import InputRefused
from dossier.ingest.image_file import exif_date
from dossier.pdf import orient
from dossier.pdf.images import image_to_pdf
from dossier.pdf.open import close_pdf
from dossier.pdf.render import open_stored_pdf, render_page
from dossier.services.workspace import Workspace
from tests.photos import ink, phone_photo, photo_pixels

_ORIENTATION_ROTATE_90_CW = 6


def test_sideways_phone_photo_with_exif_orientation_reads_upright(
    workspace: Workspace, tmp_path: Path
) -> None:
    # The pixels are stored turned a quarter left; EXIF says "turn a quarter right to show".
    photo = phone_photo(tmp_path, rotate=-90, orientation=_ORIENTATION_ROTATE_90_CW)
    case = workspace.cases.create("Photos").id
    info = workspace.documents.import_file(case, photo)
    assert info.mime == "image/jpeg" and info.ocr_pages == 1
    # No title of its own, and the camera's file name is no title: its first line of text.
    assert info.title.startswith("Le préfet reconnaît")
    assert info.date == "2023-11-20"
    assert info.metadata["date_source"] == "the date the photo was taken"
    (page,) = workspace.documents.pages(info.id)
    assert page.height > page.width  # upright: a portrait page
    # The viewer makes the same page from the stored original: the word boxes fit it.
    shown = open_stored_pdf(workspace.documents.original(info.id))
    assert (shown[0].rect.width, shown[0].rect.height) == pytest.approx((page.width, page.height))
    close_pdf(shown)
    assert "caméra filmait" in " ".join(page.text.split())
    hits = workspace.search.query("caméra", case=case)
    assert [h.doc_id for h in hits] == [info.id]
    quote = workspace.quotes.add(case, "la caméra filmait la cour du collège", source=info.id)
    assert quote.verdict in ("verbatim", "normalized")
    (span,) = quote.spans
    assert span.rects
    for x0, y0, x1, y1 in span.rects:
        # The sentence is the first paragraph: its boxes are on the page, in its top part.
        assert 0 <= x0 < x1 <= page.width and 0 <= y0 < y1 <= page.height / 2


def test_scan_as_png_and_multipage_tiff(workspace: Workspace, tmp_path: Path) -> None:
    pixels = photo_pixels(tmp_path, 0)
    png = tmp_path / "scan.png"
    png.write_bytes(pixels.tobytes("png"))
    case = workspace.cases.create("Scans").id
    info = workspace.documents.import_file(case, png)
    assert info.mime == "image/png" and info.page_count == 1
    assert workspace.search.query("contract", case=case)


def _webp(pixels: pymupdf.Pixmap, **options: object) -> bytes:
    from PIL import Image  # Pillow loads only where WebP is made

    picture = Image.frombytes("RGB", (pixels.width, pixels.height), pixels.samples)
    out = io.BytesIO()
    picture.save(out, format="WEBP", **options)
    return out.getvalue()


def test_a_webp_picture_is_read_like_any_photo(workspace: Workspace, tmp_path: Path) -> None:
    # Made at test time with Pillow; named .bin: the content says what it is.
    data = _webp(photo_pixels(tmp_path, 0), quality=90)
    case = workspace.cases.create("WebP").id
    info = workspace.documents.import_bytes(case, data, "capture.bin")
    assert info.mime == "image/webp" and info.ocr_pages == 1
    assert [h.doc_id for h in workspace.search.query("caméra", case=case)] == [info.id]
    (page,) = workspace.documents.pages(info.id)
    shown = render_page(workspace.documents.shown(info.id), 0, 0.5)
    assert abs(shown.width - page.width * 0.5) <= 1
    quote = workspace.quotes.add(case, "la caméra filmait la cour du collège", source=info.id)
    (span,) = quote.spans
    assert all(ink(shown, rect) > 0.05 for rect in span.rects)


def _webp_claiming(width: int, height: int) -> bytes:
    """A lossless WebP header claiming `width` × `height` (the most WebP allows: 16,384)."""
    bits = (width - 1) | (height - 1) << 14
    chunk = b"\x2f" + struct.pack("<I", bits) + bytes(16)
    body = b"WEBP" + b"VP8L" + struct.pack("<I", len(chunk)) + chunk
    return b"RIFF" + struct.pack("<I", len(body)) + body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_webp_claiming(16_384, 16_384), "16384 × 16384 pixels"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 " + bytes(100), "damaged image"),
    ],
)
def test_a_webp_bomb_or_damaged_webp_is_refused_in_one_sentence(
    workspace: Workspace, data: bytes, message: str
) -> None:
    case = workspace.cases.create("WebP piégé").id
    with pytest.raises(InputRefused, match=message):
        workspace.documents.import_bytes(case, data, "piege.webp")
    assert workspace.documents.of_case(case) == []


def test_damaged_image_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    data = photo_pixels(tmp_path, 0).tobytes("png")
    case = workspace.cases.create("Abîmé").id
    with pytest.raises(InputRefused, match="damaged image"):
        workspace.documents.import_bytes(case, data[:200], "coupe.png")


def test_exif_date_needs_an_exif_block() -> None:
    assert exif_date(b"\xff\xd8\xff\xe0 2023:11:20 09:41:07\x00") is None


def test_corpus_images_are_read(workspace: Workspace, ingest_corpus: Path) -> None:
    case = workspace.cases.create("Corpus").id
    scan = workspace.documents.import_file(case, ingest_corpus / "jpg_scan_multilingual_fr.jpg")
    tiff = workspace.documents.import_file(case, ingest_corpus / "tif_multipage.tif")
    assert tiff.page_count == 2
    assert {h.doc_id for h in workspace.search.query("renard", case=case)} == {scan.id}
    assert {h.doc_id for h in workspace.search.query("multipage", case=case)} == {tiff.id}


@pytest.mark.parametrize(
    ("stored", "turn", "readings"),
    [
        (180, "180", [90, 270, 180]),
        pytest.param(90, "270", [90, 270], marks=pytest.mark.slow),
        pytest.param(-90, "90", [90], marks=pytest.mark.slow),
    ],
)
def test_a_photo_taken_sideways_or_upside_down_without_exif_reads_upright(
    workspace: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    stored: int,
    turn: str,
    readings: list[int],
) -> None:
    # No EXIF tag says how to hold it: only the text itself does.
    photo = phone_photo(tmp_path, rotate=stored, orientation=None)
    case = workspace.cases.create("Photos de travers").id
    read: list[int] = []
    reading = orient._turned_reading
    monkeypatch.setattr(orient, "_turned_reading", lambda *a: read.append(a[2]) or reading(*a))
    info = workspace.documents.import_file(case, photo)
    assert info.metadata["turned"] == turn
    assert read == readings  # the turn that reads as prose ends the search (0.5 s a reading)
    (page,) = workspace.documents.pages(info.id)
    assert page.height > page.width and page.rotation == 0  # upright, in upright coordinates
    assert "caméra filmait" in " ".join(page.text.split())
    assert info.title.startswith("Le préfet reconnaît")
    assert [h.doc_id for h in workspace.search.query("caméra", case=case)] == [info.id]
    # The viewer draws the page the words were read on: same size, the words under their boxes.
    shown = render_page(workspace.documents.shown(info.id), 0, 0.5)
    assert abs(shown.width - page.width * 0.5) <= 1 and abs(shown.height - page.height * 0.5) <= 1
    quote = workspace.quotes.add(case, "la caméra filmait la cour du collège", source=info.id)
    assert quote.verdict in ("verbatim", "normalized")
    (span,) = quote.spans
    for rect in span.rects:
        x0, y0, x1, y1 = rect
        assert 0 <= x0 < x1 <= page.width and 0 <= y0 < y1 <= page.height / 2
        assert ink(shown, rect) > 0.05  # ink under the box: it sits on the words


def test_an_upright_photo_without_exif_is_read_once_and_not_turned(
    workspace: Workspace, tmp_path: Path
) -> None:
    photo = phone_photo(tmp_path, rotate=0, orientation=None)
    case = workspace.cases.create("Droite").id
    info = workspace.documents.import_file(case, photo)
    assert "turned" not in info.metadata
    assert workspace.documents.shown(info.id) == workspace.documents.original(info.id)


def test_a_photo_without_text_is_not_turned(workspace: Workspace) -> None:
    pixels = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 400, 300), False)
    pixels.clear_with(200)
    case = workspace.cases.create("Paysage").id
    info = workspace.documents.import_bytes(case, pixels.tobytes("png"), "paysage.png")
    assert "turned" not in info.metadata and info.page_count == 1


def _pages_drawn(pdf: bytes) -> list[tuple[tuple[float, float], bytes]]:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return [((p.rect.width, p.rect.height), p.get_pixmap(dpi=72).samples) for p in doc]


def test_a_picture_makes_the_pages_mupdfs_own_conversion_makes(tmp_path: Path) -> None:
    # The page is written by `image_to_pdf` itself (its pixels compressed fast): it must be the
    # page MuPDF's `convert_to_pdf` draws, EXIF orientation, frames and transparency included,
    # or the word boxes of photos imported before would no longer fall on their words.
    pixels = photo_pixels(tmp_path, 0)
    sideways = phone_photo(tmp_path, rotate=-90, orientation=_ORIENTATION_ROTATE_90_CW)
    frames = [pixels.pil_image(), photo_pixels(tmp_path, 180).pil_image()]
    tiff = io.BytesIO()
    frames[0].save(tiff, format="TIFF", save_all=True, append_images=frames[1:])
    faded = io.BytesIO()
    frames[0].convert("LA").save(faded, format="PNG")
    for name, data in [
        ("IMG.JPG", sideways.read_bytes()),
        ("scan.tif", tiff.getvalue()),
        ("faded.png", faded.getvalue()),
    ]:
        with pymupdf.open(stream=data, filetype=name.rsplit(".")[-1]) as picture:
            converted = picture.convert_to_pdf()
        made = image_to_pdf(data, name)
        assert _pages_drawn(made) == _pages_drawn(converted), name
