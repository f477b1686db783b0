"""Chinese, Japanese and Korean in UTF-16 without a byte-order mark are read as written even
with no NUL at all (no line end, no digit, no 一: a title, a note), and no window of a binary,
down to 16 bytes, is read as such text.

A BOM-less reading needed NULs, and such text has none: it was read as Windows-1252 or Latin-1
and refused as binary data. Windows of compressed streams of 16 to 64 bytes (the corpus's
PDFs, zip and OpenDocument files) and of programs read as Han characters: eight characters
paired from random bytes land in one script often enough. Prose writes the few thousand
characters its language writes most (`utf16.common_east_asian`); bytes paired up land there
one time in three.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from dossier.ingest.formats import extract_bytes
from dossier.ingest.sniff import SNIFF_BYTES, decode_text
from tests.core.ingest.test_wide_text_edges import CHINESE, JAPANESE, KOREAN
from tests.paths import CORPUS, INGEST_CORPUS

_PROSE = {"chinese": CHINESE, "japanese": JAPANESE, "korean": KOREAN}
_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")


def _without_nuls(text: str) -> str:
    """The text without its characters that hold a NUL in UTF-16: line ends, digits, spaces,
    一 (U+4E00)."""
    return "".join(char for char in text if b"\x00" not in char.encode("utf-16-le"))


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", _PROSE.values(), ids=_PROSE.keys())
def test_east_asian_prose_without_a_nul_is_read_as_written(encoding: str, text: str) -> None:
    prose = _without_nuls(text)
    for times in (1, 3 * SNIFF_BYTES // len(prose.encode(encoding))):
        data = (prose * times).encode(encoding)
        assert b"\x00" not in data
        document = extract_bytes(data, "note.txt")
        assert [page.text for page in document.pages] == [prose * times]


def _read_as_wide(window: bytes) -> bool:
    """Whether the bytes are read as UTF-16 without a BOM: as text, neither UTF-8 nor
    with a BOM, mostly of characters from U+0800 up (which one-byte code pages never give)."""
    text = decode_text(window, partial=True)
    if text is None or window.startswith(_BOMS):
        return False
    try:
        window.decode("utf-8")
        return False
    except UnicodeDecodeError:
        return sum(1 for char in text if char >= "\u0800") > len(text) / 2


def _binaries() -> list[Path]:
    folders = [folder for folder in (INGEST_CORPUS, CORPUS) if folder.is_dir()]
    files = [path for folder in folders for path in sorted(folder.iterdir())]
    # Outlook messages and Word's encrypted files hold UTF-16 strings: windows of them are text.
    binaries = [path for path in files if path.suffix in (".pdf", ".zip", ".odt", ".jpg", ".tif")]
    fonts = sorted(Path("/usr/share/fonts").rglob("*.ttf"))[:3]
    return binaries + fonts + [Path(sys.executable).resolve()]


@pytest.mark.parametrize("path", _binaries(), ids=lambda path: path.name)
def test_no_window_of_a_binary_is_read_as_east_asian_text(path: Path) -> None:
    data = path.read_bytes()
    for size in (16, 32, 64, 512, 4096):
        step = max(1, (len(data) - size) // 25)
        for start in range(0, len(data) - size, step):
            for at in (start, start + 1):
                assert not _read_as_wide(data[at : at + size]), (path.name, size, at)


def test_random_bytes_without_nuls_are_not_read_as_east_asian_text() -> None:
    rng = random.Random(1615)
    for draw in range(4000):
        window = bytes(byte or 1 for byte in rng.randbytes(rng.choice((16, 32, 128, 2048))))
        assert not _read_as_wide(window), draw
