"""A bundle read the way its recipient would: unzip, decode every file, fold, search.

Written for the tests, apart from the product's own self-check, so that a blind spot shared by
the export and its self-check still shows here.
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated.)

from __future__ import annotations

import contextlib
import csv
import html
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pymupdf


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("\u00ad", ""))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.findall(r"[^\W_]+", plain))


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [str(k), *_strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [str(value)]


def _picture_file(doc: Any, xref: int) -> bytes:
    """The file a picture is, as a recipient extracts it (the filters around it undone, as
    `qpdf --decode-level=all` does): all of a JPEG, segments between its scans and whatever
    follows its end included."""
    written = doc.xref_get_key(xref, "Filter")[1]
    filters = re.findall(r"/\w+", written)
    if len(filters) < 2:
        return doc.xref_stream_raw(xref) or b""
    doc.xref_set_key(xref, "Filter", "[" + " ".join(filters[:-1]) + "]")
    try:
        return doc.xref_stream(xref) or b""
    finally:
        doc.xref_set_key(xref, "Filter", written)


def _pdf_texts(data: bytes) -> list[str]:
    out: list[str] = []
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        out += [str(v) for v in (doc.metadata or {}).values() if v]
        out.append(doc.get_xml_metadata() or "")
        out += [str(entry[1]) for entry in doc.get_toc()]
        out += list(doc.embfile_names())
        for page in doc:
            out.append(page.get_text("text", clip=pymupdf.INFINITE_RECT()))
            out += [str(link.get("uri", "")) for link in page.get_links()]
            out += [a.info.get("content", "") for a in page.annots() or []]
            out += [str(w.field_value) for w in page.widgets() or []]
        for page in doc:
            flags = pymupdf.TEXT_IGNORE_ACTUALTEXT  # the glyphs, not what an ActualText says
            out.append(page.get_text("text", flags=flags, clip=pymupdf.INFINITE_RECT()))
        contents = {xref for page in doc for xref in page.get_contents()}
        for xref in range(1, doc.xref_length()):
            try:
                source = doc.xref_object(xref, compressed=False)
                out += [source, *_decoded_strings(source)]
                # Streams holding text: content (pages, forms, patterns) and XMP anywhere.
                texty = re.search(
                    r"/Subtype\s*/(Form|XML)\b|/PatternType|/Type\s*/Metadata", source
                )
                if doc.xref_is_stream(xref) and (xref in contents or texty):
                    stream = (doc.xref_stream(xref) or b"").decode("latin-1")
                    out += [stream, *_decoded_strings(stream)]
                if doc.xref_is_image(xref):  # a JPEG's EXIF, XMP, IPTC, comments; JP2's XML
                    raw = _picture_file(doc, xref)
                    head = raw if raw[:2] == b"\xff\xd8" else b""  # all of a JPEG
                    if raw[:4] == b"\xff\x4f\xff\x51":  # a JPEG 2000 codestream's header
                        head = raw[: raw.find(b"\xff\x90")]
                    if raw[4:8] == b"jP  ":
                        head = raw[: raw.find(b"jp2c")]
                        codestream = raw[raw.find(b"jp2c") + 4 :]  # its main header
                        head += codestream[: codestream.find(b"\xff\x90")]
                        head += b"".join(re.findall(rb"<x:xmpmeta.*?</x:xmpmeta>", raw, re.S))
                    out += [head.decode("latin-1"), head.decode("utf-16-le", "replace")]
            except (RuntimeError, ValueError):
                continue
    return out


def _decoded_strings(source: str) -> list[str]:
    """The hex strings (UTF-16 or bytes), octal escapes and names (`/Hyacinthe#20Q`) of PDF
    syntax, decoded."""
    found = [re.sub(r"\\([0-7]{1,3})", lambda m: chr(int(m[1], 8) & 0xFF), source)]
    found.append(re.sub(r"#([0-9A-Fa-f]{2})", lambda m: chr(int(m[1], 16)), source))
    for digits in re.findall(r"<([0-9A-Fa-f\s]{2,})>", source):
        hexa = "".join(digits.split())
        raw = bytes.fromhex(hexa[: len(hexa) // 2 * 2])
        if raw[:2] == b"\xfe\xff":
            found.append(raw[2:].decode("utf-16-be", "replace"))
        elif not re.search(rb"[\x00-\x08\x0e-\x1f]", raw):  # bytes, not a font's glyph ids
            found.append(raw.decode("latin-1"))
    return found


def pdf_leaks(data: bytes, secrets: list[str]) -> list[str]:
    """'where: secret' for every secret found in any text the PDF `data` holds."""
    texts = [fold(read) for text in _pdf_texts(data) for read in read_past(text)]
    return [
        f"pdf: {secret}"
        for secret in secrets
        if any(f" {fold(secret)} " in f" {t} " for t in texts)
    ]


_DELETED = re.compile(r"\[-.*?-\]", re.DOTALL)
_INSERTED = re.compile(r"\{\+.*?\+\}", re.DOTALL)
_CHANGE_MARKS = re.compile(r"\[-|-\]|\{\+|\+\}")


def read_past(text: str) -> list[str]:
    """`text` as a reader reads past its marks and escapes: a draft's tracked changes accepted
    and as before ("Quarter[-x-]maine"), links percent-decoded ("hq%40exemple.org"), HTML
    character references decoded ("hq&#64;exemple.org"), letters of other scripts read as the
    Latin ones they are drawn like ("Quаrtermаine")."""
    found = [text]
    # The eye does not see a word joiner, which the page text puts inside mark strings of the
    # file's own text: read the marks both ways.
    for marked in dict.fromkeys([text, text.replace("\u2060", "")]):
        if "[-" in marked or "{+" in marked:
            found.append(_CHANGE_MARKS.sub("", _DELETED.sub("", marked)))
            found.append(_CHANGE_MARKS.sub("", _INSERTED.sub("", marked)))
    if "%" in text:
        found.append(unquote(text, errors="replace"))
    if "&" in text:
        found.append(html.unescape(text))
    latin = text.translate(_DRAWN_AS_LATIN)
    if latin != text:
        found.append(latin)
    if "\u202e" in text:  # a right-to-left override shows its letters backwards
        found.append(re.sub("\u202e([^\u202c\n]*)", lambda m: m[1][::-1], text))
    return found


_DRAWN_AS_LATIN = str.maketrans(
    "АВЕКМНОРСТХаеорсухіΑΒΕΗΙΚΜΝΟΡΤΧοαᴀʙᴄᴅᴇɢʜɪᴊᴋʟᴍɴᴏᴘǫʀᴛᴜᴠᴡʏᴢ",
    "ABEKMHOPCTXaeopcyxiABEHIKMNOPTXoaabcdeghijklmnopqrtuvwyz",
)
"""Cyrillic and Greek letters the eye reads as Latin ones ("Quаrtermаine"), small capitals."""
_DRAWN_AS_LATIN.update(
    {
        base + i: ord("A") + i
        for base in (0x1F1E6, 0x1F130, 0x1F150, 0x1F170, 0x24B6)
        for i in range(26)
    }
)
"""Letters in squares, circles and flags' regional indicators."""
_DRAWN_AS_LATIN.update(
    str.maketrans(
        "ɑϲհꓮꓐꓚꓓꓰꓝꓖꓧꓲꓙꓗꓡꓟꓠꓳꓑꓣꓢꓔꓴꓦꓪꓫꓬꓜᎪᎡᎢᎬᎷꭺꭱꭲꭼꮇ",
        "achABCDEFGHIJKLMNOPRSTUVWXYZARTEMartem",
    )
)
"""A Latin alpha, a Greek lunate sigma, an Armenian ho, Lisu's letters, Cherokee ones."""


