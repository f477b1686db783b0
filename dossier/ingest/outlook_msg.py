"""Outlook messages (`.msg`), read from memory with olefile and turned into an e-mail.

A `.msg` is an OLE compound file of MAPI properties: each string or binary property is a
stream named `__substg1.0_<id><type>`, fixed-size ones (dates) sit in `__properties_version1.0`,
each attachment is a storage with its own properties, and an attached Outlook message is a
storage within it. The message is rebuilt here as a standard MIME message (headers, plain or
HTML body, attachments, attached messages as message/rfc822 parts) and read by the e-mail
reader, so an Outlook message is searched, shown and split into attachments exactly as a
`.eml`. extract-msg would do the same with eight more dependencies; this needs olefile alone.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from typing import Any

from dossier.errors import InputRefused
from dossier.i18n import gettext
from dossier.ingest.email_message import extract_email
from dossier.ingest.email_parts import header_text, safe_name
from dossier.text.model import ExtractedDocument

MSG_EXTRACTOR_VERSION = "msg-1"
MSG_MIME = "application/vnd.ms-outlook"

_MAX_DEPTH = 8
_MAX_ATTACHMENTS = 500
_HEADER_DATE = re.compile(r"^Date:[ \t]*(.+(?:\r?\n[ \t].+)*)", re.M | re.I)
_PROPERTY = struct.Struct("<HHIQ")
"""A fixed-size property: type, id, flags, 8 bytes of value (a FILETIME for dates)."""
_FILETIME_EPOCH = dt.datetime(1601, 1, 1, tzinfo=dt.UTC)
_SUBMIT_TIME, _DELIVERY_TIME = 0x0039, 0x0E06
_CODEPAGES = (0x3FDE, 0x3FFD)  # internet code page, message code page (PT_LONG values)


def extract_msg(data: bytes, name: str) -> ExtractedDocument:
    """An `ExtractedDocument` for the bytes of a `.msg`; attachments go to `embedded`."""
    import olefile

    try:
        # Strict: a sector chain that loops or ends in the wrong place is damage, not
        # something to read around (olefile would serve repeated sectors as the stream).
        with olefile.OleFileIO(data, raise_defects=olefile.DEFECT_INCORRECT) as ole:
            message = _Reader(ole).message("", 0)
    except (OSError, ValueError, IndexError, struct.error, TypeError, AttributeError):
        # AttributeError: the header registry chokes on some damaged recipient strings
        message = None
    if message is None or not any(header_text(message, k) for k in ("From", "Subject", "Date")):
        # A cut file still opens, with its property streams empty or missing.
        raise InputRefused(
            gettext(
                "{name} is a damaged Outlook message and cannot be read;"
                " ask its sender for a new copy."
            ).format(name=name)
        )
    try:
        raw = bytes(message)
    except (UnicodeError, ValueError):
        # A damaged string (an identifier with a character no mail header can carry) stops
        # the standard generator; nothing of such a file can be trusted to be whole.
        raise InputRefused(
            gettext(
                "{name} is a damaged Outlook message and cannot be read;"
                " ask its sender for a new copy."
            ).format(name=name)
        ) from None
    document = extract_email(raw, name)
    document.mime = MSG_MIME
    document.extractor_version = MSG_EXTRACTOR_VERSION
    return document


_END_OF_CHAIN = 0xFFFFFFFE


def _check_chain(ole: Any, path: str) -> None:
    """The stream's sectors must form a chain that ends where its size says, each sector used
    once: olefile reads a looping chain around and around up to the size, serving repeated
    sectors as the stream (a crafted loop, or damage), and does not check where it ends."""
    entry = ole.direntries[ole._find(path)]
    if entry.size < ole.minisectorcutoff:
        if ole.minifat is None or not len(ole.minifat):
            ole.loadminifat()
        fat, size = ole.minifat, ole.minisectorsize
    else:
        fat, size = ole.fat, ole.sectorsize
    sector = entry.isectStart
    seen: set[int] = set()
    for _ in range((entry.size + size - 1) // size):
        if sector in seen or not 0 <= sector < len(fat):
            raise ValueError("a sector chain loops or leaves the file")
        seen.add(sector)
        sector = int(fat[sector]) & 0xFFFFFFFF
    if entry.size and sector != _END_OF_CHAIN:
        raise ValueError("a sector chain does not end where its stream does")


class _Reader:
    def __init__(self, ole: Any) -> None:
        self.ole = ole
        self.entries = {"/".join(entry) for entry in ole.listdir(streams=True, storages=True)}

    def message(self, root: str, depth: int) -> EmailMessage:
        """The message stored under `root` ("" for the file's own) as a MIME message."""
        codepage = self._codepage(root, 32 if not root else 24)
        text = _Strings(self, root, codepage)
        out = EmailMessage(policy=policy.default)
        sender_name, sender_address = text.get(0x0C1A), text.get(0x5D01) or text.get(0x0C1F)
        if "@" not in sender_address:
            sender_address = ""  # an Exchange X.500 path, not an address anyone can read
        headers = text.get(0x007D)
        for key, value in (
            ("From", formataddr((sender_name, sender_address)) if sender_address else sender_name),
            ("To", text.get(0x0E04)),
            ("Cc", text.get(0x0E03)),
            ("Subject", text.get(0x0037)),
            ("Message-ID", text.get(0x1035)),
            ("Date", self._date(root, headers)),
        ):
            if value:
                out[key] = " ".join(value.split())
        body, html = text.get(0x1000), self._html(root, codepage)
        if body.strip():
            out.set_content(body)
        elif html:
            out.set_content(html, subtype="html")
        else:
            out.set_content("(This Outlook message keeps its text in a form Dossier cannot read.)")
        if depth < _MAX_DEPTH:
            self._attachments(root, out, depth)
        return out

    def _attachments(self, root: str, out: EmailMessage, depth: int) -> None:
        prefix = f"{root}/" if root else ""
        storages = sorted(
            entry
            for entry in self.entries
            if entry.startswith(f"{prefix}__attach_version1.0_#")
            and "/" not in entry[len(prefix) :]
        )
        for storage in storages[:_MAX_ATTACHMENTS]:
            text = _Strings(self, storage, self._codepage(root, 32 if not root else 24))
            name = text.get(0x3707) or text.get(0x3704) or text.get(0x3001)
            embedded = f"{storage}/__substg1.0_3701000D"
            if embedded in self.entries:
                inner = self.message(embedded, depth + 1)
                out.add_attachment(inner, filename=safe_name(name or "message.msg", "message.msg"))
                continue
            content = self.stream(f"{storage}/__substg1.0_37010102")
            if not content:
                continue  # an OLE object or a link to a file elsewhere: nothing to import
            mime = text.get(0x370E) or "application/octet-stream"
            maintype, _, subtype = mime.partition("/")
            out.add_attachment(
                content,
                maintype=maintype or "application",
                subtype=subtype or "octet-stream",
                filename=safe_name(name or "attachment.bin", "attachment.bin"),
            )

    def stream(self, path: str) -> bytes:
        if path not in self.entries:
            return b""
        _check_chain(self.ole, path)
        with self.ole.openstream(path) as stream:
            raw: bytes = stream.read()
        return raw

    def _html(self, root: str, codepage: str) -> str:
        prefix = f"{root}/" if root else ""
        raw = self.stream(f"{prefix}__substg1.0_10130102")
        if raw:
            return raw.decode(codepage, errors="replace")
        return _Strings(self, root, codepage).get(0x1013)

    def _fixed(self, root: str, header: int) -> dict[int, int]:
        prefix = f"{root}/" if root else ""
        raw = self.stream(f"{prefix}__properties_version1.0")
        values: dict[int, int] = {}
        for offset in range(header, len(raw) - _PROPERTY.size + 1, _PROPERTY.size):
            kind, prop, _flags, value = _PROPERTY.unpack_from(raw, offset)
            if kind in (0x0003, 0x0040):  # PT_LONG, PT_SYSTIME
                values[prop] = value & 0xFFFFFFFF if kind == 0x0003 else value
        return values

    def _codepage(self, root: str, header: int) -> str:
        fixed = self._fixed(root, header)
        for prop in _CODEPAGES:
            if prop in fixed:
                name = f"cp{fixed[prop]}" if fixed[prop] != 65001 else "utf-8"
                try:
                    "".encode(name)
                except LookupError:
                    continue
                return name
        return "cp1252"

    def _date(self, root: str, headers: str) -> str:
        match = _HEADER_DATE.search(headers)
        if match:
            return " ".join(match.group(1).split())
        fixed = self._fixed(root, 32 if not root else 24)
        for prop in (_SUBMIT_TIME, _DELIVERY_TIME):
            if fixed.get(prop):
                stamp = _FILETIME_EPOCH + dt.timedelta(microseconds=fixed[prop] // 10)
                return format_datetime(stamp)
        return ""


class _Strings:
    """String properties of one message or attachment storage."""

    def __init__(self, reader: _Reader, root: str, codepage: str) -> None:
        self.reader = reader
        self.prefix = f"{root}/" if root else ""
        self.codepage = codepage

    def get(self, prop: int) -> str:
        unicode = self.reader.stream(f"{self.prefix}__substg1.0_{prop:04X}001F")
        if unicode:
            return unicode.decode("utf-16-le", errors="replace").rstrip("\x00")
        legacy = self.reader.stream(f"{self.prefix}__substg1.0_{prop:04X}001E")
        return legacy.decode(self.codepage, errors="replace").rstrip("\x00")
