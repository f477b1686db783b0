"""The charsets a mail's 8-bit parts declare, made true again once the whole file is decoded.

Mail saved in UTF-16 or UTF-32, or with a byte-order mark, is read as its text and given to
the parser as UTF-8 (`sniff.as_mail_bytes`). A part sent as 8-bit text in its own charset
("charset=iso-8859-1", its bytes as such) holds the characters those bytes meant by then, now
in UTF-8, while its label still names the old charset: read by it, "café" became "cafÃ©".
Such a part is labelled UTF-8 here, in the text, so the mail and any message a mailbox hands
on as a file of its own say what they hold. Quoted-printable and base64 parts kept their
bytes (ASCII) and keep their charsets; a part of ASCII alone is left as it is.

Only header blocks, boundary lines and a mailbox's "From " lines are read one by one (the
bodies between them are searched in C): a file of millions of lines costs no list of them.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"([!-9;-~]+)[ \t]*:(.*)", re.S)
_CHARSET = re.compile(r"\bcharset[ \t]*=[ \t]*\"?([^\";\s]+)", re.I)
_BOUNDARY = re.compile(r"\bboundary[ \t]*=[ \t]*(?:\"([^\"]+)\"|([^;\s]+))", re.I)
_BLANK_LINE = re.compile(r"^\r?$", re.M)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_LINE = re.compile(r"[^\n]+")
_KEPT_BYTES = ("base64", "quoted-printable")
_READ = ("content-type", "content-transfer-encoding")
_LONGEST = 32 * 1024
"""Characters of a header kept, at most: the longest the mail parser is given."""
_UTF8 = ("utf-8", "utf8")


def relabelled(text: str) -> str:
    """`text` (a mail or a mailbox) with the charset of each part that holds characters
    beyond ASCII in 8-bit form declared as UTF-8."""
    if text.isascii():
        return text
    mailbox = text.startswith("From ")
    boundaries: set[str] = set()
    edits: list[tuple[int, int]] = []  # where a charset's name is to be "utf-8"
    at = 0  # the start of a header block
    marks: re.Pattern[str] | None = None
    known = 0
    while at < len(text):
        blank = _BLANK_LINE.search(text, at)
        end = blank.start() if blank is not None else len(text)
        label, nested = _read_block(text, at, end, boundaries)
        # The body from the line after the blank one (none: a block that ends the text).
        body = (text.find("\n", end) + 1 or len(text)) if blank is not None else len(text)
        if nested:  # an attached message's own headers follow at once
            at = body
            continue
        if marks is None or len(boundaries) != known:  # made again only when one is added
            marks, known = _marks(boundaries, mailbox), len(boundaries)
        at = len(text)
        for found in marks.finditer(text, body):
            if label is not None and _NON_ASCII.search(text, body, found.start()) is not None:
                edits.append(label)
            label = None
            body = found.end()
            if found.group("close") is None:  # a part or a message begins: its headers
                at = text.find("\n", found.start()) + 1 or len(text)
                break
        else:
            if label is not None and _NON_ASCII.search(text, body) is not None:
                edits.append(label)
    if not edits:
        return text
    out: list[str] = []
    done = 0
    for start, stop in sorted(edits):
        out += (text[done:start], "utf-8")
        done = stop
    out.append(text[done:])
    return "".join(out)


def _marks(boundaries: set[str], mailbox: bool) -> re.Pattern[str]:
    """The lines that end a body: a boundary of the mail's (`close`: the last part's end),
    or a mailbox's next message."""
    alternatives = [r"(?P<close>(?!))"]  # the group, where no boundary is known yet
    if boundaries:
        alternatives = []
        names = "|".join(re.escape(name) for name in sorted(boundaries, key=len, reverse=True))
        alternatives.append(rf"^--(?:{names})(?P<close>--)?[ \t]*\r?$")
    if mailbox:
        alternatives.append(r"(?<=\n\n)From |(?<=\n\r\n)From ")
    return re.compile("|".join(alternatives), re.M)


def _read_block(
    text: str, start: int, end: int, boundaries: set[str]
) -> tuple[tuple[int, int] | None, bool]:
    """Where the block's charset is named if its part is to be labelled UTF-8 once it holds
    characters beyond ASCII (None: its bytes were kept, or it is UTF-8 already), and whether
    an attached message's headers follow; the boundaries it declares join `boundaries`."""
    headers: dict[str, tuple[int, str]] = {}
    name = ""
    # Line by line, not split into a list: a block may be a hostile file's millions of lines.
    for found_line in _LINE.finditer(text, start, end):
        line = found_line.group()
        if line[:1] in (" ", "\t"):
            if name:
                first, value = headers[name]
                if len(value) < _LONGEST:  # longer, the message is refused (`email_message`)
                    headers[name] = (first, f"{value}\n{line}")
            continue
        found = _HEADER.fullmatch(line)
        name = found.group(1).lower() if found else ""
        if name in _READ:
            assert found is not None
            headers[name] = (found_line.start() + found.start(2), found.group(2)[:_LONGEST])
        else:
            name = ""
    value_at, content_type = headers.get("content-type", (0, ""))
    for quoted, plain in _BOUNDARY.findall(content_type):
        boundaries.add(quoted or plain)
    kind = content_type.split(";", 1)[0].strip().lower()
    encoding = headers.get("content-transfer-encoding", (0, ""))[1].strip().lower()
    charset = _CHARSET.search(content_type)
    nested = kind in ("message/rfc822", "message/global")
    if (
        charset is None
        or encoding in _KEPT_BYTES
        or charset.group(1).lower() in _UTF8
        or kind.startswith("multipart/")
    ):
        return None, nested
    # The value holds its folded lines as the text does: offsets within it are the text's.
    return (value_at + charset.start(1), value_at + charset.end(1)), nested
