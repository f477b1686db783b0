"""A mailbox whose messages name odd charsets is read whole, each message as what it is.

A mailbox's messages are read as e-mails as it is listed (`read_messages`), not one by one
through the sniffing a lone `.eml` gets: a charset naming no codec, or one holding a NUL byte
(which Python's codec lookup refuses with a ValueError, not a LookupError), must not end the
whole mailbox's import in an internal error.
"""

from __future__ import annotations

import pytest

from dossier.ingest import mbox


def _message(number: int, charset: bytes) -> bytes:
    return (
        b"From source@example.org Mon Jan  1 10:00:00 2024\n"
        b"From: Source <source@example.org>\n"
        b"Subject: Message %d\n"
        b"Date: Mon, 01 Jan 2024 10:00:00 +0100\n"
        b'Content-Type: text/plain; charset="%s"\n\n'
        b"Le t\xc3\xa9moin Quartermaine confirme.\n\n" % (number, charset)
    )


@pytest.mark.parametrize(
    "charset", [b"utf\x00-8", b"utf-8\x00", b"x-unknown", b"'", b"a" * 300, b"utf-16\x00"]
)
def test_every_message_of_a_mailbox_is_read_whatever_charset_it_names(charset: bytes) -> None:
    data = b"".join(_message(n, b"utf-8" if n != 2 else charset) for n in range(1, 4))
    document = mbox.extract_mbox(data, "boite.mbox")
    assert len(document.embedded) == 3
    assert "Message 2" in document.text
    first, odd = document.embedded[0], document.embedded[1]
    assert first.extracted is not None and "Quartermaine confirme" in first.extracted.text
    if odd.extracted is not None:
        assert "Quartermaine confirme" in odd.extracted.text
