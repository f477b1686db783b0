"""Web archives kept as evidence: WARC files (archive.org, webrecorder, wget, browsertrix) and
WACZ packages (a zip holding WARC files).

The archive becomes one document listing what it captured; each HTML page it captured (a
`response` record with status 200 and an HTML type) is handed over in `embedded` to become a
document of its own, with the captured URL and the capture date recorded as its provenance.
Everything else (requests, images, scripts, redirects, revisits, metadata) is counted in the
archive's own text and stays inside its encrypted original.

warcio reads the records, inflating gzip members as a stream; every page's size and the
archive's total are capped. A WACZ is judged by `dossier.zipsafe` before any member is read.
A record warcio cannot parse ends the reading: the pages before it are kept, and the archive's
text says the rest is damaged; an archive without a single readable record is refused.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from dossier.errors import InputRefused
from dossier.i18n import _
from dossier.ingest.email_parts import safe_name
from dossier.ingest.plaintext import text_pages
from dossier.text.lang import guess_language
from dossier.text.model import EmbeddedFile, ExtractedDocument
from dossier.zipsafe import SafeZip

WARC_EXTRACTOR_VERSION = "warc-1"
WARC_MIME = "application/warc"
WACZ_MIME = "application/wacz"

MAX_PAGE_BYTES = 64 * 1024**2
"""One captured HTML page; a larger "page" is a dump, left inside the archive."""
MAX_PAGES_BYTES = 1024**3
"""All the pages of one archive, held in memory during its import."""
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_RECORD_TYPES = frozenset(
    {"warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion",
     "continuation"}
)  # fmt: skip
"""The record types of WARC 1.0 and 1.1: anything else is not a record warcio understood."""


@dataclass
class _Reading:
    pages: list[EmbeddedFile] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    ignored: Counter[str] = field(default_factory=Counter)
    kept_bytes: int = 0
    records: int = 0
    damaged: str = ""


def is_wacz(data: bytes) -> bool:
    """Whether a zip is a WACZ package: a `datapackage.json` and WARC files under `archive/`."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return False
    return "datapackage.json" in names and any(_is_warc_member(n) for n in names)


def _is_warc_member(name: str) -> bool:
    return name.startswith("archive/") and name.endswith((".warc", ".warc.gz"))


def extract_warc(data: bytes, name: str) -> ExtractedDocument:
    """The archive as a list of its captured pages; each page is handed over in `embedded`."""
    reading = _Reading()
    _read_records(data, reading)
    if not reading.records:
        raise InputRefused(
            _("{name} is not a readable web archive (WARC){damaged}.").format(
                name=name, damaged=reading.damaged
            )
        )
    return _document(reading, "Web archive (WARC)", WARC_MIME)


def extract_wacz(data: bytes, name: str) -> ExtractedDocument:
    """A WACZ package: the pages of every WARC file under its `archive/` folder."""
    reading = _Reading()
    with SafeZip(data, label=name) as package:
        for member in package.members:
            if _is_warc_member(member.name):
                _read_records(package.read(member.name), reading, member.name)
    if not reading.records:
        raise InputRefused(
            _("{name} holds no readable web archive record{damaged}.").format(
                name=name, damaged=reading.damaged
            )
        )
    return _document(reading, "Web archive package (WACZ)", WACZ_MIME)


def _read_records(data: bytes, reading: _Reading, where: str = "") -> None:
    from warcio.archiveiterator import ArchiveIterator

    class QuietIterator(ArchiveIterator):  # type: ignore[misc]  # warcio is untyped
        # warcio writes the bytes that follow a record whose length lies to stderr: the
        # source's page on the terminal or in a log. The damage shows in the archive's text.
        INC_RECORD = ""

    try:
        for record in QuietIterator(io.BytesIO(data)):
            if getattr(record, "rec_type", None) not in _RECORD_TYPES:
                reading.ignored["unreadable record"] += 1
                continue
            reading.records += 1
            _take(record, reading)
    except Exception as exc:  # warcio on hostile input raises many kinds; the pages read so
        # far are kept, and the archive's text says where the reading stopped.
        place = f" in {where}" if where else ""
        reading.damaged = f" (damaged after record {reading.records}{place}: {type(exc).__name__})"


def _take(record: object, reading: _Reading) -> None:
    kind = getattr(record, "rec_type", "")
    headers = record.rec_headers  # type: ignore[attr-defined]
    http = getattr(record, "http_headers", None)
    if kind != "response" or http is None:
        reading.ignored[f"{kind} record"] += 1
        return
    content_type = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
    status = http.get_statuscode() or ""
    if status != "200" or content_type not in _HTML_TYPES:
        what = f"status {status}" if status != "200" else (content_type or "untyped")
        reading.ignored[f"response ({what})"] += 1
        return
    url = headers.get_header("WARC-Target-URI") or ""
    captured = headers.get_header("WARC-Date") or ""
    payload = record.content_stream().read(MAX_PAGE_BYTES + 1)  # type: ignore[attr-defined]
    if len(payload) > MAX_PAGE_BYTES or reading.kept_bytes + len(payload) > MAX_PAGES_BYTES:
        reading.ignored["page too large to import"] += 1
        return
    reading.kept_bytes += len(payload)
    number = len(reading.pages) + 1
    reading.pages.append(
        EmbeddedFile(
            _page_name(url, number),
            payload,
            "capture",
            metadata={"captured_url": url, "captured_at": captured},
        )
    )
    reading.lines.append(f"{captured}  {url}")


def _page_name(url: str, number: int) -> str:
    """A file name that says where the page was: host and last part of the path."""
    parts = urlsplit(url)
    stem = PurePosixPath(parts.path).name.rsplit(".", 1)[0] or "index"
    return safe_name(f"{parts.hostname or 'page'} {stem}.html", f"page-{number}.html")


def _document(reading: _Reading, what: str, mime: str) -> ExtractedDocument:
    lines = [f"{what}: {len(reading.pages)} captured page(s) out of {reading.records} records"]
    lines += ["", *reading.lines]
    if reading.ignored:
        lines += ["", "Not imported as documents (they stay in the original):"]
        lines += [f"{count} × {label}" for label, count in sorted(reading.ignored.items())]
    if reading.damaged:
        lines += ["", f"The rest of the archive could not be read{reading.damaged}."]
    text = "\n".join(lines)
    return ExtractedDocument(
        pages=text_pages(text),
        extractor_version=WARC_EXTRACTOR_VERSION,
        mime=mime,
        language=guess_language(text),
        metadata={"pages": str(len(reading.pages)), "records": str(reading.records)},
        embedded=reading.pages,
    )
