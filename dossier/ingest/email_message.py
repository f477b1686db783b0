"""E-mails saved as `.eml` (RFC 5322 / MIME), read with the standard library.

A reply to a right-of-reply letter often arrives by e-mail: who sent it, when and what it says
matter more than its formatting. The page text starts with the headers a mail client shows
(From, To, Cc, Date, Subject), a blank line, then the body: every inline text part in order
(a message may carry several, each in its own charset), taking the plain rendering of each
text/plain-or-HTML alternative and the HTML made readable when there is no plain one. A part is
decoded in its declared charset; if that fails, as UTF-8; failing that as Latin-1, which maps
every byte to a character, so no byte of a body is ever dropped. Headers also go to `metadata`
(lower-case names), the subject is the title and the sender the author.

Attachments and forwarded messages are handed over in `embedded` (see `email_parts`): the
import makes each a document linked to the message. Their names are also listed in
`metadata["attachments"]`, one per line.
"""

from __future__ import annotations

import re
from email.message import EmailMessage, Message, MIMEPart
from email.parser import BytesParser

from dossier.errors import InputRefused
from dossier.i18n import _
from dossier.ingest.dates import iso_date
from dossier.ingest.email_parts import (
    PartFacts,
    embedded_files,
    header_text,
    mail_parser,
    parsed_header,
)
from dossier.ingest.html_text import html_to_text
from dossier.ingest.mail_boundaries import MAX_MIME_DEPTH, NestedTooDeep
from dossier.ingest.plaintext import canonical_plain_text
from dossier.text.clean import clean_document
from dossier.text.lang import guess_language
from dossier.text.model import ExtractedDocument, PageText

EMAIL_EXTRACTOR_VERSION = "email-2"
"""email-2: every inline text part is kept (email-1 kept the first one only)."""
EMAIL_MIME = "message/rfc822"

_SHOWN_HEADERS = ("From", "To", "Cc", "Date", "Subject")
_KEPT_HEADERS = ("From", "To", "Cc", "Date", "Subject", "Message-ID", "In-Reply-To")
ATTACHMENT_SEPARATOR = "\n"


MAX_HEADER_BYTES = 32 * 1024
"""Longest structured header (unfolded) read: Python's header parser takes time quadratic in a
header's length (a 400 KB Content-Type takes half a minute); mail clients write a few hundred
bytes, a long list of recipients a few KB."""
_STRUCTURED = re.compile(
    rb"^(content-type|content-disposition|content-transfer-encoding|content-id|from|to|cc|bcc|"
    rb"reply-to|sender|date|message-id|in-reply-to|references|mime-version|subject)[ \t]*:",
    re.IGNORECASE,
)


def check_header_lengths(data: bytes, name: str) -> None:
    """Refuse a message (or a part) whose structured header is longer than `MAX_HEADER_BYTES`."""
    if len(data) <= MAX_HEADER_BYTES:
        return  # no header is longer than the message holding it: its lines are not read
    length = -1  # -1: not inside a structured header
    for line in data.splitlines():
        if length >= 0 and line[:1] in (b" ", b"\t"):
            length += len(line)
        else:
            length = len(line) if _STRUCTURED.match(line) else -1
        if length > MAX_HEADER_BYTES:
            raise InputRefused(
                _(
                    "{name} has a header far longer than any mail program writes; it is "
                    "not read (it may be built to stall the import)."
                ).format(name=name)
            )


def parse_message(data: bytes, name: str, *, parser: BytesParser | None = None) -> EmailMessage:
    """The message in `data`, or InputRefused for one too long in a header or nested too deep
    (`parser`: the `mail_parser` of the mailbox it comes from)."""
    check_header_lengths(data, name)
    too_deep = InputRefused(
        _(
            "{name} nests its parts more than {MAX_MIME_DEPTH} levels deep, far "
            "beyond any mail program; it is not read (it may be built to crash the "
            "import)."
        ).format(name=name, MAX_MIME_DEPTH=MAX_MIME_DEPTH)
    )
    try:
        message = (parser or mail_parser()).parsebytes(data)
    except (RecursionError, NestedTooDeep):
        raise too_deep from None
    assert isinstance(message, EmailMessage)  # an EmailPolicy builds EmailMessage objects
    level: list[tuple[Message, int]] = [(message, 0)]
    while level:  # iterative: the depth is counted without recursing
        part, depth = level.pop()
        if depth > MAX_MIME_DEPTH:
            raise too_deep
        payload = part.get_payload()
        if isinstance(payload, list):
            level.extend((child, depth + 1) for child in payload if isinstance(child, Message))
    return message


