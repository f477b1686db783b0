"""UTF-16 without a byte-order mark: whether bytes are such text, and in which byte order.

Windows tools (bcp -w, .NET's Encoding.Unicode) write UTF-16 without a BOM. Text in the Latin,
Greek or Cyrillic scripts tells itself by its NULs (one in each space, digit or letter's high
byte); Chinese or Japanese text has only its line ends and digits, and is told from a binary
with a few NULs by what its bytes read as: writing in one script, not code points of every
script, unassigned and private ones among them.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from functools import cache

_NUL_SHARE = 0.05
"""Share of a UTF-16 text's units with a NUL high byte at least for NULs on one side alone to
tell its byte order: a word in Cyrillic text is followed by a space about once every eight
characters."""
_STRAY_NUL_SHARE = 0.01
"""Share of units with a NUL low byte at most (U+0100, U+2000, U+4E00... are rare)."""
_ODD_SHARE = 0.01
"""Share of the characters of BOM-less UTF-16 text that may be unassigned, private, half a
surrogate pair or an invisible format character: writing has none, a binary's bytes paired
up one in seven, and Latin text with a stray NUL one in ten or so (a space after a letter
pairs into U+2061-U+2073, mostly invisible operators and unassigned)."""
_ASCII_PAIR_SHARE = 0.75
"""Share of its units BOM-less UTF-16 text with few NULs may have both bytes printable ASCII
at most (`_stray_nuls`): Japanese, its kana U+3041-U+307E among them, about a half."""
_UTF8_LETTERS = 8
_UTF8_BAD_SHARE = 0.1
"""UTF-8 text with stray NULs (`_utf8_letters`): at least this many letters beyond ASCII, at
most this share of as many bytes that are no UTF-8."""
_SYMBOL_FONT = frozenset(map(chr, range(0xF000, 0xF100)))
"""The private characters Symbol and Wingdings are read as (Word's list bullet U+F0B7): text
holds them, and a binary's bytes paired up land there one in 256."""
_ASCII, _NUL = 1, 2
_BYTE_KINDS = bytes(
    _ASCII if 0x20 <= byte < 0x7F or byte in b"\t\n\r" else _NUL if byte == 0 else 0
    for byte in range(256)
)
"""Printable ASCII, NUL or other, by byte value (`_stray_nuls`)."""
_WRITING_FORMATS = frozenset(
    "\t\n\v\f\r\u00ad\u061c\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
) | frozenset(chr(point) for point in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
"""The control and format characters writing holds: white space, soft hyphen, zero widths
and joiners, the marks and isolates of right-to-left text."""
_SCRIPT_SHARE = 0.8
"""Share of its letters BOM-less UTF-16 text has in one script at least (Japanese's kana and
kanji are one here): a binary's bytes paired up land anywhere in the 65,536 code points."""
_LETTERS_SHARE = 0.25
"""Share of letters (not ASCII, punctuation or symbols) above which one letter may not make
up half of them: writing in any script varies its letters."""
_COMMON_SHARE = 0.8
"""Share of the Han and Hangul characters of BOM-less UTF-16 text read as Chinese, Japanese or
Korean that are among those each language writes most (`common_east_asian`) at least: prose
has next to no others, a binary's bytes paired up land on them one time in three (Han) or
five (Hangul), and a window of a compressed stream of 16 bytes read as eight Han characters."""
_EAST_ASIAN = frozenset({"han", "hangul"})
_LEAST_WITHOUT_NULS = 8
"""Characters of text without a NUL at least for its bytes to be read as UTF-16: Chinese prose
without a line end or a digit (a title, a note), which is no UTF-8 and would read as Windows-1252
nonsense."""
_ONE_SCRIPT_SHARE = 0.95
"""Share of its letters such text has in Han (with the kana) or Hangul at least: any other
letter would have a NUL, or be a binary's bytes paired up."""
_SCRIPTS = (
    # (first code point, script): where each range starts, up to the next one's start. "" is
    # what every script shares (ASCII, punctuation, symbols, CJK marks and full-width forms).
    (0x0000, ""),
    (0x00C0, "latin"),
    (0x0250, "ipa"),
    (0x0370, "greek"),
    (0x0400, "cyrillic"),
    (0x0530, "armenian"),
    (0x0590, "hebrew"),
    (0x0600, "arabic"),
    (0x0700, "syriac"),
    (0x0750, "arabic"),
    (0x0780, None),
    # Scripts whose letters span more than one block of 128 (Amharic's syllables from U+1200
    # to U+1357, Inuktitut's from U+1401 to U+166C): each is one script.
    (0x0F00, "tibetan"),
    (0x1000, "myanmar"),
    (0x10A0, None),
    (0x1200, "ethiopic"),
    (0x13A0, "cherokee"),
    (0x1400, "syllabics"),
    (0x1680, None),
    (0x1800, "mongolian"),
    (0x18B0, "syllabics"),
    (0x1900, None),
    (0x1E00, "latin"),
    (0x1F00, "greek"),
    (0x2000, ""),
    (0x2C00, None),
    (0x2D80, "ethiopic"),
    (0x2DE0, "cyrillic"),
    (0x2E00, None),
    (0x2E80, "han"),
    (0x3000, ""),
    (0x3040, "han"),
    (0x3130, "hangul"),
    (0x3190, "han"),
    (0xA000, "yi"),
    (0xA4D0, None),
    (0xA500, "vai"),
    (0xA640, "cyrillic"),
    (0xA6A0, "bamum"),
    (0xA700, None),
    (0xA720, "latin"),
    (0xA800, None),
    (0xA960, "hangul"),
    (0xA980, None),
    (0xAB00, "ethiopic"),
    (0xAB30, "latin"),
    (0xAB70, "cherokee"),
    (0xABC0, None),
    (0xAC00, "hangul"),
    (0xD7B0, None),
    (0xF900, "han"),
    (0xFB00, None),
    (0xFB50, "arabic"),
    (0xFE00, None),
    (0xFE30, ""),
    (0xFE50, None),
    (0xFE70, "arabic"),
    (0xFF00, ""),
)
"""Scripts by code point, coarsely; None: each block of 128 is a script of its own."""
_SCRIPT_STARTS = [start for start, _script in _SCRIPTS]
_HANGUL_JAMO = range(0x1100, 0x1200)


def utf16_without_bom(head: bytes) -> str | None:
    """The UTF-16 codec of BOM-less text whose `head` decodes to writing in it, or None.

    NULs on one side of the units and next to none on the other tell the byte order of Latin,
    Greek or Cyrillic text. Chinese or Japanese text has fewer than one unit in twenty with a
    NUL (its line ends and digits) and one in a low byte for each 一 (U+4E00): either side may
    hold more, and both readings are tried. UTF-32 has NULs on both sides and few letters.
    """
    units = len(head) // 2
    even, odd = head[0::2].count(0), head[1::2].count(0)
    readings = ((odd, even, "utf-16-le"), (even, odd, "utf-16-be"))
    for nuls, others, encoding in readings:
        if nuls >= _NUL_SHARE * units and others <= _STRAY_NUL_SHARE * units:
            return encoding if _reads_as_utf16(head, encoding) else None
    if _stray_nuls(head) or _utf8_letters(head):
        return None
    for _nuls, _others, encoding in sorted(readings, reverse=True):
        if _reads_as_utf16(head, encoding):
            return encoding
    return None


def east_asian_without_nuls(head: bytes) -> str | None:
    """The UTF-16 codec of BOM-less text without a NUL whose `head` reads as Chinese, Japanese
    or Korean prose in it (`utf16_without_bom` looks for text with NULs), or None. Called for
    bytes that are no UTF-8: text in a one-byte code page pairs into characters of every
    script, or its ASCII into Han characters (`_stray_nuls`)."""
    if len(head) < 2 * _LEAST_WITHOUT_NULS:
        return None
    # `_stray_nuls` without NULs, in C: every file in a one-byte code page passes here.
    kinds = head.translate(_BYTE_KINDS)
    even, odd = kinds[0::2], kinds[1::2][: len(kinds) // 2]
    both = int.from_bytes(even[: len(odd)], "big") & int.from_bytes(odd, "big")
    if both.to_bytes(len(odd), "big").count(_ASCII) > _ASCII_PAIR_SHARE * len(odd):
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        if _reads_as_utf16(head, encoding, east_asian=True):
            return encoding
    return None


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _reads_as_utf16(head: bytes, encoding: str, *, east_asian: bool = False) -> bool:
    # Half a character pair passes, as an odd character (a string cut inside an emoji):
    # one alone failed the whole file, refused as binary.
    text = codecs.getincrementaldecoder(encoding)("surrogatepass").decode(head, final=False)
    # Lone surrogates are odd characters to `_plausible_utf16`: more than it allows refuse the
    # reading here, counted in C. A binary's bytes pair into one in about 32 units, which a
    # strict decoder refused at the first; counted character by character, a binary's reading
    # cost six times what it did before half pairs passed.
    if len(_LONE_SURROGATE.findall(text)) > _ODD_SHARE * len(text):
        return False
    return _plausible_utf16(text, east_asian=east_asian)


def _stray_nuls(head: bytes) -> bool:
    """Whether `head`, with NULs but not UTF-16 text's on one side alone, is text or markup in
    a one-byte encoding (or UTF-8) with stray NULs rather than UTF-16 (Chinese or Japanese
    text, its NULs its line ends and digits): its units without a NUL pair bytes that are
    both printable ASCII, which Han characters read as UTF-16 are for about a half at most."""
    kinds = head.translate(_BYTE_KINDS)
    units = Counter(zip(kinds[0::2], kinds[1::2], strict=False))
    with_nul = sum(count for unit, count in units.items() if _NUL in unit)
    pairs = units[(_ASCII, _ASCII)]
    return pairs > _ASCII_PAIR_SHARE * (sum(units.values()) - with_nul)


def _utf8_letters(head: bytes) -> bool:
    """Whether `head` is UTF-8 text beyond ASCII (with stray NULs): its two-byte letters in
    Cyrillic, Greek, Hebrew or Armenian paired up read as Hangul syllables ("о", D0 BE, as
    U+D0BE), writing in one script to `_plausible_utf16`. Its letters read as UTF-8 with at
    most a few bytes that do not (a NUL inside a letter, a head cut inside one); the bytes
    from 0x80 up of UTF-16 text with few NULs (Chinese, Japanese) are mostly no UTF-8."""
    if head.isascii():
        return False
    text = head.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    letters = len(text) - bad - sum(1 for char in text if char < "\x80")
    return letters >= _UTF8_LETTERS and bad <= letters * _UTF8_BAD_SHARE


def _plausible_utf16(text: str, *, east_asian: bool = False) -> bool:
    """Whether text read as UTF-16 reads as writing (`utf16_without_bom`); `east_asian`: as
    Chinese, Japanese or Korean prose, its letters most of it."""
    odd = 0
    scripts: Counter[str | int] = Counter()
    top = 0  # the count of the most frequent letter (a character of a script)
    common = 0  # of the Han and Hangul characters, those each language writes most
    for char, count in Counter(text).items():
        category = unicodedata.category(char)
        if char in _SYMBOL_FONT or (category == "Cn" and char > "\uffff"):
            continue  # a bullet of Word's symbol fonts, an emoji newer than this Python
        if category in ("Cn", "Co", "Cs") or (
            category in ("Cc", "Cf") and char not in _WRITING_FORMATS
        ):
            odd += count
            continue
        script = _script(ord(char))
        if east_asian and script == "" and not _east_asian_mark(ord(char)):
            odd += count  # a symbol, which the bytes of binaries pair into, not prose
            continue
        if script != "":
            scripts[script] += count
            top = max(top, count)
            if script in _EAST_ASIAN and char in common_east_asian():
                common += count
    if odd > _ODD_SHARE * len(text):
        return False
    letters = scripts.total()
    if letters == 0:
        return not east_asian
    # A binary's repeated bytes (a picture's flat area) pair into one letter over and over.
    if letters >= _LETTERS_SHARE * len(text) and top > letters / 2:
        return False
    script, most = scripts.most_common(1)[0]
    if script in _EAST_ASIAN and common < _COMMON_SHARE * most:
        return False
    if east_asian:
        return script in _EAST_ASIAN and most >= _ONE_SCRIPT_SHARE * letters >= len(text) / 2
    return most >= _SCRIPT_SHARE * letters


def _east_asian_mark(point: int) -> bool:
    """Punctuation Chinese, Japanese and Korean prose holds: general punctuation (dashes,
    quotes, ellipsis), the ideographic marks and the full- and half-width forms."""
    return 0x2000 <= point < 0x2070 or 0x3000 <= point < 0x3040 or 0xFF00 <= point < 0xFFF0


@cache
def common_east_asian() -> frozenset[str]:
    """The characters Chinese, Japanese and Korean write most: the first level of GB 2312
    (3,755 simplified Han) and of JIS X 0208 (2,965 kanji), Big5's frequent characters (5,401
    traditional), KS X 1001's 2,350 Hangul syllables, and the kana. Read from the codecs once
    (15 ms)."""
    found = {chr(point) for point in range(0x3041, 0x3100)}
    tables = (
        ("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF)),
        ("euc_jp", range(0xB0, 0xD0), range(0xA1, 0xFF)),
        ("big5", range(0xA4, 0xC7), (*range(0x40, 0x7F), *range(0xA1, 0xFF))),
        ("euc_kr", range(0xB0, 0xC9), range(0xA1, 0xFF)),
    )
    for codec, firsts, seconds in tables:
        for first in firsts:
            for second in seconds:
                try:
                    found.add(bytes((first, second)).decode(codec))
                except UnicodeDecodeError:
                    pass  # a hole in the table
    return frozenset(found)


def _script(point: int) -> str | int:
    """The script of a code point, coarsely (`_SCRIPTS`); "" for what scripts share."""
    if point in _HANGUL_JAMO:
        return "hangul"
    script = _SCRIPTS[bisect_right(_SCRIPT_STARTS, point) - 1][1]
    return point >> 7 if script is None else script
