"""A multipart's boundary is found without compiling a regular expression for it (the library
compiles one per boundary, and each message of a mailbox has its own: a tenth of reading a
short message with an attachment). Every message must split into the same parts, preambles,
epilogues and defects as the library's own parser splits it: boundaries holding the pattern
language's characters, boundaries one of which starts another, closing lines with spaces or
junk after them, any line break, boundaries missing or cut off, raw 8-bit bytes."""

from __future__ import annotations

import random
import re
from email.message import Message
from email.parser import BytesParser

import pytest

from dossier.ingest.email_parts import mail_parser
from dossier.ingest.mail_boundaries import _FeedParser
from dossier.ingest.mbox import split_mbox
from tests.paths import INGEST_CORPUS

_BOUNDARIES = [
    "B",
    "==_(.*+?)[x]{2}|^$\\d",
    "with space",
    "B2",
    "",
    "--",
    "é-raw",
    "a" * 70,
]


def _multipart(rng: random.Random, boundary: str, depth: int = 0) -> str:
    """A multipart body with `boundary`, its lines bent the ways senders and attacks bend
    them; sometimes a part is itself multipart with a boundary that may start with this one."""
    lines = [
        f'Content-Type: multipart/{rng.choice(["mixed", "alternative"])}; boundary="{boundary}"',
        "",
        rng.choice(["", "preamble", "--" + boundary + "x"]),
    ]
    for number in range(rng.randint(0, 3)):
        lines.append("--" + boundary + rng.choice(["", " ", "\t ", "--", "junk", " -- "]))
        if depth < 2 and rng.random() < 0.3:
            inner = rng.choice([boundary + "2", boundary[:-1] or "x", rng.choice(_BOUNDARIES)])
            lines.append(_multipart(rng, inner, depth + 1))
        else:
            lines += ["Content-Type: text/plain", "", f"part {number}", rng.choice(["", "--"])]
    lines.append(
        rng.choice(["--" + boundary + "--", "--" + boundary + "--  ", "", "--" + boundary])
    )
    lines.append(rng.choice(["", "epilogue", "--" + boundary + "--"]))
    return "\n".join(lines)


def _messages() -> list[bytes]:
    rng = random.Random(5)
    made = []
    for _ in range(300):
        text = "From: a@example.org\nSubject: s\n" + _multipart(rng, rng.choice(_BOUNDARIES))
        data = text.encode(rng.choice(["utf-8", "latin-1"]))
        data = data.replace(b"\n", rng.choice([b"\n", b"\r\n", b"\r"]))
        if rng.random() < 0.2:
            data = data[: rng.randrange(len(data) + 1)]
        made.append(data)
    made += [path.read_bytes() for path in sorted(INGEST_CORPUS.glob("*.eml"))]
    for path in sorted(INGEST_CORPUS.glob("*.mbox")):
        made += split_mbox(path.read_bytes())
    return made


def _shape(message: Message) -> object:
    payload = message.get_payload()
    return (
        type(message).__name__,
        list(message.raw_items()),
        [type(defect).__name__ for defect in message.defects],
        message.preamble,
        message.epilogue,
        [_shape(part) for part in payload] if isinstance(payload, list) else payload,
    )


def test_messages_split_into_the_parts_the_library_finds() -> None:
    ours = mail_parser()
    multipart = 0
    for data in _messages():
        library = BytesParser(policy=ours.parser.policy)
        mine, theirs = ours.parsebytes(data), library.parsebytes(data)
        assert _shape(mine) == _shape(theirs), data[:400]
        multipart += theirs.is_multipart()
    assert multipart > 100


def test_reading_a_mailboxs_messages_compiles_no_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[str] = []
    real = re.compile

    def counted(pattern: str, flags: int = 0) -> re.Pattern[str]:
        compiled.append(pattern)
        return real(pattern, flags)

    monkeypatch.setattr(re, "compile", counted)
    parser = mail_parser()
    for number in range(20):
        boundary = b"b%d" % number
        parser.parsebytes(
            b'Content-Type: multipart/mixed; boundary="' + boundary + b'"\n\n'
            b"--" + boundary + b"\n\nx\n--" + boundary + b"--\n"
        )
    assert compiled == []


def test_the_parser_finds_the_rest_of_re_where_it_always_was() -> None:
    # Another Python's parser may ask `re` for more than `escape` and `compile`.
    patterns = vars(_FeedParser)["_parsegen"].__globals__["re"]
    assert patterns.match is re.match and patterns.IGNORECASE is re.IGNORECASE
    assert patterns.escape("a.b") == re.escape("a.b")
