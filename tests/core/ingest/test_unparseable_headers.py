"""Header values the standard library's e-mail parser cannot model (it raises IndexError,
AttributeError, TypeError or UnboundLocalError on them) in any header a reader looks at, in
an e-mail, a mailbox, a forwarded message or a saved web page: the file is read with the
header's raw text, or refused in one sentence, never a traceback."""

from __future__ import annotations

import pytest

from dossier.errors import InputRefused
from dossier.ingest.formats import extract_bytes
from dossier.services.documents.children import read_children

# Found by fuzzing the parser with address and encoded-word punctuation.
HOSTILE = ["a@", "<", ":: utf-8;\\", "?q??=@[ ", "(). \\\udcff", "<aa@[=FF"]
HEADERS = ["From", "To", "Cc", "Subject", "Date", "Message-ID"]


def _message(header: str, value: str) -> bytes:
    others = {
        "From": "Mairie <mairie@example.org>",
        "To": "redaction@example.org",
        "Subject": "Réponse du conseil",
        "Date": "Tue, 05 Mar 2024 10:00:00 +0100",
    }
    others[header] = value
    lines = [f"{name}: {text}" for name, text in others.items()]
    return "\n".join([*lines, "", "Le conseil a voté le budget.", ""]).encode(
        "utf-8", "surrogateescape"
    )


def _forwarded(inner: bytes) -> bytes:
    return (
        b"From: a@example.org\nSubject: Fwd\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="B"\n\n--B\nContent-Type: text/plain\n\nvoir\n'
        b"--B\nContent-Type: message/rfc822\n\n" + inner + b"\n--B--\n"
    )


def _mhtml(inner: bytes) -> bytes:
    head, _, _ = inner.partition(b"\n\n")
    return (
        head + b'\nMIME-Version: 1.0\nContent-Type: multipart/related; boundary="P"\n\n'
        b"--P\nContent-Type: text/html\nContent-Location: https://example.org/\n\n"
        b"<html><body><p>Le conseil</p></body></html>\n--P--\n"
    )


WRAPPERS = {
    "message.eml": lambda b: b,
    "box.mbox": lambda b: b"From MAILER-DAEMON Tue Mar  5 10:00:00 2024\n" + b,
    "forward.eml": _forwarded,
    "page.mhtml": _mhtml,
}


@pytest.mark.parametrize("name", sorted(WRAPPERS))
@pytest.mark.parametrize("header", HEADERS)
def test_an_unparseable_header_never_raises_a_traceback(name: str, header: str) -> None:
    for value in HOSTILE:
        data = WRAPPERS[name](_message(header, value))
        try:
            document = extract_bytes(data, name, ocr=False)
            read_children(document, name, ocr=False, progress=None, cancel=None)
        except InputRefused as exc:
            assert "\n" not in str(exc)
