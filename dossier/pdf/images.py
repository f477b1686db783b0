"""Photos and scans (JPEG, PNG, TIFF, GIF, BMP, WebP, HEIC) as PDF pages, made in memory by MuPDF.

An image is read exactly as a scanned PDF is: each image (each page of a multi-page TIFF)
becomes a PDF page of the image's size, in memory, and that page is OCR'd and rendered like
any other, so search hits, highlights and quote anchors land on the photo as on a scan.
MuPDF applies the EXIF orientation of a phone photo, so a picture taken sideways is upright.
The conversion is deterministic: extraction and display make the same page from the same
bytes, so word boxes found at import fall on the same pixels in the viewer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from dossier.errors import InputRefused
from dossier.i18n import _
from dossier.pdf.imagesize import MAX_IMAGE_PAGES, check_picture, damaged
from dossier.pdf.mupdf import exclusive, pymupdf
from dossier.pdf.pixels import Readable, for_mupdf

__all__ = [
    "IMAGE_SIGNATURES",
    "MAX_IMAGE_PAGES",
    "Readable",
    "image_to_pdf",
    "image_type",
    "readable",
]

IMAGE_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"II*\x00", "tif", "image/tiff"),
    (b"MM\x00*", "tif", "image/tiff"),
    (b"GIF87a", "gif", "image/gif"),
    (b"GIF89a", "gif", "image/gif"),
    (b"BM", "bmp", "image/bmp"),
)
HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim", b"heis"})
"""The major brands of an HEIF file's `ftyp` box that libheif's HEVC decoder reads."""


def image_type(head: bytes) -> tuple[str, str] | None:
    """(MuPDF file type, MIME type) of an image Dossier reads, from its first bytes ("webp"
    is decoded by Pillow first, see `webp`; "heic" in a child process, see `heic`)."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp", "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "heic", "image/heic"
    for signature, filetype, mime in IMAGE_SIGNATURES:
        if head.startswith(signature):
            if filetype == "bmp" and len(head) >= 14 and head[6:10] != b"\x00\x00\x00\x00":
                continue  # "BM" followed by non-zero reserved bytes: text that starts with BM
            return filetype, mime
    return None


def image_to_pdf(data: bytes | Readable, name: str, turns: Sequence[int] = ()) -> bytes:
    """A PDF with one page per image (per frame of a TIFF), made in memory from the picture
    file `data` or what `readable` made of one.

    `turns`: per page, 0, 90, 180 or 270 degrees clockwise to make it read upright (found from
    its text by `dossier.pdf.orient`); the page is turned itself, not marked to be shown turned,
    so its coordinates are the upright ones.
    """
    picture = data if isinstance(data, Readable) else readable(data, name)
    return _pages(picture.data, picture.filetype, name, turns)


def readable(data: bytes, name: str) -> Readable:
    """The picture as MuPDF reads it, its claimed size judged first: itself, or the pixels of
    a WebP or HEIC picture (the same every time). A caller that makes pages from the same
    picture twice (turned the second time) decodes it once."""
    found = image_type(data[:16])
    if found is None:
        raise InputRefused(_("{name} is not an image Dossier can read.").format(name=name))
    # Before anything allocates for what the header claims.
    check_picture(data, found[0], name, scan_whole=_scan_whole)
    # Imported here: Pillow and the HEIC decoder's module load only for the files that need
    # them. Both decode outside MuPDF's lock: a HEIC child may take seconds.
    if found[0] == "webp":
        from dossier.pdf.webp import webp_pixels

        return for_mupdf(webp_pixels(data, name))
    if found[0] == "heic":
        from dossier.pdf.heic import heic_pixels

        return for_mupdf(heic_pixels(data, name))
    return Readable(data, found[0])


