"""A JPEG picture inside a PDF leaves without what its camera wrote besides its pixels.

A scanner app or a word processor keeps the photo's file as it was: EXIF (artist, owner,
description, in ASCII and in Windows' UTF-16), XMP, a Photoshop/IPTC block, a comment. A
picture under no box kept all of it in the export, where anyone extracting the picture reads
the protected name (or the GPS position of the source's kitchen). The pixels must stay the same.
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated.)

from __future__ import annotations

import base64
import io
import zlib
from collections.abc import Callable
from pathlib import Path

import pymupdf
import pytest
from PIL import Image

from dossier.pdf.extract import extract_pdf
from dossier.redact.marks import Rules, TermRule
from dossier.redact.pictures import bare_jp2, bare_jpeg
from dossier.redact.produce import redacted_copy
from dossier.redact.selfcheck import SelfCheckReport, check_pdf, needles_for
from dossier.services.export.dto import ExportRequest
from dossier.services.workspace import Workspace
from tests.recipient import leaks, pdf_leaks

NAME = "Hyacinthe Quartermaine"
LAST = "Quartermaine"
PICTURE = pymupdf.Rect(72, 300, 372, 450)


def _segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + (len(body) + 2).to_bytes(2, "big") + body


def _camera_jpeg() -> bytes:
    """A JPEG carrying the name in each place a camera or an editor writes one."""
    picture = Image.new("RGB", (300, 150), (90, 140, 200))
    for x in range(0, 300, 7):
        picture.putpixel((x, 75), (250, 250, 0))
    exif = Image.Exif()
    exif[0x013B] = NAME  # Artist
    exif[0x010E] = f"Chez {NAME}"  # ImageDescription
    exif[0x9C9D] = (NAME + "\0").encode("utf-16-le")  # XPAuthor, as Windows writes it
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif.tobytes(), comment=f"scan {NAME}".encode())
    data = out.getvalue()
    xmp = f"<x:xmpmeta xmlns:x='adobe:ns:meta/'><dc:creator>{NAME}</dc:creator></x:xmpmeta>"
    extra = _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + xmp.encode())
    extra += _segment(0xED, b"Photoshop 3.0\x008BIM\x04\x04\x00\x00" + NAME.encode())
    return data[:2] + extra + data[2:]


def _box(kind: bytes, body: bytes) -> bytes:
    return (len(body) + 8).to_bytes(4, "big") + kind + body


def _described_jp2() -> bytes:
    """A JPEG 2000 file with the name in an XML box before its codestream and in an XMP UUID
    box after it."""
    out = io.BytesIO()
    Image.new("RGB", (300, 150), (90, 140, 200)).save(out, "JPEG2000")
    data = out.getvalue()
    codestream = data.index(b"jp2c") - 4
    xml = _box(b"xml ", f"<note>{NAME}</note>".encode())
    xmp = f"<x:xmpmeta xmlns:x='adobe:ns:meta/'>{NAME}</x:xmpmeta>".encode()
    uuid = _box(b"uuid", bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC") + xmp)
    return data[:codestream] + xml + data[codestream:] + uuid


PICTURES = {"jpeg": _camera_jpeg, "jpeg2000": _described_jp2}


def _pdf(path: Path, picture: Callable[[], bytes] = _camera_jpeg) -> Path:
    doc = pymupdf.open()
    for text in (f"Le témoin {NAME} a envoyé la photo.", "La même photo, seule."):
        page = doc.new_page()
        page.insert_text((72, 72), text, fontname="helv")
        page.insert_image(PICTURE, stream=picture())
    doc.save(path)
    doc.close()
    return path


def _pixels(data: bytes, index: int) -> bytes:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return bytes(doc[index].get_pixmap(clip=PICTURE, dpi=72).samples)


@pytest.mark.parametrize("rasterize", [False, True], ids=["vector", "rasterized"])
@pytest.mark.parametrize("picture", PICTURES.values(), ids=PICTURES.keys())
def test_a_picture_leaves_without_its_camera_metadata(
    tmp_path: Path, rasterize: bool, picture: Callable[[], bytes]
) -> None:
    source = _pdf(tmp_path / "photo.pdf", picture)
    data = source.read_bytes()
    assert pdf_leaks(data, [NAME]), "the attack does not carry the name: it proves nothing"
    rules = Rules(terms=(TermRule("p", "person", NAME),))
    pages = extract_pdf(source, ocr=False).pages
    copy = redacted_copy(data, pages, rules, name=source.name, rasterize=rasterize)
    assert pdf_leaks(copy.data, [NAME, LAST]) == []
    report = SelfCheckReport()
    needles = needles_for([("protected person", NAME)], [])
    check_pdf("out.pdf", copy.data, needles, {i: p.rects for i, p in copy.plans.items()}, report)
    assert report.ok, report.summary()
    assert _pixels(copy.data, 1) == _pixels(data, 1)  # a picture under no box: same pixels


@pytest.mark.parametrize("picture", PICTURES.values(), ids=PICTURES.keys())
def test_the_self_check_finds_a_pictures_metadata(
    tmp_path: Path, picture: Callable[[], bytes]
) -> None:
    report = SelfCheckReport()
    needles = needles_for([("protected person", NAME)], [])
    check_pdf("in.pdf", _pdf(tmp_path / "photo.pdf", picture).read_bytes(), needles, {}, report)
    assert {f.what for f in report.findings} >= {"metadata in a picture", "protected person"}
    assert LAST.casefold() not in report.summary().casefold()


def test_only_the_segments_that_describe_the_picture_go() -> None:
    jpeg = _camera_jpeg()
    bare = bare_jpeg(jpeg)
    assert b"Exif" not in bare and b"xap/1.0" not in bare and b"Photoshop" not in bare
    assert LAST.encode() not in bare and LAST.encode("utf-16-le") not in bare
    assert bare[-len(jpeg) // 2 :] == jpeg[-len(jpeg) // 2 :]  # the scan itself untouched
    assert Image.open(io.BytesIO(bare)).tobytes() == Image.open(io.BytesIO(jpeg)).tobytes()
    assert bare_jpeg(b"not a jpeg") == b"not a jpeg"
    assert bare_jpeg(jpeg[:40]) == jpeg[:40]  # cut short: left for the self-check


def test_only_the_boxes_that_describe_a_jpeg_2000_picture_go() -> None:
    jp2 = _described_jp2()
    bare = bare_jp2(jp2)
    assert LAST.encode() not in bare and b"xml " not in bare and b"uuid" not in bare
    assert Image.open(io.BytesIO(bare)).tobytes() == Image.open(io.BytesIO(jp2)).tobytes()
    assert bare_jp2(jp2[:30]) == jp2[:30]  # cut short: left for the self-check


def test_a_bundle_with_such_a_picture_leaks_nothing(workspace: Workspace, tmp_path: Path) -> None:
    case = workspace.cases.create("Photo").id
    workspace.documents.import_file(case, _pdf(tmp_path / "photo.pdf"), title="Photo")
    workspace.people.add(case, NAME, protection="protected")
    out = tmp_path / "bundle.zip"
    assert workspace.exports.export(ExportRequest(case=case, out=out)).selfcheck.ok
    assert leaks(out, [NAME, LAST, "Hyacinthe"]) == []


def _plain_jpeg() -> bytes:
    picture = Image.new("RGB", (300, 150), (90, 140, 200))
    out = io.BytesIO()
    picture.save(out, "JPEG")
    return out.getvalue()


def _after_the_end() -> bytes:
    """A phone's photo: an APP2 "MPF" index, then a second picture (a preview, a depth map)
    appended after the first one's end, with EXIF of its own."""
    mpf = _segment(0xE2, b"MPF\x00" + bytes(40))
    plain = _plain_jpeg()
    return plain[:2] + mpf + plain[2:] + _camera_jpeg()


