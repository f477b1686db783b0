"""Web pages kept as evidence: MHTML ("Webpage, single file"), WARC and WACZ captures, made
here as browsers and archiving tools write them, imported with their URL and capture date."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dossier.errors import InputRefused
from dossier.ingest.formats import extract_bytes
from dossier.ingest.sniff import MHTML, WARC, sniff_kind
from dossier.services.workspace import Workspace
from tests.core.ingest.test_article import ARTICLE_SENTENCES, BOILERPLATE, news_page

PAGE_URL = "https://www.lecourrier.example/education/college-123"


def mhtml(*, browser: bool = True) -> bytes:
    """A page saved by Chrome ("Saved by Blink") or, with `browser=False`, by Internet
    Explorer (no sender), with an image beside the page."""
    message = EmailMessage()
    if browser:
        message["From"] = "<Saved by Blink>"
        message["Snapshot-Content-Location"] = PAGE_URL
    message["Subject"] = "Collège Jean-Moulin : une subvention qui interroge"
    message["Date"] = "Thu, 7 Mar 2024 21:14:05 +0100"
    message["MIME-Version"] = "1.0"
    message.set_content(news_page(url_tags=False), subtype="html", cte="quoted-printable")
    message.make_related()
    message.get_payload()[0]["Content-Location"] = PAGE_URL
    message.add_related(b"\x89PNG\r\n\x1a\nfake", maintype="image", subtype="png")
    return bytes(message)


def test_mhtml_is_the_page_with_where_and_when_it_was_saved() -> None:
    data = mhtml()
    assert sniff_kind(Path("page.mhtml"), data[:8192]) == MHTML
    assert sniff_kind(Path("page"), data[:8192]) == MHTML  # by content, not by name
    document = extract_bytes(data, "page.mhtml")
    assert document.extractor_version == "mhtml-1"
    for sentence in ARTICLE_SENTENCES:
        assert sentence in document.text
    assert not any(word in document.text for word in BOILERPLATE)
    assert document.metadata["captured_url"] == PAGE_URL
    assert document.metadata["captured_at"] == "2024-03-07T21:14:05+01:00"
    assert document.outlet == "Le Courrier du Sud"
    old = extract_bytes(mhtml(browser=False), "page.mht")
    assert old.metadata["captured_url"] == PAGE_URL
    assert ARTICLE_SENTENCES[0] in old.text


def test_an_email_with_inline_images_stays_an_email() -> None:
    message = EmailMessage()
    message["From"] = "presse@departement.example"
    message["To"] = "redaction@journal.example"
    message["Subject"] = "Communiqué"
    message["Date"] = "Thu, 7 Mar 2024 21:14:05 +0100"
    message.set_content("<p>Le communiqué.</p>", subtype="html")
    message.make_related()
    message.add_related(b"\x89PNG\r\n\x1a\nfake", maintype="image", subtype="png")
    assert sniff_kind(Path("message.eml"), bytes(message)[:8192]) != MHTML
    assert extract_bytes(bytes(message), "message").mime == "message/rfc822"


def _response(writer: WARCWriter, url: str, body: bytes, ctype: str, status: str = "200 OK"):
    headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
    return writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        length=len(body),  # with a length, the writer buffers nothing in a temporary file
        http_headers=headers,
        warc_headers_dict={"WARC-Date": "2024-03-08T09:30:00Z"},
    )


def warc(*, compress: bool = True) -> bytes:
    """A crawl as webrecorder writes it: warcinfo, a request, two HTML pages, an image and a
    redirect."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "test"}))
    request = StatusAndHeaders("GET /education/college-123 HTTP/1.1", [], is_http_request=True)
    writer.write_record(
        writer.create_warc_record(
            PAGE_URL, "request", http_headers=request, payload=io.BytesIO(), length=0
        )
    )
    page = news_page(url_tags=False).encode("utf-8")
    writer.write_record(_response(writer, PAGE_URL, page, "text/html; charset=utf-8"))
    writer.write_record(
        _response(writer, "https://www.lecourrier.example/logo.png", b"\x89PNG", "image/png")
    )
    writer.write_record(
        _response(writer, "https://www.lecourrier.example/old", b"", "text/html", "301 Moved")
    )
    second = (
        "<html><head><title>Mentions</title></head><body><p>Le Courrier du Sud est édité par "
        "la société des éditions du Midi, au capital de 10 000 euros.</p></body></html>"
    )
    writer.write_record(
        _response(writer, "https://www.lecourrier.example/mentions", second.encode(), "text/html")
    )
    return out.getvalue()


