"""Photos of a page of text for the image and HEIC import tests (the HEIC made with pillow-heif,
a development dependency), the HEIC decodes a test causes, and the ink inside a rectangle of a
rendered page (to see that a highlight or a box lands on the words)."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pillow_heif
import pymupdf
import pytest
from PIL import Image

from dossier.pdf import heic
from dossier.pdf.render import RenderedPage
from tests.pdfgen import text_page, write_pdf

SENTENCE = "Le préfet reconnaît que la caméra filmait la cour du collège."
OTHER = "The mayor confirmed the contract was signed in March."


def photo_pixels(tmp_path: Path, rotate: int) -> pymupdf.Pixmap:
    """A page of text rendered at 200 dpi, turned by `rotate` degrees as a camera held
    sideways would store it."""
    pdf = write_pdf(tmp_path / "page.pdf", [text_page(SENTENCE, OTHER, fontsize=16.0)])
    with pymupdf.open(pdf) as doc:
        matrix = pymupdf.Matrix(200 / 72, 200 / 72).prerotate(rotate)
        return doc[0].get_pixmap(matrix=matrix, colorspace=pymupdf.csRGB)


def ink(rendered: RenderedPage, rect: tuple[float, float, float, float]) -> float:
    """Share of dark pixels inside `rect` (page points) of a rendered page."""
    x0, y0, x1, y1 = (round(v * rendered.zoom) for v in rect)
    dark = total = 0
    for y in range(max(0, y0), min(rendered.height, y1)):
        row = y * rendered.stride
        for x in range(max(0, x0), min(rendered.width, x1)):
            total += 1
            dark += rendered.samples[row + 3 * x] < 128
    return dark / max(1, total)


def heic_photo(tmp_path: Path, *, rotate: int, orientation: int | None = None) -> bytes:
    """A page of text photographed as an iPhone stores it: pixels turned by `rotate`, and the
    turn to show it upright (if any) in the file's own orientation (`irot`).

    Encoded once per process and kind, the bytes being immutable, with x265's fastest preset:
    0.2 CPU-s a photo instead of 0.8 with its default one. The file is as valid a HEIC and as
    legible (quality 90); the encoder's choices only make it larger (66 KB for 37)."""
    key = (rotate, orientation)
    if key not in _HEIC_PHOTOS:
        _HEIC_PHOTOS[key] = _encode_heic(tmp_path, rotate, orientation)
    return _HEIC_PHOTOS[key]


_HEIC_PHOTOS: dict[tuple[int, int | None], bytes] = {}


def _encode_heic(tmp_path: Path, rotate: int, orientation: int | None) -> bytes:
    pixels = photo_pixels(tmp_path, rotate)
    picture = Image.frombytes("RGB", (pixels.width, pixels.height), pixels.samples)
    options: dict[str, object] = {"quality": 90, "enc_params": {"preset": "ultrafast"}}
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        options["exif"] = exif.tobytes()
    out = io.BytesIO()
    pillow_heif.from_pillow(picture).save(out, **options)
    return out.getvalue()


def count_heic_decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the pictures the real child process decodes from now on."""
    calls: list[str] = []
    real = heic._decode_in_child

    def counted(data: bytes, name: str) -> tuple[bytes, memoryview]:
        calls.append(name)
        return real(data, name)

    monkeypatch.setattr(heic, "_decode_in_child", counted)
    return calls


def exif_orientation(value: int) -> bytes:
    """An APP1 segment holding one EXIF tag: Orientation, and a DateTimeOriginal."""
    stamp = b"2023:11:20 09:41:07\x00"
    ifd = struct.pack(">H", 2)
    ifd += struct.pack(">HHIHH", 0x0112, 3, 1, value, 0)
    ifd += struct.pack(">HHII", 0x9003, 2, len(stamp), 8 + 2 + 2 * 12 + 4)
    ifd += struct.pack(">I", 0) + stamp
    tiff = b"MM\x00*" + struct.pack(">I", 8) + ifd
    payload = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def phone_photo(tmp_path: Path, *, rotate: int, orientation: int | None) -> Path:
    jpeg = photo_pixels(tmp_path, rotate).tobytes("jpg", jpg_quality=90)
    if orientation is not None:
        jpeg = jpeg[:2] + exif_orientation(orientation) + jpeg[2:]
    path = tmp_path / "IMG_2034.JPG"
    path.write_bytes(jpeg)
    return path
