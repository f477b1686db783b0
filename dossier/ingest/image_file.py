"""Photos and scans: each image (each page of a TIFF) read by OCR as a scanned PDF page is.

The image becomes PDF pages in memory (`dossier.pdf.images`, EXIF orientation applied) and
goes through the PDF reader with OCR in French and English, so its words enter the word map
with their boxes. The stored original stays the image itself; the viewer makes the same page
from it. A photo's EXIF date, when it has one, is the document's date.
"""

from __future__ import annotations

import re

from dossier.ingest.titles import first_line_title
from dossier.jobs import CancelToken, Progress
from dossier.pdf.extract import EXTRACTOR_VERSION as PDF_EXTRACTOR_VERSION
from dossier.pdf.extract import extract_pdf_bytes
from dossier.pdf.images import image_to_pdf, image_type
from dossier.text.model import ExtractedDocument

IMAGE_EXTRACTOR_VERSION = f"image-1+{PDF_EXTRACTOR_VERSION}"

_EXIF_DATE = re.compile(rb"(?:19|20)\d\d:[01]\d:[0-3]\d [0-2]\d:[0-5]\d:[0-5]\d\x00")
"""DateTimeOriginal and friends, "YYYY:MM:DD HH:MM:SS", NUL-terminated in the EXIF block."""
_EXIF_WINDOW = 128 * 1024


def extract_image(
    data: bytes,
    name: str,
    *,
    ocr: bool,
    progress: Progress | None,
    cancel: CancelToken | None,
) -> ExtractedDocument:
    found = image_type(data[:16])
    pdf = image_to_pdf(data, name)
    document = extract_pdf_bytes(pdf, name, ocr=ocr, progress=progress, cancel=cancel)
    document.mime = found[1] if found else "image/unknown"
    document.extractor_version = IMAGE_EXTRACTOR_VERSION
    # A picture has no title of its own: its first line of text, if OCR read one.
    document.title = first_line_title(document.text) if document.text.strip() else None
    date = exif_date(data)
    if date:
        document.date = date
        document.metadata = {**document.metadata, "date_source": "the date the photo was taken"}
    return document


def exif_date(data: bytes) -> str | None:
    """The first EXIF date of a JPEG or TIFF (when the picture was taken), as YYYY-MM-DD."""
    head = data[:_EXIF_WINDOW]
    if b"Exif\x00\x00" not in head and not head.startswith((b"II*\x00", b"MM\x00*")):
        return None
    match = _EXIF_DATE.search(head)
    if not match:
        return None
    year, month, day = match.group(0)[:10].decode().split(":")
    return f"{year}-{month}-{day}" if month != "00" and day != "00" else None
