"""A mailbox's messages are read by one parser, which parses the headers they share once (the
owner's address, the parts' Content-Type, a few correspondents), and a message's parts are
asked their type, file name and disposition once each: every message must read exactly as it
reads alone, whatever came before it in the mailbox (the same text under another header's name
or another spelling of the name, hostile values the library raises on, raw 8-bit headers,
messages cut short), and the parser's memory stays bounded however many messages it reads.
"""

from __future__ import annotations

import random
from email.message import Message

import pytest

from dossier.ingest.email_message import extract_email, read_messages
from dossier.ingest.email_parts import _KNOWN_HEADERS, _KNOWN_TEXT, mail_parser
from dossier.ingest.mbox import split_mbox
from dossier.text.clean import clean_document
from dossier.text.model import ExtractedDocument
from tests.paths import INGEST_CORPUS

_VALUES = [
    "Source 1 <source@example.org>",
    '"Dupont, Jean" <jd@example.org>, =?utf-8?q?R=C3=A9mi?= <r@example.fr>',
    "undisclosed-recipients:;",
    "a@, <aa@[=FF",
    "a@",
    "Tue, 05 Mar 2024 10:00:00 +0100",
    "not a date",
    "=?iso-8859-1?q?caf=E9?= (au bar)",
    "Réponse à la lettre",
    "text/plain; charset*=utf-8''%E2%82%AC; name=x",
    'attachment; filename*0="a"; filename*1="b.txt"',
    "<m1@example.org>",
]
_NAMES = ["From", "To", "Cc", "Date", "Subject", "Message-ID", "In-Reply-To", "Content-Type"]


def _message(rng: random.Random, number: int) -> bytes:
    """A message whose headers take their texts from a small common set, under any name and
    spelling, in UTF-8 or Latin-1, with a text part and an attachment, sometimes cut short."""
    lines = []
    for name in rng.sample(_NAMES[:-1], 5):
        spelled = rng.choice([name, name.upper(), name.lower()])
        value = rng.choice(_VALUES)
        lines.append(f"{spelled}: {value}".encode(rng.choice(["utf-8", "latin-1"])))
    part_type = rng.choice([*_VALUES, "text/plain; charset=utf-8", "text/html"])
    disposition = rng.choice([*_VALUES, "attachment", 'inline; filename="n.txt"'])
    body = (
        b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nLe corps num\xc3\xa9ro %d.\r\n"
        b"--B\r\nContent-Type: %s\r\nContent-Disposition: %s\r\n\r\nLes notes.\r\n--B--\r\n"
        % (number, part_type.encode(), disposition.encode())
    )
    data = b"\r\n".join(lines) + b"\r\n" + body
    return data[: rng.randrange(len(data) // 2, len(data))] if rng.random() < 0.1 else data


def _corpus_messages() -> list[bytes]:
    mails = [path.read_bytes() for path in sorted(INGEST_CORPUS.glob("*.eml"))]
    for path in sorted(INGEST_CORPUS.glob("*.mbox")):
        mails += split_mbox(path.read_bytes())
    assert len(mails) >= 6, f"the corpus's mails are missing from {INGEST_CORPUS}"
    return mails


def _alone(raw: bytes) -> ExtractedDocument | None:
    """The message read on its own, by a parser of its own, as `read_messages` reads it."""
    try:
        document = clean_document(extract_email(raw, "message"))
    except Exception:
        return None
    return document if any(page.text.strip() for page in document.pages) else None


def _shown(document: ExtractedDocument | None) -> object:
    if document is None:
        return None
    return (
        [page.text for page in document.pages],
        document.title,
        document.author,
        document.date,
        document.language,
        document.metadata,
        [(item.name, item.data, item.origin, item.metadata) for item in document.embedded],
    )


@pytest.mark.parametrize("seed", range(3))
def test_messages_read_together_read_as_each_one_alone(seed: int) -> None:
    rng = random.Random(seed)
    messages = [_message(rng, number) for number in range(120)] + _corpus_messages()
    rng.shuffle(messages)
    together = read_messages(messages)
    alone = [_alone(raw) for raw in messages]
    assert sum(document is None for document in alone) < len(messages) // 2
    for raw, mine, theirs in zip(messages, together, alone, strict=True):
        assert _shown(mine) == _shown(theirs), raw[:300]


def test_the_shared_parser_keeps_a_bounded_memory_of_headers() -> None:
    # 100 messages: 200 headers none alike (three times the bound) of 120 KB (thirty times
    # its text); each parsed list of addresses costs 5 ms of CPU.
    parser = mail_parser()
    for number in range(100):
        long_list = ", ".join(f"P{number}x{j} <p{number}x{j}@example.org>" for j in range(40))
        headers = f"From: {long_list}\r\nSubject: Objet {number}\r\nTo: desk@example.org\r\n"
        message = parser.parsebytes(f"{headers}\r\nx\r\n".encode())
        for name in ("From", "Subject", "To"):
            message.get(name)
    known = parser.parser.policy.__dict__["_known"]
    assert len(known) <= _KNOWN_HEADERS
    assert sum(len(text) for _, text in known) == known.text <= _KNOWN_TEXT
    assert ("To", "desk@example.org") in known  # read by every message: kept


def test_a_message_asks_each_part_its_file_name_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # The library cuts a file name out of its header's text at every ask, in Python: choosing
    # the body, listing the attachments and taking them out asked each part three times.
    asked: list[int] = []
    real = Message.get_filename

    def counted(self: Message, failobj: object = None) -> object:
        asked.append(id(self))
        return real(self, failobj)

    monkeypatch.setattr(Message, "get_filename", counted)
    parts = 0
    for raw in _corpus_messages():
        asked.clear()
        extract_email(raw, "message")
        assert len(asked) == len(set(asked)), f"{len(asked)} asks for {len(set(asked))} parts"
        parts += len(asked)
    assert parts >= 10
