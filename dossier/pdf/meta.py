"""Document-level facts a PDF states about itself: title, author, dates, attachments.

They are the producer's claims, not verified facts: a title is often a file name
("10811.exe" in the corpus' Supreme Court transcript) and a date may be absent or a
placeholder (`D:00000101000000Z`). We pass on what parses and drop the rest.
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated; we call them directly here.)

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_PDF_DATE = re.compile(r"^\s*(?:D:)?(\d{4})(\d{2})?(\d{2})?")

ATTACHMENT_SEPARATOR = "\n"
"""`metadata["attachments"]` holds the attached files' names, one per line."""


def pdf_date_to_iso(value: str | None) -> str | None:
    """`D:YYYYMMDDHHmmSSOHH'mm'` (PDF 32000-1 7.9.4, month and day optional) -> `YYYY-MM-DD`."""
    if not value:
        return None
    match = _PDF_DATE.match(value)
    if not match:
        return None
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    return date.isoformat() if date.year > 1 else None


def clean_field(value: object) -> str:
    """A metadata string without control characters and surrounding blanks ("" if absent)."""
    if not isinstance(value, str):
        return ""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in value).split())


def attachment_names(doc: Any) -> list[str]:
    """Names of the files embedded in the PDF (its "attachments" panel), in stored order."""
    names: list[str] = []
    for index in range(doc.embfile_count()):
        info = doc.embfile_info(index)
        name = clean_field(info.get("filename")) or clean_field(info.get("name"))
        names.append(name or f"attachment {index + 1}")
    return names


def document_facts(
    doc: Any,
) -> tuple[str | None, str | None, str | None, dict[str, str]]:
    """Title, author, ISO creation date and the extra metadata worth keeping."""
    raw = doc.metadata or {}
    title = clean_field(raw.get("title")) or None
    author = clean_field(raw.get("author")) or None
    date = pdf_date_to_iso(raw.get("creationDate"))
    extra: dict[str, str] = {}
    for key, name in (
        ("subject", "subject"),
        ("keywords", "keywords"),
        ("creator", "creator"),
        ("producer", "producer"),
        ("format", "pdf_version"),
        ("encryption", "encryption"),
    ):
        value = clean_field(raw.get(key))
        if value:
            extra[name] = value
    modified = pdf_date_to_iso(raw.get("modDate"))
    if modified:
        extra["modified"] = modified
    names = attachment_names(doc)
    if names:
        extra["attachments"] = ATTACHMENT_SEPARATOR.join(names)
    if doc.is_repaired:
        extra["repaired"] = "yes"
    return title, author, date, extra
