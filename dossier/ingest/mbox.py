"""Mailboxes (`.mbox`, as Thunderbird, Apple Mail and Google Takeout export them): one
document for the mailbox, listing its messages, and each message a child document.

The standard library's `mailbox` module reads only from a path, and the import holds the file
in memory (read once from a checked descriptor); writing it back to a temporary file would
put a plaintext copy on disk. The format is simple enough to split here: each message starts
with a "From " line at the start of a line ("From " inside a body is written ">From "), and
each message is then parsed with `email`, as a `.eml` is.

Listing a message reads its headers, and parsing them is most of reading a short message: so
each message is read whole here, once, and handed over with its text (`EmbeddedFile.extracted`)
to become its document, instead of being parsed a second time by the import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

from dossier.errors import InputRefused
from dossier.i18n import _
from dossier.ingest.email_message import check_header_lengths, read_messages
from dossier.ingest.email_parts import header_text, mail_parser, safe_name
from dossier.ingest.plaintext import text_pages
from dossier.ingest.sniff import EMAIL, SNIFF_BYTES, sniff_kind
from dossier.jobs import CancelToken, ChunkMap, Progress, check, report
from dossier.text.lang import guess_language
from dossier.text.model import EmbeddedFile, ExtractedDocument

MBOX_EXTRACTOR_VERSION = "mbox-1"
MBOX_MIME = "application/mbox"

_SEPARATOR = re.compile(rb"^From [^\r\n]*\r?\n", re.M)
_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.M)
_LISTED = 5000
"""Messages listed by name in the mailbox's own page; all of them become documents anyway."""
SHARED_BYTES = 1024 * 1024
"""A mailbox from this size has its messages read by the caller's `ChunkMap` (processes)."""
CHUNK_BYTES = 64 * 1024
CHUNK_MESSAGES = 32


def split_mbox(data: bytes) -> list[bytes]:
    """The raw messages of a mailbox, without their "From " lines, escapes undone."""
    starts = [match.start() for match in _SEPARATOR.finditer(data)]
    messages: list[bytes] = []
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(data)
        separator = _SEPARATOR.match(data, start)
        body_start = separator.end() if separator else start
        message = _ESCAPED_FROM.sub(rb"\1", data[body_start:end])
        if message.strip():
            messages.append(message)
    return messages


def extract_mbox(
    data: bytes,
    name: str,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    chunk_map: ChunkMap | None = None,
) -> ExtractedDocument:
    """The mailbox as a list of its messages; each message is handed over in `embedded`, with
    its text when it reads as an e-mail. `chunk_map` reads a large mailbox's messages (worker
    processes), chunk by chunk."""
    messages = split_mbox(data)
    if not messages:
        raise InputRefused(_("{name} is a mailbox without any message.").format(name=name))
    chunks = _chunks(messages)
    reader = chunk_map if chunk_map is not None and len(data) >= SHARED_BYTES else map
    reading = reader(read_messages, chunks)
    try:
        listing = _listing(messages, reading, progress, cancel)
    finally:
        close = getattr(reading, "close", None)
        if close is not None:
            close()  # a cancel or a failure: the parts no worker has started are dropped now
    text = f"Mailbox of {len(messages)} messages\n\n" + "\n".join(listing.lines)
    metadata = {"messages": str(len(messages))}
    if listing.dates:
        metadata["first_message_date"] = listing.dates[0]
        metadata["last_message_date"] = listing.dates[-1]
    return ExtractedDocument(
        pages=text_pages(text),
        extractor_version=MBOX_EXTRACTOR_VERSION,
        mime=MBOX_MIME,
        language=guess_language(text),
        metadata=metadata,
        embedded=listing.embedded,
    )


@dataclass
class _Listing:
    lines: list[str] = field(default_factory=list)
    embedded: list[EmbeddedFile] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)


def _listing(
    messages: list[bytes],
    reading: Iterable[list[ExtractedDocument | None]],
    progress: Progress | None,
    cancel: CancelToken | None,
) -> _Listing:
    """The mailbox's page (a line per message) and its messages, with their text as read."""
    parser = mail_parser()
    found = _Listing()
    lines, embedded, dates = found.lines, found.embedded, found.dates
    read = (document for chunk in reading for document in chunk)
    for number, (raw, extracted) in enumerate(zip(messages, read, strict=True), start=1):
        check(cancel)
        fallback = f"message-{number:05d}.eml"
        if extracted is not None:
            subject, sender, date = (
                extracted.metadata.get(key, "") for key in ("subject", "from", "date")
            )
            message_name = safe_name(f"{subject}.eml", fallback)
            if not _reads_as_email(raw, message_name):
                extracted = None  # imported as what it sniffs as, like any embedded file
        elif _headers_readable(raw):
            headers = parser.parsebytes(raw, headersonly=True)
            subject, sender, date = (_header(headers, key) for key in ("Subject", "From", "Date"))
            message_name = safe_name(f"{subject}.eml", fallback)
        else:
            subject, sender, date, message_name = "", "", "", fallback
        if date:
            dates.append(date)
        if number <= _LISTED:
            lines.append(f"{number}. {date or 'no date'} — {sender or 'no sender'} — {subject}")
        embedded.append(EmbeddedFile(message_name, raw, "message", extracted=extracted))
        report(
            progress,
            number / len(messages),
            _("{origin} {number} of {total}: {name}").format(
                origin="message", number=number, total=len(messages), name=message_name
            ),
        )
    if len(messages) > _LISTED:
        lines.append(f"… and {len(messages) - _LISTED} more messages")
    return found


def _chunks(messages: list[bytes]) -> list[list[bytes]]:
    chunks: list[list[bytes]] = [[]]
    size = 0
    for raw in messages:
        if size >= CHUNK_BYTES or len(chunks[-1]) >= CHUNK_MESSAGES:
            chunks.append([])
            size = 0
        chunks[-1].append(raw)
        size += len(raw)
    return chunks


def _reads_as_email(raw: bytes, name: str) -> bool:
    """Whether the import would read this message, under this name, as an e-mail."""
    try:
        return sniff_kind(Path(name), raw[:SNIFF_BYTES]) == EMAIL
    except InputRefused:
        return False


def _headers_readable(raw: bytes) -> bool:
    """Whether the message's headers are short enough to parse (`check_header_lengths`): one
    too long is named by its number, and refused alone when the import reads it."""
    try:
        check_header_lengths(raw, "message")
    except InputRefused:
        return False
    return True


def _header(message: Message, key: str) -> str:
    return header_text(message, key)
