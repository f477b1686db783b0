"""Chinese, Japanese and Korean text in their legacy two-byte encodings (GBK/GB18030, Big5,
EUC-JP, Shift_JIS, EUC-KR), told from text in a one-byte code page.

Such files are no UTF-8, so they were read as Windows-1252: a page of 'ÖÐ¹ú' that search
never matched, imported without a word. Any of these codecs decodes many byte strings, and
the pairs of one are letters of another, so a reading is taken only where it is prose of its
own language: its East Asian characters are almost all among those the language writes most
(accented capitals of French or German text, paired with the next byte, fall among the rare
ones) and its bytes not only those of a one-byte code page's letters, Korean is nearly all
Hangul, Japanese has its kana.
"""

from __future__ import annotations

import codecs
import unicodedata

from dossier.ingest.strays import decoded
from dossier.ingest.utf16 import common_east_asian

_LEAST = 8
"""East Asian characters a head must hold to be read as such (a name in a Latin text)."""
_COMMON_SHARE = 0.8
_HANGUL_SHARE = 0.9
_KANA_SHARE = 0.1
_ODD_SHARE = 0.01
_LOW_BYTES_SHARE = 0.15
_ASCII = bytes(range(0x80))

# Korean first (Chinese read as EUC-KR is Hangul and Hanja mixed, Korean read as GBK common
# Han), then Japanese (Chinese has no kana), then Chinese.
_READINGS = (
    ("euc_kr", "hangul"),
    ("euc_jp", "kana"),
    ("shift_jis", "kana"),
    ("gb18030", ""),
    ("big5", ""),
)


def legacy_east_asian(head: bytes) -> str | None:
    """The codec whose reading of `head` (bytes that are no UTF-8) is Chinese, Japanese or
    Korean prose, or None."""
    # In C: every file in a one-byte code page comes here first.
    if len(head[:4096].translate(None, _ASCII)) < 2 * _LEAST:
        return None
    # Strict readings first; then with a few stray bytes (a flipped bit, a Windows-1252
    # letter pasted in), which failed a reading and left the file to Windows-1252 ('ÖÐ»ª').
    for strict in (True, False):
        for codec, needs in _READINGS:
            if strict:
                try:
                    text = codecs.getincrementaldecoder(codec)().decode(head, final=False)
                except UnicodeDecodeError:
                    continue
            else:
                read = decoded(head, codec)
                if read is None or not read.strays:
                    continue
                text = read.text
            if _prose(text, needs) and not _one_byte_letters(text, codec):
                return codec
    return None


def _prose(text: str, needs: str) -> bool:
    letters = hangul = kana = common = odd = 0
    for char in text:
        point = ord(char)
        if point < 0x80:
            continue
        if 0xAC00 <= point < 0xD7A4:
            hangul += 1
        elif 0x3041 <= point < 0x3100:
            kana += 1
        elif not (0x3400 <= point < 0xA000 or 0xF900 <= point < 0xFB00):
            category = unicodedata.category(char)
            if category[0] == "C" or (category[0] in "LM" and point < 0x3000):
                odd += 1  # a control or unassigned, or a Latin letter from a pair of bytes
            continue
        letters += 1
        common += char in common_east_asian()
    if letters < _LEAST or odd > _ODD_SHARE * len(text) or common < _COMMON_SHARE * letters:
        return False
    if needs == "hangul":
        return hangul >= _HANGUL_SHARE * letters
    if needs == "kana":
        return kana >= _KANA_SHARE * letters
    return True


def _one_byte_letters(text: str, codec: str) -> bool:
    """Whether the two-byte characters are the letters of a one-byte code page paired up:
    those of Windows-1252 to -1256 and KOI8-R (a Greek or Turkish headline in capitals,
    Russian or Arabic run together) lie at 0xC0 and above, where common Han characters are
    too, but Chinese, Korean and EUC-JP spread their bytes over their whole tables, a third
    of them below 0xC0. Shift_JIS, whose first bytes lie elsewhere, is judged by its kana."""
    if codec == "shift_jis":
        return False
    pairs = low = 0
    for char in text:
        if ord(char) < 0x80:
            continue
        encoded = char.encode(codec, errors="ignore")
        if len(encoded) == 2:
            pairs += 1
            low += (0xA1 <= encoded[0] < 0xC0) + (0xA1 <= encoded[1] < 0xC0)
    return low < _LOW_BYTES_SHARE * 2 * pairs
