"""Text with a few stray bytes: decoded with each replaced by U+FFFD, where there are few.

A stray byte is one the file's encoding does not read: a Windows-1252 'é' pasted into UTF-8
notes, a file glued from two exports, a bit flipped on an old disk, half of a UTF-16 character
pair where a string was cut. Decoded strictly, one such byte failed the whole file, which was
then refused as binary or read whole in another encoding (French UTF-8 as Windows-1252, or as
Chinese GBK), where search never found its words. Each stray is replaced alone, as an editor
or a browser shows it (in UTF-8, by the Windows-1252 character it most often is), as long as
strays are rare: many of them say the encoding is wrong, or
that binary data follows the text.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

STRAY_SHARE = 0.01
"""Share of its characters a text may have as strays at most."""
_UTF8_LETTERS_PER_STRAY = 8
"""Characters beyond ASCII that UTF-8 text with strays must hold per stray: text in a one-byte
code page (Windows-1252 French) has a stray in each accented letter and almost no UTF-8 letter
(one needs a byte from 0xC2 to 0xDF then one from 0x80 to 0xBF), a two-byte East Asian
encoding about one in ten."""
REPLACEMENT = "\ufffd"


_CHUNK = 1 << 16
"""Bytes decoded at a time: a binary after a text's head is given up within a few chunks of
too many strays, not decoded whole (8 MB of them were 16 MB of text)."""


@dataclass(frozen=True)
class Decoded:
    text: str
    strays: int
    letters: int
    """Characters beyond ASCII, strays not counted (UTF-8 only; 0 otherwise)."""
    cut: int
    """Bytes left undecoded at the end: the start of a character the data ends inside."""


def decoded(data: bytes, encoding: str) -> Decoded | None:
    """`data` in `encoding`, each stray replaced, and how many there were (U+FFFD written in
    the file itself not counted); None if they are too many (`STRAY_SHARE`)."""
    try:
        written = data.count(REPLACEMENT.encode(encoding))
    except UnicodeEncodeError:
        written = 0  # the encoding has no U+FFFD of its own: every one is a stray
    most = STRAY_SHARE * len(data) + written  # a character is one byte or more
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    parts: list[str] = []
    replaced = letters = 0
    view = memoryview(data)
    for start in range(0, len(data), _CHUNK):
        part: str = decoder.decode(view[start : start + _CHUNK], final=False)
        found = part.count(REPLACEMENT)
        replaced += found
        if replaced > most:
            return None
        if encoding == "utf-8":  # what `utf8_with_strays` weighs the strays against
            letters += len(part) - len(part.encode("ascii", "ignore")) - found
        parts.append(part)
    text = "".join(parts)
    strays = max(replaced - written, 0)
    cut = len(decoder.getstate()[0])
    if strays and encoding.startswith("utf-8"):
        # A stray in UTF-8 is most often a letter pasted from a Windows-1252 mail or
        # document, a name's among them, which as U+FFFD ('L\ufffdonard') no search found
        # and no export masked: it is read as Windows-1252 reads it.
        text = data[: len(data) - cut].decode(encoding, errors=_AS_WINDOWS_1252)
    read = Decoded(text, strays, letters, cut)
    return read if strays <= STRAY_SHARE * len(text) else None


def utf8_with_strays(data: bytes) -> Decoded | None:
    """`data` as UTF-8 text with a few strays (and at least one), or None: its letters
    beyond ASCII must be many more than its strays."""
    read = decoded(data, "utf-8")
    if read is None or not read.strays:
        return None
    return read if read.letters >= _UTF8_LETTERS_PER_STRAY * read.strays else None


def _as_windows_1252(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    stray = error.object[error.start : error.end]
    return stray.decode("cp1252", errors="replace"), error.end


_AS_WINDOWS_1252 = "dossier-stray-as-windows-1252"
codecs.register_error(_AS_WINDOWS_1252, _as_windows_1252)
