"""WebP pictures (what browsers and messaging apps save), decoded with Pillow for MuPDF.

MuPDF does not read WebP. Pillow (with the libwebp it ships) decodes the first picture of the
file in memory and hands MuPDF its pixels (`pixels`), so the page, its OCR and its
word boxes are made exactly as for any photo, and always the same from the same bytes. Only
Pillow's WebP reader is used (no guessing among its other formats), and the size the header
claims is judged before a pixel is decoded.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, WebPImagePlugin

from dossier.errors import InputRefused
from dossier.i18n import _
from dossier.pdf.imagesize import MAX_PICTURE_PIXELS
from dossier.pdf.pixels import Pixels

__all__ = ["WebPImagePlugin", "webp_pixels"]

Image.MAX_IMAGE_PIXELS = MAX_PICTURE_PIXELS
"""Pillow's own bomb guard, at Dossier's limit: a backstop, since `imagesize.check_picture`
has already judged the size the header claims (and names it in its refusal)."""


def webp_pixels(data: bytes, name: str) -> Pixels:
    """The pixels of a WebP file's first picture (its size already judged by
    `imagesize.check_picture`); InputRefused if it is damaged."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=["WEBP"]) as picture:
                picture.seek(0)
                frame = picture.convert("RGBA" if "A" in picture.getbands() else "RGB")
                samples = frame.tobytes()
    except Exception:  # Pillow raises several unrelated types for one damaged file
        raise InputRefused(
            _(
                "{name} is a damaged image and cannot be read; ask its sender for a new copy."
            ).format(name=name)
        ) from None
    return Pixels(frame.mode, frame.width, frame.height, samples)