def _between_segments() -> bytes:
    """A comment and an APP1 written after the scan, before the end marker: decoders skip
    them as they skip the ones before the scan."""
    plain = _plain_jpeg()
    extra = _segment(0xFE, f"scan {NAME}.".encode())
    extra += _segment(0xE1, f"Exif\x00\x00{NAME}.".encode())
    return plain[:-2] + extra + plain[-2:]


def _commented_codestream() -> bytes:
    """A bare JPEG 2000 codestream (no JP2 boxes around it) with the name in a COM segment of
    its main header, as encoders write their settings or an editor a note."""
    out = io.BytesIO()
    Image.new("RGB", (300, 150), (90, 140, 200)).save(out, "JPEG2000", no_jp2=True)
    data = out.getvalue()
    assert data[:4] == b"\xff\x4f\xff\x51"
    tile = data.index(b"\xff\x90")
    return data[:tile] + _segment(0x64, b"\x00\x01" + f"par {NAME}".encode()) + data[tile:]


def _commented_jp2() -> bytes:
    """A JPEG 2000 file whose codestream box holds such a comment."""
    out = io.BytesIO()
    Image.new("RGB", (300, 150), (90, 140, 200)).save(out, "JPEG2000")
    data = out.getvalue()
    return data[: data.index(b"jp2c") - 4] + _box(b"jp2c", _commented_codestream())


