"""A decoded picture's pixels, handed to MuPDF as the file it reads fastest with the same page.

HEIC photos (decoded in a child process, `heic`) and WebP pictures (through Pillow, `webp`)
arrive as pixels. MuPDF makes the same page, byte for byte, from the same pixels whether they
come as a lossless PNG or as a PNM file (a header and the samples as they are): the PNG's
compression, and MuPDF's decompressing it, were a second of CPU for a 12-megapixel photo, at
every import and every time it is shown. PNM has no alpha channel: a picture with one still
goes as PNG.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

_PNM_MAGIC = {"L": b"P5", "RGB": b"P6"}


@dataclass(frozen=True)
class Pixels:
    """A picture's samples, row after row, 8 bits per channel of `mode` ("L", "RGB", "RGBA")."""

    mode: str
    width: int
    height: int
    samples: bytes | memoryview


@dataclass(frozen=True)
class Readable:
    """A picture as MuPDF reads it: its bytes and MuPDF's name for their file type."""

    data: bytes
    filetype: str


def for_mupdf(pixels: Pixels) -> Readable:
    magic = _PNM_MAGIC.get(pixels.mode)
    if magic is not None:
        header = b"%s\n%d %d\n255\n" % (magic, pixels.width, pixels.height)
        return Readable(header + pixels.samples, "pnm")
    from PIL import Image  # Pillow is loaded only by the files that need it

    size = (pixels.width, pixels.height)
    # A view, not a copy (up to 480 MB); Pillow reads any buffer, its stubs say bytes.
    picture = Image.frombuffer(pixels.mode, size, pixels.samples, "raw", pixels.mode, 0, 1)  # type: ignore[arg-type]
    out = io.BytesIO()
    picture.save(out, format="PNG", compress_level=1)
    return Readable(out.getvalue(), "png")
