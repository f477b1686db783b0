"""Hostile mail structure: parts nested thousands deep are refused in one sentence.

The standard parser and every walk over a message's parts recurse once per level; without a
bound, a small .eml (or MHTML page) nested deep enough ended the import in a RecursionError.
"""

from __future__ import annotations

import pytest

from dossier.errors import InputRefused
from dossier.ingest.email_message import MAX_MIME_DEPTH
from dossier.ingest.formats import extract_bytes


def _nested_multipart(levels: int) -> bytes:
    message = "Content-Type: text/plain\n\nthe innermost words"
    for level in range(levels):
        message = (
            f'Content-Type: multipart/mixed; boundary="b{level}"\n\n'
            f"--b{level}\n{message}\n--b{level}--\n"
        )
    return f"From: a@example.org\nSubject: deep\nMIME-Version: 1.0\n{message}".encode()


def _nested_forwards(levels: int) -> bytes:
    message = "From: a@example.org\nSubject: inner\n\nthe innermost words"
    for level in range(levels):
        message = (
            f"From: a@example.org\nSubject: fwd {level}\nMIME-Version: 1.0\n"
            f"Content-Type: message/rfc822\n\n{message}"
        )
    return message.encode()


@pytest.mark.parametrize("levels", [MAX_MIME_DEPTH + 5, 3000])
@pytest.mark.parametrize("build", [_nested_multipart, _nested_forwards])
def test_mail_nested_too_deep_is_refused(build: object, levels: int) -> None:
    assert callable(build)
    with pytest.raises(InputRefused, match="nests its parts more than 50 levels deep"):
        extract_bytes(build(levels), "deep.eml", ocr=False)


def test_mhtml_nested_too_deep_is_refused() -> None:
    data = _nested_multipart(3000).replace(
        b"Subject: deep", b"Subject: deep\nSnapshot-Content-Location: https://example.org/"
    )
    with pytest.raises(InputRefused, match="levels deep"):
        extract_bytes(data, "page.mhtml", ocr=False)


def test_mail_nested_a_few_levels_is_read() -> None:
    document = extract_bytes(_nested_multipart(12), "fine.eml", ocr=False)
    assert "the innermost words" in document.pages[0].text