@exclusive
def _pages(data: bytes, filetype: str, name: str, turns: Sequence[int]) -> bytes:
    try:
        with pymupdf.open(stream=data, filetype=filetype) as image:
            if image.page_count > MAX_IMAGE_PAGES:
                raise InputRefused(
                    _(
                        "{name} has {page_count} pages (at most {MAX_IMAGE_PAGES}); split it."
                    ).format(
                        name=name, page_count=image.page_count, MAX_IMAGE_PAGES=MAX_IMAGE_PAGES
                    )
                )
            if not image.page_count:
                raise damaged(name)
            pdf = _as_pdf(image)
        if any(turns):
            pdf = _turned(pdf, turns)
    except InputRefused:
        raise
    except Exception:  # MuPDF raises several unrelated types for one damaged image
        raise damaged(name) from None
    return pdf


_FAST_DEFLATE = 20
"""MuPDF's compression effort (a percentage) that writes a page's pixels at zlib's fastest
level: `convert_to_pdf` compresses them at the default level, 1.46 CPU-s for the 36 MB of an
iPhone photo's 12 megapixels against 0.63 (15.8 MB against 16.7), at every import and every
time it is shown; below 20, MuPDF stores them uncompressed (36.6 MB)."""


def _as_pdf(image: Any) -> bytes:
    """The pages of the picture `image` as `convert_to_pdf` draws them (each page the picture's
    size, the picture drawn over it, its EXIF orientation applied), written without its
    garbage collection and clean-up passes (a page holds one picture and one line of content)
    and with the pixels compressed fast (`_FAST_DEFLATE`)."""
    low = pymupdf.mupdf
    out = low.PdfDocument()
    for number in range(image.page_count):
        page = low.fz_load_page(image.this, number)
        box = low.fz_bound_page(page)
        device, resources, contents = low.pdf_page_write(out, box)
        low.fz_run_page(page, device, low.FzMatrix(), low.FzCookie())
        low.fz_close_device(device)
        low.pdf_insert_page(out, -1, low.pdf_add_page(out, box, 0, resources, contents))
    options = low.PdfWriteOptions()
    options.do_compress = options.do_compress_images = 1
    options.compression_effort = _FAST_DEFLATE
    buffer = low.fz_new_buffer(8192)
    written = low.FzOutput(buffer)
    low.pdf_write_document(out, written, options)
    written.fz_close_output()
    pdf: bytes = low.fz_buffer_extract_copy(buffer)
    return pdf


def _continuation(seed: bytes) -> bytes:
    """Fixed, random-looking scan data (no 0xFF, which would start a marker), then the end
    marker. Random data decodes to random blocks: a decoder that reads into it shows it."""
    noise = b"".join(hashlib.sha256(seed + bytes([n])).digest() for n in range(8))
    return noise.replace(b"\xff", b"\xfe") + b"\xff\xd9"


_CONTINUATIONS = (_continuation(b"one"), _continuation(b"two"), _continuation(b"three"))
"""Continuations of a JPEG's last scan: a regular pattern (all 0x55) can decode to the same
invalid Huffman codes, and so the same blocks, as another; random data hardly can."""


@exclusive
def _scan_whole(data: bytes) -> bool:
    """Whether a JPEG that ends inside its last scan (`imagesize.jpeg_unended`) decodes to the
    same pixels whatever follows: then the decoder needed none of it, and nothing is missing.
    A scan cut short makes the decoder read on into what follows, and the pixels differ."""
    first: bytes | None = None
    try:
        for continuation in _CONTINUATIONS:
            # The picture decoded by itself, through the JPEG filter that draws it on its page
            # (a PDF made of it first decoded the same pixels at four times the cost).
            pixmap = pymupdf.Pixmap(data + continuation)  # held: its samples are read in place
            pixels = hashlib.sha256(pixmap.samples_mv).digest()
            if first is None:
                first = pixels
            elif pixels != first:
                return False
    except Exception:  # MuPDF raises several unrelated types for one damaged image
        return False
    return True


def _turned(pdf: bytes, turns: Sequence[int]) -> bytes:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        for index, turn in enumerate(turns[: doc.page_count]):
            if turn % 360:
                doc[index].set_rotation(turn % 360)
                doc[index].remove_rotation()
        turned: bytes = doc.tobytes(garbage=1, deflate=True)
    return turned
