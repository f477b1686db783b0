"""Mail saved in UTF-16 or UTF-32, or with a byte-order mark, whose parts were 8-bit text in
their own charsets: the file holds the characters those bytes meant, read back as UTF-8 for
the mail parser, so a part still labelled ISO-8859-1 or Windows-1251 read them as that
charset and every accented letter came out as two ("cafÃ©"), unfound by search. Quoted-
printable and base64 parts keep their bytes and their charsets."""

from __future__ import annotations

import base64

import pytest

from dossier.ingest.formats import extract_bytes
from dossier.ingest.mail_charsets import relabelled
from dossier.text.model import ExtractedDocument

HEAD = (
    "From: Anne Martel <anne@example.org>\r\n"
    "To: redaction@example.org\r\n"
    "Subject: Rendez-vous\r\n"
    "Date: Mon, 4 Mar 2024 10:00:00 +0100\r\n"
    "MIME-Version: 1.0\r\n"
)
FRENCH = "Rendez-vous au café de la gare, à midi. Apportez le reçu."
RUSSIAN = "Встреча в кафе у вокзала в полдень."
SINGLE = (
    HEAD + 'Content-Type: text/plain; charset="iso-8859-1"\r\n'
    "Content-Transfer-Encoding: 8bit\r\n\r\n" + FRENCH + "\r\n"
)
MULTIPART = (
    HEAD + 'Content-Type: multipart/mixed; boundary="sep"\r\n\r\n'
    "--sep\r\n"
    "Content-Type: text/plain; charset=windows-1251\r\n"
    "Content-Transfer-Encoding: 8bit\r\n\r\n" + RUSSIAN + "\r\n"
    "--sep\r\n"
    "Content-Type: text/plain;\r\n charset=ISO-8859-1\r\n\r\n" + FRENCH + "\r\n"
    "--sep\r\n"
    "Content-Type: text/plain; charset=iso-8859-1\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
    "Le pr=E9fet est d=E9j=E0 parti.\r\n"
    "--sep\r\n"
    "Content-Type: text/plain; charset=koi8-r\r\n"
    "Content-Transfer-Encoding: base64\r\n\r\n"
    + base64.b64encode("Протокол заседания.".encode("koi8-r")).decode()
    + "\r\n--sep--\r\n"
)
MAILBOX = "From anne@example.org Mon Mar  4 10:00:00 2024\r\n" + MULTIPART
SINGLES = "".join(
    f"From anne@example.org Mon Mar  {day} 10:00:00 2024\r\n{SINGLE}\r\n" for day in (4, 5)
)
WORDS = ("café", "reçu", "вокзала", "préfet est déjà", "Протокол")


def _text(document: ExtractedDocument) -> str:
    return "\n".join(page.text for page in document.pages)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16", "utf-32", "utf-8-sig"])
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("single.eml", SINGLE),
        ("parts.eml", MULTIPART),
        ("boite.mbox", MAILBOX),
        ("simples.mbox", SINGLES),
    ],
)
def test_wide_mail_keeps_the_letters_of_its_8bit_parts(
    encoding: str, name: str, content: str
) -> None:
    words = ("café", "reçu") if SINGLE in content else WORDS
    document = extract_bytes(content.encode(encoding), name)
    if name.endswith(".mbox"):  # the message is a file inside the mailbox, read on its own
        assert len(document.embedded) == content.count("\nFrom ") + 1
        document = extract_bytes(document.embedded[-1].data, document.embedded[-1].name)
    text = _text(document)
    for word in words:
        assert word in text, (word, text)
    assert "Ã" not in text and "Ð" not in text


def test_mail_as_sent_is_read_as_before() -> None:
    """The same mail with its parts' bytes in their own charsets, as a mail program saves it."""
    parts = MULTIPART.split("--sep\r\n")
    raw = b"--sep\r\n".join(
        part.encode("cp1251" if "windows-1251" in part else "latin-1") for part in parts
    )
    text = _text(extract_bytes(raw, "parts.eml"))
    for word in WORDS:
        assert word in text, (word, text)


def test_only_the_labels_of_8bit_parts_beyond_ascii_change() -> None:
    nested = (
        HEAD + 'Content-Type: multipart/mixed; boundary="outer"\r\n\r\n'
        "--outer\r\n"
        "Content-Type: message/rfc822\r\n\r\n"
        "From: Paul <paul@example.org>\r\nSubject: Fwd\r\n"
        "Content-Type: text/plain; charset=iso-8859-15\r\n\r\n"
        "Le reçu est joint.\r\n"
        "--outer\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n\r\n"
        "ASCII alone.\r\n"
        "--outer--\r\n"
    )
    expected = (
        MULTIPART.replace("charset=windows-1251", "charset=utf-8").replace(
            "charset=ISO-8859-1", "charset=utf-8"
        ),
        nested.replace("charset=iso-8859-15", "charset=utf-8"),
        SINGLE.replace('charset="iso-8859-1"', 'charset="utf-8"'),
    )
    for content, relabelled_content in zip((MULTIPART, nested, SINGLE), expected, strict=True):
        assert relabelled(content) == relabelled_content
        assert relabelled(relabelled_content) == relabelled_content
