"""Reading an e-mail parses each of its headers once. The standard library's modern policy
parses a header again at every read, and reading a message reads its Content-Type a dozen
times (the parser, the choice of the body, each part's filename and disposition): a short
message cost 2.9 ms, two thirds of it parsing the same few headers, the most of a mailbox's
import. Counted here on the registry every header parse goes through, for a message with an
attachment and a forwarded message, on its own and in a mailbox.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.headerregistry import HeaderRegistry
from typing import Any

import pytest

from dossier.ingest.formats import extract_bytes
from dossier.services.documents.children import read_children

_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]*:", re.M)


def _message(number: int) -> bytes:
    forwarded = (
        b"From: Desk <desk@example.org>\r\nSubject: Earlier\r\n"
        b"Date: Mon, 04 Mar 2024 09:00:00 +0100\r\nContent-Type: text/plain\r\n\r\nBefore.\r\n"
    )
    return (
        b"From: Source " + str(number).encode() + b" <source@example.org>\r\n"
        b"To: desk@example.org, Other <other@example.org>\r\n"
        b"Subject: Message " + str(number).encode() + b"\r\n"
        b"Date: Tue, 05 Mar 2024 10:00:00 +0100\r\n"
        b"Message-ID: <m" + str(number).encode() + b"@example.org>\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe body.\r\n"
        b'--B\r\nContent-Type: text/plain; name="notes.txt"\r\n'
        b'Content-Disposition: attachment; filename="notes.txt"\r\n\r\nThe notes.\r\n'
        b"--B\r\nContent-Type: message/rfc822\r\n\r\n" + forwarded + b"\r\n--B--\r\n"
    )


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The name of every header the registry parses."""
    seen: list[str] = []
    parse = HeaderRegistry.__call__

    def counted(self: HeaderRegistry, name: str, value: str) -> Any:
        seen.append(name.lower())
        return parse(self, name, value)

    monkeypatch.setattr(HeaderRegistry, "__call__", counted)
    yield seen


def test_a_message_parses_each_header_once(parses: list[str]) -> None:
    data = _message(1)
    document = extract_bytes(data, "reply.eml", ocr=False)
    assert document.title == "Message 1" and document.author == "Source 1"
    assert [item.name for item in document.embedded] == ["notes.txt", "Earlier.eml"]
    assert len(parses) <= len(_HEADER_LINE.findall(data)), sorted(parses)


def _imported(data: bytes, name: str) -> list[str]:
    """Titles of the documents the import reads out of `data`, the file first."""
    document = extract_bytes(data, name, ocr=False)
    tree = read_children(document, name, ocr=False, progress=None, cancel=None)
    titles = [document.title or ""]
    level = tree.children
    while level:
        titles += [child.extracted.title or "" for child in level]
        level = [grandchild for child in level for grandchild in child.children]
    return titles


def test_a_mailbox_parses_its_messages_headers_no_more_than_the_messages_alone(
    parses: list[str],
) -> None:
    # Listing a message reads its headers: it is read whole then, once, and the import takes
    # that reading (three headers of each message were parsed twice, for the list and again
    # when the import read the message).
    messages = [_message(number) for number in range(20)]
    for number, message in enumerate(messages):
        assert _imported(message, f"m{number}.eml")[0] == f"Message {number}"
    alone = len(parses)
    parses.clear()
    mbox = b"".join(b"From source@example.org Tue Mar  5 10:00:00 2024\n" + m for m in messages)
    titles = _imported(mbox, "export.mbox")
    assert [f"Message {number}" for number in range(20)] == titles[1:21]
    assert len(parses) <= alone, sorted(parses)


