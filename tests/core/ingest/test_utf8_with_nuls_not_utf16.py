"""UTF-8 text in Cyrillic, Greek, Hebrew or Armenian with NULs in it (a log or a database
export with a stray NUL, a compiled .mo catalogue's strings between their NULs) is not taken
for UTF-16 without a byte-order mark: each of its two-byte letters paired up reads as a Hangul
syllable (UTF-8 "о", D0 BE, is U+D0BE "킾"), writing in one script to the check of fc99be8,
and such a file was imported as Korean nonsense, none of its words found, where it was refused
as binary data before."""

from __future__ import annotations

import struct

import pytest

from dossier.ingest.sniff import SNIFF_BYTES, decode_text

LINES = {
    "russian": "Протокол заседания подписан всеми членами комиссии 14 апреля.\n",
    "ukrainian": "Журналісти отримали доступ до документів про закупівлі.\n",
    "greek": "Το πρακτικό της συνεδρίασης υπογράφηκε από όλα τα μέλη.\n",
    "hebrew": "הפרוטוקול של הישיבה נחתם על ידי כל חברי הוועדה.\n",
    "armenian": "Նիստի արձանագրությունը ստորագրվել է հանձնաժողովի բոլոր անդամների կողմից։\n",
}


@pytest.mark.parametrize("line", LINES.values(), ids=LINES.keys())
def test_utf8_text_with_a_stray_nul_is_not_read_as_utf16(line: str) -> None:
    data = (line * 60).encode()
    for at in (101, 102, 1001, len(data) // 2):
        stray = data[:at] + b"\x00" + data[at:]
        assert decode_text(stray) is None, at
        assert decode_text(stray[:SNIFF_BYTES], partial=True) is None, at


@pytest.mark.parametrize("line", LINES.values(), ids=LINES.keys())
def test_a_catalogue_of_utf8_strings_between_nuls_is_not_read_as_utf16(line: str) -> None:
    strings = [word.encode() for word in line.split() * 40]
    header = struct.pack("<7I", 0x950412DE, 0, len(strings), 28, 28 + 8 * len(strings), 0, 0)
    data = header + b"\x00".join(strings) + b"\x00"
    for start in (0, 1, 300, 301):
        assert decode_text(data[start : start + SNIFF_BYTES], partial=True) is None, start
