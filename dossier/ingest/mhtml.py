"""Web pages saved as one file (`.mhtml`, `.mht`: "Webpage, single file" in Chrome, Edge,
Opera and old Internet Explorer).

The file is a MIME message (`multipart/related`, read with the standard library's `email`):
its first HTML part is the page, the other parts its images, styles and frames. The page is
read as a saved article is (`formats._from_html`, given by the caller); the address it was
saved from (`Snapshot-Content-Location`, else the page part's `Content-Location`) and the date
it was saved (`Date`) are recorded as its provenance.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from email.message import EmailMessage, Message
from email.utils import parsedate_to_datetime

from dossier.errors import InputRefused
from dossier.i18n import _
from dossier.ingest.email_message import parse_message
from dossier.ingest.email_parts import header_text
from dossier.text.model import ExtractedDocument

MHTML_EXTRACTOR_VERSION = "mhtml-1"
MHTML_MIME = "multipart/related"

_CONTENT_TYPE = re.compile(r"^content-type:[ \t]*multipart/related\b", re.I | re.M)
_SAVED_BY = re.compile(r"^(?:snapshot-content-location:|from:[^\n]*saved by)", re.I | re.M)
_FROM = re.compile(r"^from:", re.I | re.M)
_MHTML_SUFFIXES = (".mhtml", ".mht")


def looks_like_mhtml(text_head: str, suffix: str) -> bool:
    """A header block declaring `multipart/related` that a browser wrote: its "saved by" mark
    or snapshot address, no sender at all (Internet Explorer), or an .mht/.mhtml name. An
    e-mail with inline images is `multipart/related` too, but it has a real sender."""
    header = re.split(r"\r?\n\r?\n", text_head, maxsplit=1)[0]
    if not _CONTENT_TYPE.search(header):
        return False
    return bool(_SAVED_BY.search(header)) or not _FROM.search(header) or suffix in _MHTML_SUFFIXES


def extract_mhtml(
    data: bytes, name: str, read_page: Callable[[str], ExtractedDocument]
) -> ExtractedDocument:
    """The page inside the file, read by `read_page`, with where and when it was saved."""
    message = parse_message(data, name)
    page = _first_html(message)
    if page is None:
        raise InputRefused(
            _("{name} is a saved web page (MHTML) without any HTML page inside.").format(name=name)
        )
    try:
        content = page.get_content()
    except (LookupError, ValueError, AssertionError) as exc:
        raise InputRefused(
            _("{name} holds a page that cannot be decoded ({exc}).").format(name=name, exc=exc)
        ) from None
    text = content if isinstance(content, str) else bytes(content).decode("utf-8", "replace")
    document = read_page(text)
    document.extractor_version = MHTML_EXTRACTOR_VERSION
    document.mime = MHTML_MIME
    url = header_text(message, "Snapshot-Content-Location") or header_text(page, "Content-Location")
    facts = dict(document.metadata)
    if url.strip():
        facts["captured_url"] = url.strip()
        facts.setdefault("url", url.strip())
    saved = _iso_moment(header_text(message, "Date"))
    if saved:
        facts["captured_at"] = saved
    document.metadata = facts
    return document


def _first_html(message: Message) -> EmailMessage | None:
    for part in message.walk():
        if part.get_content_type() in ("text/html", "application/xhtml+xml"):
            return part if isinstance(part, EmailMessage) else None
    return None


def _iso_moment(value: str) -> str:
    """An RFC 5322 date as ISO 8601 ("" when it is none)."""
    if not value.strip():
        return ""
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        return ""
