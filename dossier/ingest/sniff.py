"""What a file really is, from its first bytes, and how to decode it as text.

The extension is a claim, not a fact: a ".pdf" from a failed download is often an HTML login
page, and a ".txt" may be a PDF. Content decides; the extension (or the caller's hint) only
chooses between readings of the same text (plain or Markdown) and names what was expected.
"""

from __future__ import annotations

import codecs
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

from dossier.errors import InputRefused
from dossier.i18n import N_, gettext
from dossier.ingest.east_asian import legacy_east_asian
from dossier.ingest.mail_charsets import relabelled
from dossier.ingest.mhtml import looks_like_mhtml
from dossier.ingest.strays import decoded, utf8_with_strays
from dossier.ingest.tar_archive import compression, is_tar
from dossier.ingest.utf16 import east_asian_without_nuls, utf16_without_bom
from dossier.pdf.images import HEIF_BRANDS, image_type
from dossier.pdf.open import has_pdf_header, quoted

PDF = "pdf"
TEXT = "text"
MARKDOWN = "markdown"
HTML = "html"
EMAIL = "email"
KINDS = (PDF, TEXT, MARKDOWN, HTML, EMAIL)
"""Kinds a caller may expect (a file-type filter's hint)."""
IMAGE = "image"
MBOX = "mbox"
ZIP = "zip"
OLE = "ole"
RTF = "rtf"
MHTML = "mhtml"
WARC = "warc"
TAR = "tar"
"""A tarball, compressed or not, or a single gzip, bzip2 or xz compressed file."""
CONTAINERS = (ZIP, OLE, RTF, MBOX, MHTML, WARC, IMAGE, TAR)
"""Kinds decided by what is inside: a zip may be Word, OpenDocument or an archive; an OLE
file may be an old Word file or an Outlook message (see `office_zip` and `ole`)."""

SNIFF_BYTES = 8192

_PDF_SUFFIXES = frozenset({".pdf"})
_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
_EMAIL_SUFFIXES = frozenset({".eml"})

_CONTAINER_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", ZIP),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE),
    (b"{\\rtf", RTF),
)

_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", N_("a ZIP archive (or a Word, OpenDocument or EPUB file)")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", N_("an old Microsoft Office file (.doc, .xls or .msg)")),
    (b"\x89PNG\r\n\x1a\n", N_("a PNG image")),
    (b"\xff\xd8\xff", N_("a JPEG image")),
    (b"GIF87a", N_("a GIF image")),
    (b"GIF89a", N_("a GIF image")),
    (b"II*\x00", N_("a TIFF image")),
    (b"MM\x00*", N_("a TIFF image")),
    (b"\x1f\x8b", N_("a gzip archive")),
    (b"7z\xbc\xaf\x27\x1c", N_("a 7-Zip archive")),
    (b"Rar!\x1a\x07", N_("a RAR archive")),
    (b"{\\rtf", N_("an RTF document")),
    (b"%!PS", N_("a PostScript file")),
    (b"\x7fELF", N_("a program")),
    (b"MZ", N_("a Windows program")),
)

