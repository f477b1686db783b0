"""An e-mail's attachments and forwarded messages, taken out in memory as `EmbeddedFile`s.

A reply from an administration often is a two-line message and a PDF: the PDF is the story.
Each attachment becomes a document of its own, linked to its message; a forwarded message
(message/rfc822) becomes a child e-mail, whose own attachments become its children in turn.
Nothing here touches the disk: the bytes go from the parsed message to the import's memory.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import quopri
import unicodedata
from email import errors
from email.headerregistry import HeaderRegistry
from email.message import EmailMessage, Message, MIMEPart
from email.parser import BytesParser
from email.policy import EmailPolicy
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from dossier.ingest.mail_boundaries import boundary_parser
from dossier.text.model import CUT_SHORT, EmbeddedFile

MAX_ATTACHMENTS = 500
"""Per message: more is a spam bomb, not correspondence."""
_MAX_NAME = 200


class _EightBitHeaders(EmailPolicy):
    """The standard library's policy, but a header written in raw 8-bit bytes (old Outlook
    versions, some webmails) is read as UTF-8 when it is UTF-8 and as Windows-1252 otherwise,
    before it is parsed: the library reads such bytes as UTF-8 or, failing that, as "�" (an
    address's display name as Latin-1 even when it is UTF-8), losing every accent."""

    def header_fetch_parse(self, name: str, value: str) -> Any:
        if hasattr(value, "name") or value.isascii():
            return super().header_fetch_parse(name, value)
        raw = value.encode("utf-8", "surrogateescape")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", "replace")
        return super().header_fetch_parse(name, text)


_KNOWN_HEADERS = 64
"""Parsed headers remembered at most: a message reads its own a dozen times, and a mailbox's
messages share many (the owner's address, the parts' Content-Type, a few correspondents);
each message also brings its own (a parsed header weighs ~100 times its text: kept for a whole
mailbox, they took 80 times the mailbox's size in memory)."""

_KNOWN_TEXT = 4096
"""Characters of header text remembered at most, and the longest header remembered with them
(longer ones apart, fewer: `_KNOWN_LONG`): a parsed list of addresses weighs 200 times its
text, so 64 long headers (up to `MAX_HEADER_BYTES` each) held 400 MB for a mailbox of a few
MB. A message's headers read again and again (its parts' Content-Type and
Content-Disposition) are a few hundred characters."""

_KNOWN_LONG = 3
"""Longer headers (up to `MAX_HEADER_BYTES`) remembered at most, apart, the last read: the
parser takes time quadratic in a header's length (a 28 KB Content-Type took 70 ms a parse,
and a message reads it a dozen times: 0.87 CPU-s a message, 8.1 for a 280 KB mailbox of
ten, now 0.10 and 0.42); three of 32 KB (a To, a Content-Type, a Content-Disposition) weigh
27 MB."""


class _Known(dict[tuple[str, str], Any]):
    """Parsed headers by (name, text), the least recently read first, and the length of
    their texts."""

    text = 0


class _ParsedOnce(_EightBitHeaders):
    """`_EightBitHeaders` remembering the headers it has parsed last, for the messages of one
    parser: the standard library parses a header again at every read, and reading one message
    reads its Content-Type a dozen times (the parser, the body's choice, each part's filename
    and disposition), so parsing came to two thirds of reading a short e-mail; the messages of
    one mailbox read by one parser parse what they share once (the first of a mailbox's
    headers to go when the memory is full are those read longest ago: a message's own). The
    headers are immutable values (a message's parts share them already); the memory goes
    with the parser."""

    def header_fetch_parse(self, name: str, value: str) -> Any:
        if hasattr(value, "name"):  # already a header object: nothing to parse
            return super().header_fetch_parse(name, value)
        key = (name, value)  # the header keeps its name as written
        if len(value) > _KNOWN_TEXT:
            return self._long_header(key)
        known: _Known = self.__dict__["_known"]
        header = known.pop(key, None)
        if header is None:
            header = super().header_fetch_parse(name, value)
            known.text += len(value)
            while len(known) >= _KNOWN_HEADERS or known.text > _KNOWN_TEXT:
                # One mailbox's parser: its memory must not grow with the box.
                oldest = next(iter(known))
                del known[oldest]
                known.text -= len(oldest[1])
        known[key] = header  # read last: the last to go
        return header

    def _long_header(self, key: tuple[str, str]) -> Any:
        long: dict[tuple[str, str], Any] = self.__dict__["_long"]
        header = long.pop(key, None)
        if header is None:
            header = super().header_fetch_parse(*key)
            if len(long) >= _KNOWN_LONG:
                del long[next(iter(long))]
        long[key] = header  # read last: the last to go
        return header


class _ClassesMadeOnce(HeaderRegistry):
    """The standard library's header registry, but each kind of header's class is made once:
    the library makes a new class (`type(...)`) at every header it parses, a fifth of the
    CPU of reading a mailbox's messages. The classes made are the library's own, one per
    registered kind (a bounded set, whatever names hostile headers carry)."""

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[type, type] = {}

    def __getitem__(self, name: str) -> type:
        kind = self.registry.get(name.lower(), self.default_class)
        made = self._made.get(kind)
        if made is None:
            made = self._made[kind] = super().__getitem__(name)
        return made


_HEADER_CLASSES = _ClassesMadeOnce()


def mail_parser() -> BytesParser:
    """A parser for one e-mail or one mailbox's messages (`email_message`, `mbox`)."""
    policy = _ParsedOnce(header_factory=_HEADER_CLASSES)
    # Policies refuse new attributes (they are meant to be shared); this one is not.
    object.__setattr__(policy, "_known", _Known())
    object.__setattr__(policy, "_long", {})
    return boundary_parser(policy)


def parsed_header(message: Message, key: str) -> object | None:
    """The header as the standard library's registry models it (an address list, a date), or
    its raw text when the parser cannot model it. The parser raises nearly any exception on
    hostile values ("a@" is an IndexError, "<aa@[=FF" an AttributeError), so all are caught."""
    try:
        return message.get(key)
    except Exception:
        return next((v for k, v in message.raw_items() if k.lower() == key.lower()), None)


def header_text(message: Message, key: str) -> str:
    """A header as one clean line ("" when absent), its raw form if it cannot be parsed."""
    value = parsed_header(message, key)
    return " ".join(str(value).split()) if value is not None else ""


class PartFacts:
    """A message's parts' type, file name and disposition, each asked of the library once a
    part: the library parses them out of the part's headers again at every ask (a file name
    in Python, parameter by parameter), and choosing the body, listing the attachments and
    taking them out asked each part for each five to eight times, a third of reading a short
    message. Each is asked when the reading first needs it, as before (a hostile header
    raises then, not earlier). For one message, read once, unchanged while it is read."""

    def __init__(self) -> None:
        # By id, each with its part, which keeps the id from going to another part meanwhile.
        self._kinds: dict[int, tuple[MIMEPart, str]] = {}
        self._filenames: dict[int, tuple[MIMEPart, str | None]] = {}
        self._dispositions: dict[int, tuple[MIMEPart, str | None]] = {}

    def kind(self, part: MIMEPart) -> str:
        known = self._kinds.get(id(part))
        if known is None:
            known = self._kinds[id(part)] = (part, part.get_content_type())
        return known[1]

    def filename(self, part: MIMEPart) -> str | None:
        known = self._filenames.get(id(part))
        if known is None:
            known = self._filenames[id(part)] = (part, part.get_filename())
        return known[1]

    def disposition(self, part: MIMEPart) -> str | None:
        known = self._dispositions.get(id(part))
        if known is None:
            known = self._dispositions[id(part)] = (part, part.get_content_disposition())
        return known[1]


def embedded_files(
    message: MIMEPart,
    body: MIMEPart | None,
    *,
    ended: bool = False,
    facts: PartFacts | None = None,
) -> list[EmbeddedFile]:
    """Attachments and forwarded messages of `message`, in order, without its body parts.
    `ended`: the message's bytes end with a line break (the parser drops the last one);
    `facts`: what the rest of the message's reading has asked of its parts."""
    found: list[EmbeddedFile] = []
    _collect(message, body, found, ended, facts or PartFacts())
    return found[:MAX_ATTACHMENTS]


def _collect(
    container: MIMEPart,
    body: MIMEPart | None,
    found: list[EmbeddedFile],
    ended: bool,
    facts: PartFacts,
) -> None:
    parts = list(container.iter_parts())
    # Parts end with a closing boundary; a message cut short has none, and ends in its last part.
    cut = any(isinstance(d, errors.CloseBoundaryNotFoundDefect) for d in container.defects)
    for part in parts:
        if len(found) >= MAX_ATTACHMENTS:
            return
        if part is body:
            continue
        kind = facts.kind(part)
        filename = facts.filename(part)
        attached = facts.disposition(part) == "attachment"
        if kind == "message/rfc822":
            inner = part.get_payload(0) if part.is_multipart() else None
            if isinstance(inner, EmailMessage):
                message = _message_bytes(part, inner)
                subject = header_text(inner, "Subject")
                name = filename or f"{subject or 'forwarded message'}.eml"
                found.append(
                    EmbeddedFile(safe_name(name, "forwarded.eml"), message, "attached message")
                )
        elif part.is_multipart():
            _collect(part, body, found, ended, facts)
        elif kind.startswith("text/") and not filename and not attached:
            continue  # the body's other rendering (HTML beside plain text), not an attachment
        else:
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload:
                extension = mimetypes.guess_extension(kind) or ".bin"
                fallback = f"attachment-{len(found) + 1}{extension}"
                ends = cut and part is parts[-1] and not (ended and _encoding_ends(part))
                known = {CUT_SHORT: "1"} if ends else {}
                name = safe_name(filename or fallback, fallback)
                found.append(EmbeddedFile(name, payload, "attachment", metadata=known))


def _encoding_ends(part: MIMEPart) -> bool:
    """Whether a last part without its closing boundary (some senders leave it out) still holds
    its whole file: base64 that decodes cleanly and ends with the encoder's last line, shorter
    than the others or padded, before the message's last line break. A cut leaves a line half
    there (no line break after it) or a whole one, as long as the others."""
    if str(part.get("Content-Transfer-Encoding", "")).strip().lower() != "base64":
        return False
    raw = part.get_payload(decode=False)
    if not isinstance(raw, str) or part.defects:
        return False
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    if not lines or len(lines[-1]) % 4:
        return False
    return lines[-1].endswith("=") or len(lines[-1]) < len(lines[0])


def _message_bytes(part: MIMEPart, inner: EmailMessage) -> bytes:
    """An attached message's bytes. Some mailers base64-encode a message/rfc822 part, which
    the standard forbids: the parser then sees a message without headers whose body is the
    encoded text, so that text is decoded here."""
    raw = bytes(inner)
    encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    if encoding == "base64":
        try:
            return base64.b64decode(raw)  # characters outside the alphabet (line ends) skipped
        except binascii.Error:
            return raw  # badly padded: the parser's view is all there is
    if encoding == "quoted-printable":
        return quopri.decodestring(raw)
    return raw


def safe_name(name: str, fallback: str) -> str:
    """A file name to show and to sniff by: no folders, no control characters, not too long."""
    base = PureWindowsPath(PurePosixPath(name).name).name
    base = "".join(c for c in unicodedata.normalize("NFC", base) if c.isprintable()).strip(" .")
    if not base:
        return fallback
    if len(base) > _MAX_NAME:
        stem, dot, suffix = base.rpartition(".")
        base = (stem[: _MAX_NAME - len(suffix) - 1] + dot + suffix) if dot else base[:_MAX_NAME]
    return base