def read_bundle(path: Path | bytes) -> dict[str, str]:
    """Every file of the bundle (and its names and comment) as folded text."""
    return {name: fold(text) for name, text in read_as_written(path).items()}


def read_as_written(path: Path | bytes) -> dict[str, str]:
    """Every file of the bundle (and its names and comment) as its recipient reads it, its
    capitals and accents kept: "Li" the name, "li" an HTML tag; "Lê" the name, "le" the word."""
    data = path if isinstance(path, bytes) else path.read_bytes()
    texts: dict[str, list[str]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        texts["(zip comment)"] = [archive.comment.decode("utf-8", "replace")]
        texts["(file names)"] = archive.namelist()
        for name in archive.namelist():
            content = archive.read(name)
            if name.endswith(".pdf"):
                texts[name] = _pdf_texts(content)
                continue
            raw = content.decode("utf-8", "replace")
            views = [raw, html.unescape(raw), html.unescape(re.sub(r"<[^>]*>", " ", raw))]
            if name.endswith((".json", ".sig")):
                views += _strings(json.loads(raw))
            if name.endswith(".csv"):
                views += [c for row in csv.reader(io.StringIO(raw.lstrip("\ufeff"))) for c in row]
            texts[name] = views
    return {
        name: "\n".join(read for view in views for read in read_past(view))
        for name, views in texts.items()
    }


def leaks(bundle: Path | bytes, secrets: list[str]) -> list[str]:
    """'file: secret' for every secret (a word or phrase) found in any decoded file."""
    found: list[str] = []
    for name, text in read_bundle(bundle).items():
        padded = f" {text} "
        for secret in secrets:
            if f" {fold(secret)} " in padded:
                found.append(f"{name}: {secret}")
    return found


# -- what the pictures show ---------------------------------------------------------------------

_RECIPIENT_PIXELS = 2480 * 3508
"""A recipient zooms into a small picture: it is enlarged to about an A4 page at 300 dpi."""


def _ocr_text(pixmap: Any, tessdata: str) -> str:
    if pixmap.colorspace is None:  # a stencil or a soft mask read alone: its ink is opaque
        ink = bytes(pixmap.samples).translate(bytes(range(255, -1, -1)))
        pixmap = pymupdf.Pixmap(pymupdf.csGRAY, pixmap.width, pixmap.height, ink, False)
    if pixmap.alpha:
        pixmap = pymupdf.Pixmap(pixmap, 0)
    if pixmap.n != 3:
        pixmap = pymupdf.Pixmap(pymupdf.csRGB, pixmap)
    scale = min(4.0, (_RECIPIENT_PIXELS / max(1, pixmap.width * pixmap.height)) ** 0.5)
    if scale > 1.2:
        pixmap = pymupdf.Pixmap(pixmap, int(pixmap.width * scale), int(pixmap.height * scale), None)
    pixmap.set_dpi(300, 300)
    ocr = pymupdf.open("pdf", pixmap.pdfocr_tobytes(language="eng+fra", tessdata=tessdata))
    with ocr:
        return str(ocr[0].get_text())


def _turned(pixmap: Any, quarter: int) -> Any:
    """`pixmap` turned by `quarter` quarter turns, drawn on a page of its own."""
    if not quarter:
        return pixmap
    with pymupdf.open() as doc:
        width, height = pixmap.width, pixmap.height
        if quarter % 2:
            width, height = height, width
        page = doc.new_page(width=width, height=height)
        page.insert_image(page.rect, pixmap=pixmap, rotate=90 * quarter)
        return page.get_pixmap(colorspace=pymupdf.csRGB)


def seen_in_pictures(data: bytes, tessdata: str) -> list[str]:
    """What OCR reads in a PDF as its recipient may look at it: every page as shown, and every
    picture extracted (as `pdfimages` gives it), turned every quarter turn, small ones
    enlarged."""
    with contextlib.closing(_readings(data, tessdata)) as readings:
        return list(readings)


def _readings(data: bytes, tessdata: str) -> Iterator[str]:
    """`seen_in_pictures`, one reading at a time."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        for page in doc:
            yield _ocr_text(page.get_pixmap(dpi=300, colorspace=pymupdf.csRGB), tessdata)
        for xref in range(1, doc.xref_length()):
            if not doc.xref_is_image(xref):
                continue
            try:
                pixmap = pymupdf.Pixmap(doc, xref)
            except (RuntimeError, ValueError):
                continue
            if pixmap.width < 8 or pixmap.height < 8:
                continue
            for quarter in range(4):
                yield _ocr_text(_turned(pixmap, quarter), tessdata)


def picture_leaks(bundle: Path | bytes, secrets: list[str], tessdata: str) -> list[str]:
    """'file: secret' for every secret OCR reads in the pages or pictures of the bundle's PDFs.

    A file is read until every secret has been found in it: the readings left could add
    nothing to what is returned (a file found to hold none is read whole)."""
    data = bundle if isinstance(bundle, bytes) else bundle.read_bytes()
    found: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not name.endswith(".pdf"):
                continue
            seen: set[str] = set()
            with contextlib.closing(_readings(archive.read(name), tessdata)) as readings:
                for text in readings:
                    padded = f" {fold(text)} "
                    seen.update(s for s in secrets if f" {fold(s)} " in padded)
                    if seen >= set(secrets):
                        break
            found += [f"{name}: {secret}" for secret in secrets if secret in seen]
    return found
