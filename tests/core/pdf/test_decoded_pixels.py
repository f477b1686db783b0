"""Decoded pictures (WebP, HEIC) reach MuPDF as their pixels, and make the page a PNG made.

Pages made from a picture are made again each time it is shown or exported, from the stored
original, and the word boxes its import found must fall on the same pixels: handing MuPDF the
pixels (PNM) instead of a lossless PNG must not move or change anything of the page.
"""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image, ImageDraw

from dossier.pdf.images import Readable, image_to_pdf, readable
from dossier.pdf.pixels import Pixels, for_mupdf


def _same_file(pdf: bytes) -> bytes:
    """The PDF without its trailer's /ID (a turned page's file gets a random one). Its strings
    are hex, or literal when MuPDF finds that shorter for the random bytes (about 1 in 100)."""
    return re.sub(rb"/ID\[(?:<[0-9A-Fa-f]*>|\((?:\\.|[^\\)])*\))+\]", b"", pdf, flags=re.S)


def _picture(mode: str) -> Image.Image:
    picture = Image.new("RGBA", (301, 157), (250, 248, 240, 255))
    draw = ImageDraw.Draw(picture)
    draw.text((12, 40), "Le préfet reconnaît les faits", fill=(20, 30, 200, 255))
    draw.rectangle((200, 100, 280, 140), fill=(200, 10, 10, 128))
    return picture.convert(mode)


@pytest.mark.parametrize("mode", ["L", "RGB", "RGBA"])
def test_pixels_make_the_page_their_lossless_png_makes(mode: str) -> None:
    picture = _picture(mode)
    png = io.BytesIO()
    picture.save(png, format="PNG")
    pixels = Pixels(mode, picture.width, picture.height, picture.tobytes())
    handed = for_mupdf(pixels)
    assert handed.filetype == ("png" if mode == "RGBA" else "pnm")
    for turns in ((), (90,)):
        made = image_to_pdf(handed, "x", turns)
        assert _same_file(made) == _same_file(image_to_pdf(png.getvalue(), "x.png", turns))


def test_a_webp_picture_reaches_mupdf_as_its_pixels() -> None:
    out = io.BytesIO()
    _picture("RGB").save(out, format="WEBP", lossless=True)
    handed = readable(out.getvalue(), "x.webp")
    assert isinstance(handed, Readable) and handed.filetype == "pnm"
    png = io.BytesIO()
    _picture("RGB").save(png, format="PNG")
    assert image_to_pdf(handed, "x.webp") == image_to_pdf(png.getvalue(), "x.png")
    assert image_to_pdf(out.getvalue(), "x.webp") == image_to_pdf(handed, "x.webp")