def extract_email(
    data: bytes, name: str, *, parser: BytesParser | None = None
) -> ExtractedDocument:
    """An `ExtractedDocument` for the raw bytes of one message; `name` is for messages;
    `parser` as for `parse_message`."""
    message = parse_message(data, name, parser=parser)
    headers = {key: _header(message, key) for key in _KEPT_HEADERS}
    if not (headers["From"] or headers["Subject"] or headers["Date"]):
        raise InputRefused(
            _("{name} does not look like an e-mail: it has no From, Subject or Date.").format(
                name=name
            )
        )
    body_part = message.get_body(preferencelist=("plain", "html"))
    facts = PartFacts()
    texts = [_body_text(part, facts) for part in _text_parts(message, facts)]
    body = "\n\n".join(text.strip() for text in texts if text.strip())
    shown = "\n".join(f"{key}: {headers[key]}" for key in _SHOWN_HEADERS if headers[key])
    text = canonical_plain_text(f"{shown}\n\n{body.strip()}" if body.strip() else shown)
    metadata = {key.lower(): value for key, value in headers.items() if value}
    attachments = _attachment_names(message, body_part, facts)
    if attachments:
        metadata["attachments"] = ATTACHMENT_SEPARATOR.join(attachments)
    return ExtractedDocument(
        pages=[PageText(index=0, text=text)],
        extractor_version=EMAIL_EXTRACTOR_VERSION,
        mime=EMAIL_MIME,
        title=headers["Subject"] or None,
        author=_sender(message) or None,
        date=_date(message),
        language=guess_language(body),
        metadata=metadata,
        embedded=embedded_files(message, body_part, ended=data.endswith(b"\n"), facts=facts),
    )


def read_messages(messages: list[bytes]) -> list[ExtractedDocument | None]:
    """Each of a mailbox's messages read as an e-mail, or None for one that is not (or that
    is refused: the import refuses it alone); run in a worker process for a large mailbox.
    One parser reads them all: what their headers share is parsed once."""
    parser = mail_parser()
    return [_read_message(raw, parser) for raw in messages]


def _read_message(raw: bytes, parser: BytesParser) -> ExtractedDocument | None:
    # Why one is not an e-mail is said by the import, which reads it as what it is instead.
    # Read here without the sniffing a lone message gets first (a NUL byte is "binary data"),
    # the standard library's parser raises on what that sniffing refuses (a NUL in a charset:
    # ValueError): any failure leaves the message to the import, not the mailbox ended.
    try:
        document = clean_document(extract_email(raw, "message", parser=parser))
    except Exception:
        return None
    return document if any(page.text.strip() for page in document.pages) else None


def _header(message: Message, key: str) -> str:
    return header_text(message, key)


def _sender(message: EmailMessage) -> str:
    header = parsed_header(message, "From")
    addresses = getattr(header, "addresses", ())
    if addresses:
        first = addresses[0]
        return str(first.display_name or first.addr_spec)
    return _header(message, "From")


def _date(message: EmailMessage) -> str | None:
    header = parsed_header(message, "Date")
    stamp = getattr(header, "datetime", None)
    if stamp is not None:
        # The sender's own calendar day, as their mail client wrote it.
        return str(stamp.date().isoformat())
    return iso_date(str(header)) if header is not None else None


def _body_text(part: MIMEPart, facts: PartFacts) -> str:
    content = _content(part)
    if facts.kind(part) == "text/html":
        return html_to_text(content).text
    return content


def _text_parts(container: MIMEPart, facts: PartFacts) -> list[MIMEPart]:
    """The inline text parts a reader sees, in order (attachments and attached messages are
    `embedded` documents of their own)."""
    if not container.is_multipart():
        return [container] if _is_inline_text(container, facts) else []
    if facts.kind(container) == "multipart/alternative":
        chosen = container.get_body(preferencelist=("plain", "html"))
        return [chosen] if chosen is not None else []
    found: list[MIMEPart] = []
    for part in container.iter_parts():
        if facts.kind(part) == "message/rfc822":
            continue
        if part.is_multipart():
            found += _text_parts(part, facts)
        elif _is_inline_text(part, facts):
            found.append(part)
    return found


def _is_inline_text(part: MIMEPart, facts: PartFacts) -> bool:
    return (
        facts.kind(part) in ("text/plain", "text/html")
        and not facts.filename(part)
        and facts.disposition(part) != "attachment"
    )


def _content(part: MIMEPart) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "us-ascii"
    for encoding in (charset, "utf-8"):
        try:
            return payload.decode(encoding)
        except (LookupError, UnicodeError):
            continue
    # Latin-1 gives every byte a character: the text may look odd, but nothing is dropped.
    return payload.decode("latin-1")


def _attachment_names(message: MIMEPart, body: MIMEPart | None, facts: PartFacts) -> list[str]:
    names: list[str] = []
    for part in message.iter_parts():
        if part is body:
            continue
        kind = facts.kind(part)
        filename = facts.filename(part)
        if kind == "message/rfc822":
            names.append(filename or "forwarded message")
        elif part.is_multipart():
            names += _attachment_names(part, body, facts)
        elif filename or facts.disposition(part) == "attachment":
            names.append(filename or f"unnamed {kind}")
    return [" ".join(name.split()) for name in names]
