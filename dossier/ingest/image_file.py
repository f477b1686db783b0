"""Photos and scans: each image (each page of a TIFF) read by OCR as a scanned PDF page is.

The image becomes PDF pages in memory (`dossier.pdf.images`, EXIF orientation applied) and
goes through the PDF reader with OCR in French and English, so its words enter the word map
with their boxes. A page that reads as nonsense (a photo taken sideways or upside down, without
an EXIF orientation) is turned the way its text reads (`dossier.pdf.orient`) and read again;
the turns are recorded (`TURNED`). The stored original stays the image itself; the viewer makes
the same page from it and the recorded turns. A photo's EXIF date, when it has one, is the
document's date.
"""

from __future__ import annotations

import re

from dossier.i18n import _
from dossier.ingest.titles import first_line_title
from dossier.jobs import CancelToken, Progress, check, report, scaled
from dossier.pdf.extract import EXTRACTOR_VERSION as PDF_EXTRACTOR_VERSION
from dossier.pdf.extract import extract_pdf_bytes
from dossier.pdf.images import image_to_pdf, image_type, readable
from dossier.pdf.ocr import require_tessdata
from dossier.pdf.orient import best_turn, reads_upright
from dossier.text.model import ExtractedDocument

IMAGE_EXTRACTOR_VERSION = f"image-3+{PDF_EXTRACTOR_VERSION}"
"""image-2: a page that reads as nonsense is turned the way its text reads (`orient`);
image-3: a picture is read at its own resolution once it has enough pixels (`ocr.ocr_dpi`)."""
TURNED = "turned"
"""Metadata: per page, the clockwise turn that made it read upright ("0,90"), if any was."""

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
    pixels = readable(data, name)  # a HEIC photo is decoded once, not once per reading
    pdf = image_to_pdf(pixels, name)
    document = extract_pdf_bytes(
        pdf, name, ocr=ocr, progress=scaled(progress, 0.0, 0.7), cancel=cancel, pictures=True
    )
    turns = _turns(pdf, document, progress, cancel) if ocr else []
    if any(turns):
        pdf = image_to_pdf(pixels, name, turns)
        document = extract_pdf_bytes(
            pdf, name, ocr=True, progress=scaled(progress, 0.85, 1.0), cancel=cancel, pictures=True
        )
        document.metadata = {**document.metadata, TURNED: ",".join(map(str, turns))}
    document.mime = found[1] if found else "image/unknown"
    document.extractor_version = IMAGE_EXTRACTOR_VERSION
    # A picture has no title of its own: its first line of text, if OCR read one.
    document.title = first_line_title(document.text, read_by_ocr=True)
    date = exif_date(data)
    if date:
        document.date = date
        document.metadata = {**document.metadata, "date_source": "the date the photo was taken"}
    return document


def _turns(
    pdf: bytes, document: ExtractedDocument, progress: Progress | None, cancel: CancelToken | None
) -> list[int]:
    """Per page, the turn that makes it read upright (0 for pages that already do)."""
    turns: list[int] = []
    for page in document.pages:
        check(cancel)
        if not page.ocr or reads_upright(page.text):
            turns.append(0)
            continue
        report(
            progress,
            0.7,
            _("Finding which way up page {number} reads").format(number=page.index + 1),
        )
        turns.append(best_turn(pdf, page.index, require_tessdata(), page.text))
    return turns


def turns_of(metadata: dict[str, str]) -> list[int]:
    """The turns an import recorded for a picture's pages (see `TURNED`), [] if none."""
    try:
        return [int(t) % 360 for t in metadata.get(TURNED, "").split(",") if t.strip()]
    except ValueError:
        return []


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
