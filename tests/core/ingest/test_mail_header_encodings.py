"""Headers written in raw 8-bit bytes instead of MIME's encoded words, as old Outlook versions and
some webmails send them: Windows-1252 (Latin-1) keeps its accents, UTF-8 is read as UTF-8, in
every header a message shows (subject, sender, attachment and forwarded message names), at any
depth of the message and in a mailbox. Before, every accented letter of a Latin-1 header became
"�": the subject, the title and the attachment's name lost them, and a search for them failed.
"""

from __future__ import annotations

import base64

import pytest

from dossier.ingest.formats import extract_bytes

SUBJECT = "Réponse à l'enquête sur le marché"
SENDER = "Hélène Lefèvre"
ATTACHMENT = "Procès-verbal été.pdf"
ENCODINGS = ["cp1252", "latin-1", "utf-8"]


def _message(encoding: str, *, forwarded: bytes = b"", boundary: bytes = b"B") -> bytes:
    def raw(text: str) -> bytes:
        return text.encode(encoding)

    parts = [
        b"--"
        + boundary
        + b"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nCorps du message.\r\n",
        b"--" + boundary + b'\r\nContent-Type: application/pdf; name="' + raw(ATTACHMENT) + b'"\r\n'
        b'Content-Disposition: attachment; filename="' + raw(ATTACHMENT) + b'"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n"
        + base64.b64encode(b"%PDF-1.4\n%%EOF\n")
        + b"\r\n",
    ]
    if forwarded:
        parts.append(
            b"--" + boundary + b"\r\nContent-Type: message/rfc822\r\n\r\n" + forwarded + b"\r\n"
        )
    return (
        b"From: " + raw(SENDER) + b" <helene@example.org>\r\n"
        b"To: redaction@example.org\r\n"
        b"Subject: " + raw(SUBJECT) + b"\r\n"
        b"Date: Tue, 05 Mar 2024 10:00:00 +0100\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="'
        + boundary
        + b'"\r\n\r\n'
        + b"".join(parts)
        + b"--"
        + boundary
        + b"--\r\n"
    )


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_raw_8bit_headers_keep_their_accents(encoding: str) -> None:
    document = extract_bytes(_message(encoding), "reponse.eml", ocr=False)
    assert document.title == SUBJECT
    assert document.author == SENDER
    assert f"Subject: {SUBJECT}" in document.pages[0].text
    assert SENDER in document.pages[0].text
    assert [e.name for e in document.embedded] == [ATTACHMENT]
    assert ATTACHMENT in document.metadata["attachments"]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_forwarded_message_in_raw_8bit_keeps_its_accents(encoding: str) -> None:
    inner = _message(encoding, boundary=b"inner")
    outer = extract_bytes(_message("utf-8", forwarded=inner), "transfert.eml", ocr=False)
    forwarded = next(e for e in outer.embedded if e.origin == "attached message")
    assert forwarded.name == f"{SUBJECT}.eml"
    document = extract_bytes(forwarded.data, forwarded.name, ocr=False)
    assert document.title == SUBJECT and document.author == SENDER
    assert [e.name for e in document.embedded] == [ATTACHMENT]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_mailbox_of_raw_8bit_messages_keeps_their_accents(encoding: str) -> None:
    mailbox = b"From helene@example.org Tue Mar  5 10:00:00 2024\n" + _message(encoding).replace(
        b"\r\n", b"\n"
    )
    document = extract_bytes(mailbox, "boite.mbox", ocr=False)
    (message,) = document.embedded
    assert message.name == f"{SUBJECT}.eml"
    assert SUBJECT in document.pages[0].text


def test_an_encoded_word_header_is_read_as_before() -> None:
    encoded = "=?utf-8?b?" + base64.b64encode(SUBJECT.encode()).decode() + "?="
    data = _message("utf-8").replace(f"Subject: {SUBJECT}".encode(), f"Subject: {encoded}".encode())
    assert extract_bytes(data, "reponse.eml", ocr=False).title == SUBJECT


RLO, PDF_MARK = "\u202e", "\u202c"
"""A right-to-left override, and the mark that ends it."""


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "facture.eml",
            (
                b"From: =?utf-8?q?Service_=E2=80=AEetpmoc?= <a@example.org>\r\n"
                b"Subject: =?utf-8?q?Facture_=E2=80=AEfdp.exe=E2=80=AC?=\r\n"
                b"Date: Tue, 05 Mar 2024 10:00:00 +0100\r\n\r\nCorps.\r\n"
            ),
        ),
        (
            "facture.html",
            f"<html><head><title>Facture {RLO}fdp.exe{PDF_MARK}</title>"
            f'<meta name="author" content="Service {RLO}etpmoc"></head>'
            "<body><p>Corps de la facture.</p></body></html>".encode(),
        ),
    ],
)
def test_a_title_or_author_cannot_show_its_letters_in_reverse(name: str, data: bytes) -> None:
    # "Facture \u202efdp.exe" is shown "Facture exe.pdf": a document list lies about a file.
    document = extract_bytes(data, name, ocr=False)
    assert document.title == "Facture fdp.exe"
    assert document.author is None or RLO not in document.author
    assert not any(RLO in value for value in document.metadata.values())
