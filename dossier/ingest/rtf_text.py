"""An RTF source's text as striprtf reads it, read a run of text at a time.

striprtf (`striprtf.striprtf.rtf_to_text`) matches its pattern once per character of text:
for a page of prose that is a match object, a tuple of six groups and a dozen tests per
letter, nine tenths of an RTF file's import. Here the same pattern takes a run of text (no
backslash, brace or line break) in one match; a run is what its characters one by one were
(the same state before each, skipped or kept alike), and every other token is read as
striprtf reads it, with striprtf's own tables and helpers. The text is the same (a test holds
it to striprtf's over the corpus and random sources), in a sixth of the time.

One difference: a `\\uc` without its number raised TypeError in striprtf (a traceback ended
the import); it is read as the control word it is meant to be, with no effect.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from typing import cast

from striprtf import striprtf

from dossier.ingest.rtf_links import fonts, links_named

_DESTINATIONS: frozenset[str] = striprtf.destinations
_SPECIAL: dict[str, str] = striprtf.specialchars
_SECTION: dict[str, str] = striprtf.sectionchars
_CHARSETS: dict[int, str] = striprtf.charset_map
# striprtf is unannotated: both take text and return text.
_without_pictures = cast("Callable[[str], str]", striprtf.remove_pict_groups)
_font_table = cast("Callable[[str], str]", striprtf.font_table_group)

_TOKEN = re.compile(
    r"\\([a-z]{1,32})(-?\d{1,10})?[ ]?|\\'([0-9a-f]{2})|\\([^a-z])|([{}])|[\r\n]+"
    r"|([^\\{}\r\n]+)|(.)",
    re.IGNORECASE,
)
"""striprtf's `PATTERN` with a run of text before its character of text (`(.)`, now only a
backslash that ends the source): every earlier alternative starts with a backslash, a brace or
a line break, so a run stops where striprtf's next match would be another token."""

_KEPT_BYTES = 4
"""Escaped bytes in a row (`\\'e9`) decoded once per source and code page: one character in
any code page (four bytes in UTF-8), an accented letter of a French text hundreds of times.
Held for one source only, and never a longer run (text, not a letter)."""


def rtf_to_text(text: str, encoding: str = "cp1252", errors: str = "strict") -> str:
    """`striprtf.rtf_to_text(text, encoding, errors)`, the same text and the same errors."""
    text = _without_pictures(text)
    text = links_named(text)
    stack: list[tuple[int, bool, bool, str | None]] = []
    fonttbl: dict[str | None, dict[str, str]] = {}
    default_font: str | None = None
    current_font: str | None = None
    ignorable = False
    suppress_output = False
    ucskip = 1
    curskip = 0
    hexes: list[str] = []
    decoded: dict[tuple[str, str], str] = {}
    out: list[str] = []
    depth = 0
    in_document = False
    for font_id, fcharset, font_name in fonts(_font_table(text)):
        fonttbl[font_id] = {
            "name": font_name.strip(),
            "charset": fcharset,
            "encoding": _CHARSETS.get(int(fcharset), encoding),
        }
    for match in _TOKEN.finditer(text):
        word, arg, hex_byte, char, brace, run, tchar = match.groups()
        if hexes and not hex_byte:
            font_encoding = fonttbl.get(current_font, {"encoding": encoding})
            key = ("".join(hexes), font_encoding.get("encoding", encoding))
            letters = decoded.get(key)
            if letters is None:
                letters = bytes.fromhex(key[0]).decode(encoding=key[1], errors=errors)
                if len(hexes) <= _KEPT_BYTES:
                    decoded[key] = letters
            out.append(letters)
            hexes = []
        if run is not None:
            if curskip >= len(run):
                curskip -= len(run)
            else:
                if not ignorable and not suppress_output:
                    out.append(run[curskip:] if curskip else run)
                curskip = 0
        elif brace:
            curskip = 0
            if brace == "{":
                depth += 1
                in_document = True
                stack.append((ucskip, ignorable, suppress_output, current_font))
            else:
                depth -= 1
                if stack:
                    ucskip, ignorable, suppress_output, current_font = stack.pop()
                else:
                    ucskip = 0
                    ignorable = True
                if in_document and depth <= 0:
                    break  # what follows the document's group is out of band
        elif char:
            curskip = 0
            if char in _SPECIAL:
                if char in _SECTION:
                    current_font = default_font
                if not ignorable:
                    out.append(_SPECIAL[char])
            elif char == "*":
                ignorable = True
        elif word:
            curskip = 0
            if word in _DESTINATIONS:
                ignorable = True
            elif word == "ansicpg":
                encoding = f"cp{arg}"
                try:
                    codecs.lookup(encoding)
                except LookupError:
                    encoding = "utf8"
            if ignorable or suppress_output:
                pass
            elif word in _SPECIAL:
                out.append(_SPECIAL[word])
            elif word == "uc":
                if arg is not None:
                    ucskip = int(arg)
            elif word == "u":
                if arg is None:
                    curskip = ucskip
                else:
                    code = int(arg)
                    if code < 0:
                        code += 0x10000
                    out.append(chr(code))
                    curskip = ucskip
            elif word == "f":
                current_font = arg
            elif word == "deff":
                default_font = arg
            elif word in ("fonttbl", "colortbl"):
                suppress_output = True
        elif hex_byte:
            if curskip > 0:
                curskip -= 1
            elif not ignorable:
                hexes.append(hex_byte)
        elif tchar:
            if curskip > 0:
                curskip -= 1
            elif not ignorable and not suppress_output:
                out.append(tchar)
    return "".join(out)