def _ascii85(data: bytes) -> bytes:
    return base64.a85encode(data) + b"~>"


LAYERS: dict[str, tuple[str, Callable[[bytes], bytes]]] = {
    "flate": ("[/FlateDecode /DCTDecode]", zlib.compress),
    "hex": ("[/ASCIIHexDecode /DCTDecode]", lambda data: data.hex().encode() + b">"),
    "a85 and flate": (
        "[/ASCII85Decode /FlateDecode /DCTDecode]",
        lambda data: _ascii85(zlib.compress(data)),
    ),
}


def _picture_pdf(path: Path, jpeg: bytes, layer: str | None) -> Path:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "La photo, seule.", fontname="helv")
    page.insert_image(PICTURE, stream=jpeg)
    if layer:  # the same JPEG behind other filters, e.g. [/FlateDecode /DCTDecode]
        filters, encode = LAYERS[layer]
        xref = next(x for x in range(1, doc.xref_length()) if doc.xref_is_image(x))
        doc.update_stream(xref, encode(jpeg), compress=False)
        doc.xref_set_key(xref, "Filter", filters)
    doc.save(path)
    doc.close()
    return path


JPEGS = {
    "after its end": (_after_the_end, None),
    "after its scan": (_between_segments, None),
    **{f"behind {layer}": (_camera_jpeg, layer) for layer in LAYERS},
    "a JPEG 2000 codestream's comment": (lambda: _commented_codestream(), None),
    "a comment in a JPEG 2000 file's codestream": (lambda: _commented_jp2(), None),
}


@pytest.mark.parametrize(("make", "layer"), JPEGS.values(), ids=JPEGS.keys())
def test_what_a_picture_says_beyond_its_first_scan_or_filter_goes_too(
    tmp_path: Path, make: object, layer: str | None
) -> None:
    """The segments before the scan of a picture stored as a JPEG alone were all that was
    looked at, removed and checked: what follows the scan, what follows the picture's end and
    a JPEG inside a Flate layer left with the name in them, the self-check saying nothing."""
    assert callable(make)
    source = _picture_pdf(tmp_path / "photo.pdf", make(), layer)
    data = source.read_bytes()
    assert pdf_leaks(data, [LAST]), "the attack does not carry the name: it proves nothing"
    report = SelfCheckReport()
    needles = needles_for([("protected person", NAME)], [])
    check_pdf("in.pdf", data, needles, {}, report)
    assert "metadata in a picture" in {f.what for f in report.findings}
    copy = redacted_copy(data, [], Rules(terms=(TermRule("p", "person", NAME),)), name="p.pdf")
    assert pdf_leaks(copy.data, [NAME, LAST]) == []
    report = SelfCheckReport()
    check_pdf("out.pdf", copy.data, needles, {}, report)
    assert report.ok, report.summary()
    assert _pixels(copy.data, 0) == _pixels(data, 0)