_CONVERT_IMAGE = {
    # Never "extract it first": that leaves the source's files on the laptop in clear.
    N_("a 7-Zip archive"): N_("ask for the files as a zip or tar archive instead"),
    N_("a RAR archive"): N_("ask for the files as a zip or tar archive instead"),
}

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_UNWANTED_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
"""Control characters (category Cc is U+0000-U+001F and U+007F-U+009F, fixed by Unicode) but
white space: a regular expression finds them in C, not a test per character in Python."""
_MAX_CONTROL_SHARE = 0.001
"""Real text has next to no control characters; binary data decoded as Latin-1 has many."""
_HTML_START = re.compile(
    r"^\s*+(?:<\?xml[^>]*+>\s*+)?(?:<!--(?>.*?-->)\s*+)*+<(?:!doctype\s+html|html)\b", re.S | re.I
)
"""A page's opening: an XML declaration and comments, then a doctype or <html>. A comment ends
at its first "-->" (atomic), as a browser reads it: a comment free to run on to a later one
made every split of the comments a try, and a text of 40 empty comments ("<!---->") before a
word was never sniffed (each one more doubled the time)."""
_HTML_INSIDE = re.compile(r"<(?:head|body)\b[^>]*>", re.I)
_META_CHARSET = re.compile(r"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_CHARSET_WINDOW = 1024
_HEADER_LINE = re.compile(r"^[!-9;-~]+:[ \t]?")
_EMAIL_KEY_HEADERS = frozenset({"date", "subject", "to", "message-id", "received", "mime-version"})


def binary_description(head: bytes) -> str | None:
    """What a known non-text, non-PDF file is ("a PNG image"), or None."""
    for signature, description in _BINARY_SIGNATURES:
        if head.startswith(signature):
            return description
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return N_("a WebP image")
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return N_("a HEIC photo (the iPhone's format)")
    return None


@dataclass(frozen=True)
class Read:
    """A whole file's text (`read_text`)."""

    text: str
    cut: int = 0
    """Bytes left out at its end: the start of a last character the file ends inside (cut
    short, as by an interrupted download or copy)."""


def read_text(data: bytes) -> Read | None:
    """`decode_text` for a whole file, which may end inside its last character: in UTF-16 or
    UTF-32 (an odd byte count), or in UTF-8, that part of a character is left out and
    counted, the rest read, where it made the file "binary" or Windows-1252 ('cafÃ©')."""
    return _read(data, partial=False, cut_short=True)


def decode_text(data: bytes, *, partial: bool = False) -> str | None:
    """Text from bytes: BOM, else UTF-16 by its NULs, else UTF-8, else Chinese, Japanese or
    Korean in UTF-16 without NULs or in a legacy two-byte encoding, else Windows-1252, else
    Latin-1; None if binary.

    `partial`: `data` is the head of a longer file and may end inside a character.
    """
    read = _read(data, partial)
    return None if read is None else read.text


def _read(data: bytes, partial: bool, *, cut_short: bool = False) -> Read | None:
    wide = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            wide, data = encoding, data[len(bom) :]
            break
    else:
        if b"\x00" in data:
            wide = utf16_without_bom(data[:SNIFF_BYTES])
            if wide is None:
                return None
        elif _decode(head := data[:SNIFF_BYTES], "utf-8", partial=True) is None and (
            utf8_with_strays(head) is None
        ):
            # No UTF-8: Chinese, Japanese or Korean in UTF-16 without a line end or a digit
            # has no NUL, and read as Windows-1252 or Latin-1 it was refused as binary.
            wide = east_asian_without_nuls(head) or legacy_east_asian(head)
    if wide is not None:
        wide_read = decoded(data, wide)
        if wide_read is None or not _looks_like_text(wide_read.text):
            return None
        return Read(wide_read.text, 0 if partial else wide_read.cut)
    for encoding in ("utf-8", "cp1252", "latin-1"):
        text = _decode(data, encoding, partial)
        if text is None and encoding == "utf-8":
            read = _utf8_cut_short(data) if cut_short else None
            if read is None:
                # A stray byte in UTF-8 text is read alone, not the whole file as
                # Windows-1252 ('prÃ©fet').
                strayed = utf8_with_strays(data)
                if strayed and (partial or cut_short or not strayed.cut):
                    read = Read(strayed.text, 0 if partial else strayed.cut)
            if read:
                return read if _looks_like_text(read.text) else None
        if text is not None:
            return Read(text) if _looks_like_text(text) else None
    return None  # unreachable: Latin-1 decodes any byte string


def _utf8_cut_short(data: bytes) -> Read | None:
    """UTF-8 text whose last character is cut short: every character whole up to its last
    bytes, which start one, and at least one of them of several bytes, which Windows-1252
    text rarely makes (read as Windows-1252, each accented letter would be two: 'Ã©')."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        text: str = decoder.decode(data, final=False)
    except UnicodeDecodeError:
        return None
    cut = len(decoder.getstate()[0])
    return Read(text, cut) if cut and not text.isascii() else None


def as_mail_bytes(data: bytes) -> bytes:
    """Mail saved with a byte-order mark or in UTF-16 as UTF-8 bytes, other data as it is."""
    return as_mail(data)[0]


def as_mail(data: bytes) -> tuple[bytes, int]:
    """`as_mail_bytes`, and the bytes left out at the end of mail cut short (`Read.cut`).

    The mail parser reads bytes as ASCII-compatible: a BOM hides the first header, and in
    UTF-16 no header is found at all. Mail as sent (8-bit parts in their charsets) has no
    BOM and no NULs, and is left alone.
    """
    head = data[:SNIFF_BYTES]
    if not head.startswith(tuple(bom for bom, _ in _BOMS)) and b"\x00" not in head:
        return data, 0
    read = read_text(data)
    if read is None:
        return data, 0
    # Its 8-bit parts' characters are in UTF-8 now, and labelled so.
    return relabelled(read.text).encode("utf-8"), read.cut


def _decode(data: bytes, encoding: str, partial: bool) -> str | None:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        text: str = decoder.decode(data, final=not partial)
    except UnicodeDecodeError:
        return None
    return text


def declared_html_charset(data: bytes) -> str | None:
    """The Python codec for the charset an HTML page declares in its first KiB, if any.

    A byte-order mark overrides any declaration (as in browsers), so none is returned then.
    Latin-1 and ASCII declarations mean Windows-1252, as the HTML standard says.
    """
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return None
    match = _META_CHARSET.search(data[:_CHARSET_WINDOW].decode("ascii", errors="replace"))
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1)).name
    except LookupError:
        return None
    if name in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"  # a page cannot declare UTF-16 in itself; browsers read UTF-8
    return name


def _looks_like_text(text: str) -> bool:
    if not text:
        return True
    if _UNWANTED_CONTROLS.search(text) is None:
        return True
    # Counted up to the share allowed, not listed: a binary's millions of controls (up to
    # 256 MiB of them) took eight bytes each in a list before the first was counted.
    allowed = int(_MAX_CONTROL_SHARE * len(text))
    for found, _match in enumerate(_UNWANTED_CONTROLS.finditer(text), 1):
        if found > allowed:
            return False
    return True


def looks_like_html(text_head: str) -> bool:
    """A doctype or <html> first, or markup first and a <head> or <body> soon after."""
    if _HTML_START.match(text_head):
        return True
    return text_head.lstrip().startswith("<") and bool(_HTML_INSIDE.search(text_head[:4096]))


def looks_like_email(text_head: str) -> bool:
    """Whether the text opens with an RFC 5322 header block holding From and a key header."""
    names: set[str] = set()
    for line in text_head.splitlines():
        if not line.strip():
            break
        if line[:1] in (" ", "\t"):
            continue  # folded continuation of the previous header
        if not _HEADER_LINE.match(line):
            return False
        names.add(line.split(":", 1)[0].lower())
    return "from" in names and bool(names & _EMAIL_KEY_HEADERS)


def is_warc(head: bytes) -> bool:
    """A web archive: "WARC/1.x" first, or a gzip member that inflates to it (.warc.gz)."""
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)
        except zlib.error:
            return False
    return head.startswith((b"WARC/1.0\r\n", b"WARC/1.1\r\n", b"WARC/0.1"))


def looks_like_mbox(text_head: str) -> bool:
    """A mailbox: a "From sender date" line, then a message's header block."""
    first, _, rest = text_head.partition("\n")
    return first.startswith("From ") and looks_like_email(rest)


def sniff_kind(path: Path, head: bytes, kind_hint: str | None = None) -> str:
    """The kind of the file (one of KINDS or CONTAINERS), or InputRefused saying what it is
    instead."""
    suffix = path.suffix.lower()
    if has_pdf_header(head):
        return PDF
    if is_warc(head):
        return WARC
    known = binary_description(head)
    text_head = None if known else decode_text(head, partial=True)
    if text_head is not None and looks_like_mhtml(text_head, suffix):
        return MHTML
    if suffix not in _PDF_SUFFIXES and kind_hint != PDF:
        for signature, container in _CONTAINER_SIGNATURES:
            if head.startswith(signature):
                return container
        if image_type(head) is not None:
            return IMAGE
        if is_tar(head) or compression(head) is not None:
            return TAR
    if suffix in _PDF_SUFFIXES or kind_hint == PDF:
        if text_head is None:
            found = known or N_("binary data")
        else:
            found = N_("an HTML page") if looks_like_html(text_head) else N_("plain text")
        raise InputRefused(
            gettext(
                "{path} is named like a PDF but holds {found} (often the sign of a "
                "failed download)."
            ).format(path=quoted(path), found=gettext(found))
        )
    if known is not None:
        advice = _CONVERT_IMAGE.get(known, N_("save it as PDF first"))
        raise InputRefused(
            gettext("{path} is {known}, which Dossier cannot import; {advice}.").format(
                path=quoted(path), known=gettext(known), advice=gettext(advice)
            )
        )
    if text_head is None:
        raise InputRefused(
            gettext("{path} holds binary data, not text, and cannot be imported.").format(
                path=quoted(path)
            )
        )
    if looks_like_mbox(text_head):
        return MBOX
    if kind_hint in (HTML, EMAIL):
        return kind_hint
    # E-mail first: a message's HTML part must not make the whole message "a web page".
    if suffix in _EMAIL_SUFFIXES or looks_like_email(text_head):
        return EMAIL
    if looks_like_html(text_head) or (suffix in _HTML_SUFFIXES and "<" in text_head):
        return HTML
    if suffix in _MARKDOWN_SUFFIXES or kind_hint == MARKDOWN:
        return MARKDOWN
    return TEXT
