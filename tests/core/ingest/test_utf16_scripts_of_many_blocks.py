"""UTF-16 text without a byte-order mark in a script whose letters span several Unicode blocks
of 128 (Ethiopic for Amharic and Tigrinya, the syllabics of Inuktitut and Cree, Yi, Mongolian,
Vai, Tibetan, Myanmar) is read as written: it was refused as "binary data" once the reading had
to be writing in one script (fc99be8), each block of 128 counted as a script of its own, where
before the NULs of its spaces alone had it read."""

from __future__ import annotations

import pytest

from dossier.ingest.formats import extract_bytes
from dossier.ingest.sniff import SNIFF_BYTES

SCRIPTS = {
    "amharic": "የኢትዮጵያ ጋዜጠኞች በሀገሪቱ ውስጥ ብዙ ችግሮች ይገጥማቸዋል። ፍርድ ቤቱ ውሳኔውን ሰጠ።\r\n",
    "tigrinya": "ኤርትራ ኣብ ምብራቕ ኣፍሪቃ ትርከብ ሃገር እያ። ርእሰ ከተማኣ ኣስመራ እያ።\r\n",
    "inuktitut": "ᐃᓄᒃᑎᑐᑦ ᐅᖃᐅᓯᖅ ᓄᓇᕗᒻᒥ ᐊᑐᖅᑕᐅᔪᖅ ᑲᓇᑕᒥ ᐃᓄᐃᑦ ᐅᖃᐅᓯᖏᑦ ᒐᕙᒪᒃᑯᑦ\r\n",
    "cree": "ᓀᐦᐃᔭᐍᐏᐣ ᐊᔭᒥᐏᐣ ᑭᐦᑭᓇᐤ ᐅᑎᐢᑭᐏᐣ ᒪᐢᑲᐧᒋᐚᐢ ᐋᐦᑳᐧᐤ\r\n",
    "yi": "ꆈꌠꁱꂷ ꀉꂿꄮꈌ ꆈꌠꉙ ꑍꌠ ꊿꂷ ꏃꄉ ꄜꆏ ꀋꅔ ꉬꐚ\r\n",
    "mongolian": "ᠮᠣᠩᠭᠣᠯ ᠤᠯᠤᠰ ᠤᠨ ᠨᠡᠶᠢᠰᠯᠡᠯ ᠬᠣᠲᠠ ᠤᠯᠠᠭᠠᠨᠪᠠᠭᠠᠲᠣᠷ ᠪᠣᠯᠠᠢ\r\n",
    "vai": "ꕙꔤ ꕞꕌꔳ ꗏ ꕉꕪ ꘋ ꔻꕌꔳ ꕉ ꖸ ꗨꗡꔻꗡ ꕎ ꗪꗡ\r\n",
    "tibetan": "བོད་ཀྱི་སྐད་ཡིག་ནི་བོད་མིའི་སྐད་ཡིག་ཡིན། ལྷ་ས་ནི་བོད་ཀྱི་རྒྱལ་ས་ཡིན།\r\n",
    "burmese": "မြန်မာနိုင်ငံသည် အရှေ့တောင်အာရှတွင် တည်ရှိသော နိုင်ငံတစ်ခု ဖြစ်သည်။\r\n",
}


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", SCRIPTS.values(), ids=SCRIPTS.keys())
def test_utf16_without_bom_in_a_script_of_many_blocks_is_read_as_written(
    encoding: str, text: str
) -> None:
    for times in (1, 3 * SNIFF_BYTES // len(text.encode(encoding))):  # a head cut mid-file too
        data = (text * times).encode(encoding)
        document = extract_bytes(data, "rapport.txt")
        assert [page.text for page in document.pages] == [(text * times).replace("\r\n", "\n")]


BULLETS = "".join(f"\uf0b7 Point {i}: the contract was signed on {i} May\r\n" for i in range(40))
CHAT = "".join(f"[{i}:00] Anna: on se voit demain 🫨🫶 ok\r\n" for i in range(40))


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [BULLETS, CHAT], ids=["word bullets", "new emoji"])
def test_utf16_without_bom_with_symbol_bullets_or_new_emoji_is_read(
    encoding: str, text: str
) -> None:
    """Word's list bullet (U+F0B7, a private character of its symbol font) and emoji newer
    than this Python's Unicode tables (U+1FAE8) are no binary's bytes."""
    document = extract_bytes(text.encode(encoding), "export.txt")
    assert [page.text for page in document.pages] == [text.replace("\r\n", "\n")]
