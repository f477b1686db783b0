"""The page a photo or scan is shown as: the one its import read, turned as the import turned it."""

from __future__ import annotations

from dossier.ingest.image_file import turns_of
from dossier.pdf.images import image_to_pdf
from dossier.services.dto import DocumentInfo


def shown_pages(info: DocumentInfo, original: bytes) -> bytes:
    """`original`, or the PDF of its turned pages when the import turned any to read upright."""
    turns = turns_of(info.metadata)
    if info.mime.startswith("image/") and any(turns):
        return image_to_pdf(original, info.filename or "this image", turns)
    return original