def test_warc_pages_become_documents_with_their_capture(
    workspace: Workspace, tmp_path: Path
) -> None:
    data = warc()
    assert sniff_kind(Path("crawl.warc.gz"), data[:8192]) == WARC
    assert sniff_kind(Path("crawl"), warc(compress=False)[:8192]) == WARC
    case = workspace.cases.create("Collège").id
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(data)
    archive = workspace.documents.import_file(case, path)
    assert archive.mime == "application/warc"
    listing = workspace.documents.text(archive.id)
    assert f"2024-03-08T09:30:00Z  {PAGE_URL}" in listing
    assert "1 × response (image/png)" in listing and "1 × response (status 301)" in listing
    assert "1 × request record" in listing and "1 × warcinfo record" in listing
    pages = workspace.documents.children(archive.id)
    assert len(pages) == 2
    first = next(p for p in pages if p.metadata["captured_url"] == PAGE_URL)
    assert first.metadata["captured_at"] == "2024-03-08T09:30:00Z"
    assert first.outlet == "Le Courrier du Sud"
    text = workspace.documents.text(first.id)
    assert ARTICLE_SENTENCES[2] in text and "Horoscope" not in text
    hits = workspace.search.query("maçonnerie", case=case)
    assert [hit.doc_id for hit in hits] == [first.id]


def wacz(warc_data: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("datapackage.json", json.dumps({"profile": "data-package"}))
        package.writestr("archive/data.warc.gz", warc_data)
        for name, content in (extra or {}).items():
            package.writestr(name, content)
    return out.getvalue()


def test_wacz_is_read_through_its_warc_files() -> None:
    document = extract_bytes(wacz(warc()), "capture.wacz")
    assert document.mime == "application/wacz"
    assert [page.metadata["captured_url"] for page in document.embedded] == [
        PAGE_URL,
        "https://www.lecourrier.example/mentions",
    ]
    with pytest.raises(InputRefused, match="refused"):
        extract_bytes(wacz(warc(), {"../../evil.txt": b"x"}), "capture.wacz")


def test_damaged_archives_keep_what_was_read_or_are_refused() -> None:
    data = warc(compress=False)
    cut = data.index(b"https://www.lecourrier.example/mentions") - 200
    kept = extract_bytes(data[:cut] + b"\r\nWARC/1.0\r\nnonsense\r\n", "crawl.warc")
    assert [page.metadata["captured_url"] for page in kept.embedded] == [PAGE_URL]
    for junk in (b"WARC/1.0\r\n" + b"\x00garbage" * 50, gzip.compress(b"WARC/1.0\r\nbroken")):
        with pytest.raises(InputRefused):
            extract_bytes(junk, "crawl.warc")


def test_a_record_whose_length_lies_prints_none_of_its_bytes(
    capfd: pytest.CaptureFixture[str],
) -> None:
    """warcio writes the bytes after a short record to stderr: a source's page on the
    terminal, or in whatever log stderr goes to."""
    data = warc(compress=False)
    marker = b"Content-Length: "
    start = 0
    while (found := data.find(marker, start)) >= 0:
        at = found + len(marker)
        end = data.index(b"\r\n", at)
        start = end
        lying = data[:at] + str(max(0, int(data[at:end]) - 40)).encode() + data[end:]
        try:
            extract_bytes(lying, "crawl.warc")
        except InputRefused:
            pass
    err = capfd.readouterr().err
    assert "Remainder" not in err and "HTTP/1.1" not in err and "Moved" not in err, err
