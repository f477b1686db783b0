"""One stray byte in a text file spoils that byte alone, whatever the file's encoding: a name
pasted from a Windows-1252 mail into UTF-8 notes, a file glued from two exports, a bit flipped
on an old disk, a UTF-16 string cut inside a character pair. Such a file was refused as binary
(Chinese or Korean UTF-8, Shift_JIS, UTF-16 with half an emoji), or read whole in the wrong
encoding, where search never found its words: French UTF-8 as Chinese ('pr茅fet') or as
Windows-1252 ('prÃ©fet'), Chinese GBK or Korean EUC-KR as Windows-1252 ('ÖÐ»ª')."""

from __future__ import annotations

import pytest

from dossier.ingest.formats import extract_bytes
from dossier.ingest.sniff import SNIFF_BYTES, decode_text
from dossier.redact.masking import TextMasker
from dossier.redact.names import name_parts
from dossier.text.fold import contains_term

FRENCH = "Le préfet a reçu les journalistes à Besançon ; l'élu était présent, ça s'est su.\n"
RUSSIAN = "Префект принял журналистов в Безансоне; депутат присутствовал при этом.\n"
CHINESE = "警方使用的视频分析软件由一家以色列公司开发，调查显示该软件已在多个省份部署。\n"
TRADITIONAL = "警方使用的影像分析軟體由一家以色列公司開發，調查顯示該軟體已在多個省份部署。\n"
JAPANESE = "警察が使用している映像解析ソフトウェアは、イスラエルの企業が開発したものである。\n"
KOREAN = "경찰이 사용하는 영상 분석 소프트웨어는 이스라엘 기업이 개발했으며 배치되었다.\n"

STRAY = "\ufffd"

WRITTEN = {
    "utf-8 French": ("utf-8", FRENCH),
    "utf-8 Russian": ("utf-8", RUSSIAN),
    "utf-8 Chinese": ("utf-8", CHINESE),
    "utf-8 Korean": ("utf-8", KOREAN),
    "utf-8 with a BOM": ("utf-8-sig", JAPANESE),
    "gb18030": ("gb18030", CHINESE),
    "gbk": ("gbk", CHINESE),
    "big5": ("big5", TRADITIONAL),
    "euc_jp": ("euc_jp", JAPANESE),
    "shift_jis": ("shift_jis", JAPANESE),
    "euc_kr": ("euc_kr", KOREAN),
}


def _lines(text: str) -> list[str]:
    """Enough numbered lines of `text` to run past the sniffed head twice over."""
    count = 3 * SNIFF_BYTES // len(text.encode("utf-8")) + 2
    return [f"{number} {text}" for number in range(count)]


def _with_stray(encoding: str, lines: list[str], at: int, stray: bytes) -> bytes:
    data = b"".join(line.encode(encoding) for line in lines)
    if encoding == "utf-8-sig":  # each line got its own BOM
        data = b"\xef\xbb\xbf" + data.replace(b"\xef\xbb\xbf", b"")
    head = sum(len(line.encode(encoding.replace("-sig", ""))) for line in lines[:at])
    head += 3 if encoding == "utf-8-sig" else 0
    return data[:head] + stray + data[head:]


@pytest.mark.parametrize("where", ["head", "tail"])
@pytest.mark.parametrize(("encoding", "text"), WRITTEN.values(), ids=WRITTEN.keys())
def test_a_stray_byte_spoils_itself_alone(encoding: str, text: str, where: str) -> None:
    lines = _lines(text)
    at = 3 if where == "head" else len(lines) - 3
    # 0xFF starts no character in any of these encodings; 0xE9 is a Windows-1252 'é' pasted in.
    strays = [b"\xff", b"\xe9"] if encoding.startswith("utf-8") else [b"\xff"]
    for stray in strays:
        data = _with_stray(encoding, lines, at, stray)
        # In UTF-8 a stray is read as Windows-1252 reads it: most often a pasted letter.
        read = stray.decode("cp1252") if encoding.startswith("utf-8") else STRAY
        expected = "".join([*lines[:at], read, *lines[at:]])
        assert decode_text(data) == expected, (encoding, stray)
        document = extract_bytes(data, "notes.txt")
        assert document.pages[0].text == expected


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16"])
@pytest.mark.parametrize("text", [FRENCH, RUSSIAN, CHINESE], ids=["French", "Russian", "Chinese"])
@pytest.mark.parametrize("where", ["head", "tail"])
def test_half_a_character_pair_in_utf16_spoils_itself_alone(
    encoding: str, text: str, where: str
) -> None:
    """A string cut between the two halves of an emoji, the rest of the file whole."""
    lines = _lines(text)
    at = 3 if where == "head" else len(lines) - 3
    order = "utf-16-be" if encoding == "utf-16-be" else "utf-16-le"
    bom = b"\xff\xfe" if encoding == "utf-16" else b""
    half = "\ud83d".encode(order, "surrogatepass")
    before = "".join(lines[:at]).encode(order)
    data = bom + before + half + "".join(lines[at:]).encode(order)
    expected = "".join([*lines[:at], STRAY, *lines[at:]])
    assert decode_text(data) == expected
    assert extract_bytes(data, "notes.txt").pages[0].text == expected


def test_a_file_mostly_undecodable_in_its_encoding_is_still_not_text() -> None:
    """The tolerance is for a stray byte, not for a binary after a text's first page."""
    lines = _lines(FRENCH)
    text = "".join(lines).encode("utf-8")
    binary = bytes(range(0x80, 0x100)) * (len(text) // 64)
    assert decode_text(text[: SNIFF_BYTES + 100] + binary) is None


def test_windows_1252_text_is_not_read_as_utf8_with_strays() -> None:
    """Windows-1252 French has a high byte in each accented letter, none of them UTF-8."""
    data = "".join(_lines(FRENCH)).encode("cp1252")
    assert decode_text(data) == "".join(_lines(FRENCH))


@pytest.mark.parametrize("name", ["Léonard Ménétrier", "Ilse Müßig", "Çelik Øberg", "Zoë Œuvray"])
def test_a_name_pasted_from_windows_1252_into_utf8_is_searched_and_masked(name: str) -> None:
    """The stray bytes of a pasted name are its letters: read as U+FFFD, 'L�onard M�n�trier'
    was neither found by a search for the name nor masked by the export, which showed it
    (with every other letter) beside a self-check that passed."""
    lines = _lines(FRENCH)
    data = b"".join(line.encode("utf-8") for line in lines[:5])
    data += f"Contact : {name}, au tribunal.\n".encode("cp1252")
    data += b"".join(line.encode("utf-8") for line in lines[5:])
    text = decode_text(data)
    assert text is not None and contains_term(text, name)
    masker = TextMasker(names=[(part, "Source A") for part in name_parts([name])])
    assert not contains_term(masker.mask(text), name.split()[0])
    assert masker.mask(text).count("Source A") >= 1
