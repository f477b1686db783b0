"""A mailbox of hostile messages costs CPU in step with its size, whatever the shape of the
hostility: a header of 100 KB, 10,000 recipients, parts nested thousands deep, a header folded
50,000 times. Each shape is grown through `tests.growth`'s sizes (up to 160 KB, and 4 MB once
for the slow campaign), read as a mailbox and as a lone message: a refusal in one sentence is
as good as a reading, as long as it comes in step with the size.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dossier.errors import InputRefused
from dossier.ingest.email_message import extract_email
from dossier.ingest.mbox import extract_mbox
from dossier.services.workspace import Workspace
from tests.growth import grows_linearly, growth

_HEAD = b"From: a@b.example\nTo: c@d.example\nSubject: T\nDate: Tue, 12 Dec 2023 16:05:00 +0100\n"


def _message(headers: bytes, body: bytes = b"Bonjour.\n") -> bytes:
    return _HEAD + headers + b"\n" + body


def _long_cc(size: int) -> bytes:
    return _message(b"Cc: " + b",".join([b"a@b"] * (size // 4)) + b"\n")


def _recipients(size: int) -> bytes:
    """Recipients spread over many Cc headers, each short."""
    return _message(b"".join(b"Cc: r%d@b.fr, s%d@b.fr\n" % (n, n) for n in range(size // 24)))


def _long_content_type(size: int) -> bytes:
    params = b"; ".join(b"p%d=v" % n for n in range(size // 8))
    return _message(b"MIME-Version: 1.0\nContent-Type: text/plain; " + params + b"\n")


def _folded(size: int) -> bytes:
    return _message(b"X-Folded: a" + b"\n a" * (size // 3) + b"\n")


def _folded_subject(size: int) -> bytes:
    return _message(b"Subject: a" + b"\n a" * (size // 3) + b"\n")


def _nested(size: int) -> bytes:
    levels = size // 64
    head = b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (n, n) for n in range(levels)
    )
    tail = b"".join(b"\n--b%d--\n" % n for n in reversed(range(levels)))
    body = b"Content-Type: text/plain\n\nhello\n"
    return _HEAD + b"MIME-Version: 1.0\n" + head + body + tail


def _many(shape: Callable[[int], bytes], each: int) -> Callable[[int], bytes]:
    """A mailbox of messages of about `each` bytes of `shape`, as many as the size holds,
    their hostile headers of different lengths (a parser reads what its messages share
    once)."""

    def build(size: int) -> bytes:
        return b"".join(
            b"From x@y Tue Dec 12 16:05:00 2023\n" + shape(each + 8 * (n % 50))
            for n in range(size // each)
        )

    return build


def _mailbox(shape: Callable[[int], bytes]) -> Callable[[int], bytes]:
    return lambda size: b"From x@y Tue Dec 12 16:05:00 2023\n" + shape(size)


SHAPES: dict[str, Callable[[int], bytes]] = {
    "a header of a@b,a@b,...": _long_cc,
    "thousands of recipients": _recipients,
    "a Content-Type of thousands of parameters": _long_content_type,
    "an unknown header folded thousands of times": _folded,
    "the subject folded thousands of times": _folded_subject,
    "parts nested thousands deep": _nested,
}


def _read_message(data: bytes) -> None:
    try:
        extract_email(data, "m.eml")
    except InputRefused:
        pass  # refused in a moment is fine: the time is what is tested


def _read_mailbox(data: bytes) -> None:
    try:
        extract_mbox(data, "boite.mbox")
    except InputRefused:
        pass


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_hostile_message_costs_in_step_with_its_size(shape: str) -> None:
    costs = growth(_read_message, SHAPES[shape])
    assert grows_linearly(costs) and len(costs) == 3, costs


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_mailbox_of_one_hostile_message_costs_in_step_with_its_size(shape: str) -> None:
    costs = growth(_read_mailbox, _mailbox(SHAPES[shape]))
    assert grows_linearly(costs) and len(costs) == 3, costs


@pytest.mark.slow
@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_mailbox_of_hostile_messages_costs_in_step_with_its_size(shape: str) -> None:
    """Messages of 4 KB each, as many as the size holds: a header of a@b,a@b,... costs
    ~20 µs of CPU a byte in the library's address parser (mail costs 0.15), but in step:
    4 CPU-s a read at 160 KB, three rounds, on a machine that may be five times as slow (the
    helper's 2 s stopped it, its exception caught by the reader until `tests.growth` raised
    one it cannot catch)."""
    costs = growth(_read_mailbox, _many(SHAPES[shape], 4000), (40_000, 160_000), budget=120.0)
    assert grows_linearly(costs) and len(costs) == 2, costs


def _good(number: int) -> bytes:
    return (
        b"From: source%d@example.org\nTo: desk@example.org\nSubject: Message %d\n"
        b"Date: Tue, 12 Dec 2023 16:05:00 +0100\n\nLe corps %d.\n" % (number, number, number)
    )


@pytest.mark.parametrize("shape", ["a header of a@b,a@b,...", "parts nested thousands deep"])
def test_a_hostile_message_leaves_the_rest_of_its_mailbox_read(shape: str) -> None:
    """It is refused alone, with its reason, when the import reads it: the mailbox's other
    messages are read (a header too long anywhere refused the whole mailbox)."""
    messages = [_good(1), SHAPES[shape](100_000), _good(2)]
    data = b"".join(b"From x@y Tue Dec 12 16:05:00 2023\n" + m for m in messages)
    mailbox = extract_mbox(data, "boite.mbox")
    read = [file.extracted for file in mailbox.embedded]
    assert len(read) == 3 and read[0] is not None and read[2] is not None
    assert "Le corps 2." in read[2].pages[0].text
    assert read[1] is None  # left to the import, which refuses it in one sentence
    with pytest.raises(InputRefused) as refused:
        extract_email(mailbox.embedded[1].data, mailbox.embedded[1].name)
    assert "\n" not in str(refused.value)


def test_a_mailbox_holding_a_hostile_message_imports_the_others_and_names_it(
    workspace: Workspace, tmp_path: Path
) -> None:
    messages = [_good(1), _long_cc(100_000), _good(2)]
    path = tmp_path / "boite.mbox"
    path.write_bytes(b"".join(b"From x@y Tue Dec 12 16:05:00 2023\n" + m for m in messages))
    case = workspace.cases.create("Boîte").id
    (outcome,) = workspace.documents.import_many(case, [path], ocr=False)
    assert outcome.document is not None, outcome.error
    children = workspace.documents.children(outcome.document.id)
    assert sorted(child.title for child in children) == ["Message 1", "Message 2"]
    left_out = workspace.documents.get(outcome.document.id).metadata.get("not_imported", "")
    assert "header far longer than any mail program writes" in left_out, left_out