def test_the_messages_headers_of_a_kind_share_one_class_made_once() -> None:
    """The library makes a new class for every header it parses (`type(...)`): a fifth of
    the CPU of reading a mailbox's messages. Each kind of header's class is made once, for
    messages read by different parsers too, and however many names hostile headers carry."""
    from dossier.ingest.email_parts import mail_parser

    made: list[type] = []
    real = HeaderRegistry.__getitem__

    def counted(self: HeaderRegistry, name: str) -> type:
        made.append(real(self, name))
        return made[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(HeaderRegistry, "__getitem__", counted)
        odd = b"".join(b"X-Odd-%d: value\r\n" % n for n in range(300))
        for number in range(30):
            message = mail_parser().parsebytes(odd + _message(number))
            for part in message.walk():
                for name in part.keys():
                    part.get(name)
    assert 0 < len(made) <= 20, len(made)


_HEADERS = [
    ("From", "Source 1 <source@example.org>"),
    ("From", '"Dupont, Jean" <jd@example.org>, =?utf-8?q?R=C3=A9mi?= <r@example.fr>'),
    ("To", "undisclosed-recipients:;"),
    ("To", "a@, <aa@[=FF"),
    ("Date", "Tue, 05 Mar 2024 10:00:00 +0100"),
    ("Date", "not a date"),
    ("Subject", "=?iso-8859-1?q?caf=E9?= (au bar)"),
    ("Content-Type", 'multipart/mixed; boundary="===B=="'),
    ("Content-Type", "text/plain; charset*=utf-8''%E2%82%AC; name=x"),
    ("Content-Disposition", 'attachment; filename*0="a"; filename*1="b.txt"'),
    ("Content-Transfer-Encoding", "Quoted-Printable"),
    ("Message-ID", "<m1@example.org>"),
    ("X-Anything", "free text\twith  spaces"),
]


@pytest.mark.parametrize(("name", "value"), _HEADERS)
def test_a_header_reads_as_the_library_reads_it(name: str, value: str) -> None:
    from email import message_from_bytes
    from email.policy import default

    from dossier.ingest.email_parts import mail_parser

    data = f"{name}: {value}\r\n\r\nBody.\r\n".encode()
    ours, theirs = mail_parser().parsebytes(data), message_from_bytes(data, policy=default)
    try:
        expected = theirs[name]
    except Exception as exc:  # the library raises on some hostile values: so must ours
        with pytest.raises(type(exc)):
            ours[name]
        return
    header = ours[name]
    assert str(header) == str(expected)
    assert type(header).__mro__[1:] == type(expected).__mro__[1:]
    assert [type(d) for d in header.defects] == [type(d) for d in expected.defects]
    for attribute in ("addresses", "datetime", "content_type", "params", "cte"):
        assert repr(getattr(header, attribute, None)) == repr(getattr(expected, attribute, None))


def _long_headers_message(number: int) -> bytes:
    """A message whose Content-Type, an attachment's Content-Disposition and To are each as
    long as a header is read (`MAX_HEADER_BYTES`), the parser's time quadratic in it."""
    from dossier.ingest.email_message import MAX_HEADER_BYTES

    def upto(head: str, items: Iterator[str], separator: str) -> bytes:
        header = head
        for item in items:
            if len(header) + len(separator) + len(item) > MAX_HEADER_BYTES - 100:
                return header.encode()
            header += separator + item
        raise AssertionError("not long enough")

    counted = iter(range(10**6))
    pieces = (f"filename*{n}*=utf-8''%C3%A9" for n in counted)
    return (
        b"From: Source <source@example.org>\r\nSubject: Long " + str(number).encode() + b"\r\n"
        b"Date: Tue, 05 Mar 2024 10:00:00 +0100\r\nMIME-Version: 1.0\r\n"
        + upto("To: a@example.org", (f'"N{n}" <n{n}@example.org>' for n in counted), ", ")
        + b"\r\n"
        + upto("Content-Type: multipart/mixed; boundary=B", (f'p{n}="v"' for n in counted), "; ")
        + b"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nThe body.\r\n--B\r\n"
        + upto("Content-Disposition: attachment", pieces, "; ")
        + b"\r\nContent-Type: application/octet-stream\r\n\r\nThe notes.\r\n--B--\r\n"
    )


def test_headers_as_long_as_a_message_may_hold_are_parsed_once_too(parses: list[str]) -> None:
    # Python's parser takes time quadratic in a header's length: a 28 KB Content-Type took
    # 70 ms a parse, and a message reads it a dozen times (0.8 CPU-s a message; a mailbox
    # of ten such messages, 280 KB, 8 CPU-s).
    data = _long_headers_message(1)
    document = extract_bytes(data, "long.eml", ocr=False)
    assert document.title == "Long 1" and "The body." in document.text
    assert [len(item.name) for item in document.embedded] == [200]  # é… cut to a file name
    assert len(parses) <= len(_HEADER_LINE.findall(data)), sorted(parses)
