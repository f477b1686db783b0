"""UTF-16 and UTF-32 text at its edges: a file cut short inside its last character (a download
or copy interrupted) is imported with that half-character left out, and says so, instead of
being refused as "binary data" (or, in UTF-8, read as Windows-1252, every accent garbled);
Chinese or Japanese text in UTF-16 without a byte-order mark
(its only NULs its line ends and digits: under one unit in twenty) is read as written; and
no binary, whole or in windows, nor random bytes with NULs, is taken for such text."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from dossier.errors import InputRefused
from dossier.ingest.formats import extract_bytes
from dossier.ingest.sniff import SNIFF_BYTES, decode_text, sniff_kind
from dossier.services.workspace import Workspace
from tests.paths import CORPUS, INGEST_CORPUS

FRENCH = "Le préfet a reçu la délégation le 12 mars ; la réunion a duré deux heures.\r\n"
RUSSIAN = "Решение принято единогласно 14 апреля, протокол подписан.\r\n"
CHINESE = (
    "据新华社报道，国务院办公厅近日印发关于进一步加强财政资金监管的通知，要求各地区各部门"
    "严格执行预算管理制度。通知指出，共发现违规使用资金案件一百余起，涉及金额约三亿元。\r\n"
    "审计署将继续开展专项检查，对违规行为依法依规严肃处理。\r\n"
)
JAPANESE = (
    "東京地方検察庁は三日、元社長の田中一郎容疑者を業務上横領の疑いで逮捕したと発表した。"
    "関係者によると、田中容疑者は二〇一九年から二〇二二年にかけて、会社の資金約二億円を"
    "私的に流用した疑いが持たれている。\r\n"
    "同社は記者会見を開き、「株主の皆様に深くお詫び申し上げます」と謝罪した。\r\n"
)
KOREAN = "서울중앙지검은 3일 전 대표 김모씨를 횡령 혐의로 구속 기소했다고 밝혔다.\r\n"
THAI = "ศาลอาญามีคำสั่งให้จำเลยทั้งสองคนชดใช้ค่าเสียหายแก่ผู้เสียหายตามฟ้อง\r\n"

WIDE = ["utf-16-le", "utf-16-be", "utf-16", "utf-32", "utf-8-sig"]
"""With or without a byte-order mark (the bare "utf-16" and "utf-32" write one; UTF-32 without
one is not taken for text, see test_text_encodings)."""
TEXTS = {"french": FRENCH, "russian": RUSSIAN, "chinese": CHINESE, "astral": "Ligne 𝒳 du relevé 𝟙"}


def _canonical(text: str) -> str:
    return text.replace("\r\n", "\n")


def _ascii_share(text: str) -> float:
    """The share of a text's characters that are ASCII: in UTF-16, those with a NUL byte."""
    return sum(1 for char in text if char < "\x80") / len(text)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    ("text", "word"),
    [
        (CHINESE, "审计署"),
        (JAPANESE, "東京地方検察庁"),
        (KOREAN, "서울중앙지검은"),
        (THAI, "ศาลอาญา"),
    ],
    ids=["chinese", "japanese", "korean", "thai"],
)
def test_east_asian_utf16_without_bom_is_read_as_written(
    encoding: str, text: str, word: str
) -> None:
    for times in (1, 3 * SNIFF_BYTES // len(text.encode(encoding))):  # a head cut mid-file too
        data = (text * times).encode(encoding)
        document = extract_bytes(data, "rapport.txt")
        assert [page.text for page in document.pages] == [_canonical(text * times)]
    assert _ascii_share(CHINESE) < 0.05  # NULs in one unit in twenty: what the old rule wanted
    assert word in document.pages[0].text


@pytest.mark.parametrize("encoding", WIDE)
@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_wide_text_cut_inside_its_last_character_is_imported_and_says_so(
    encoding: str, text: str
) -> None:
    text = text.strip()
    whole = text.encode(encoding)
    bare = {"utf-16": "utf-16-le", "utf-32": "utf-32-le", "utf-8-sig": "utf-8"}.get(encoding)
    for cut in range(1, len(text[-1].encode(bare or encoding))):  # inside a surrogate pair too
        document = extract_bytes(whole[:-cut], "export.txt")
        assert [page.text for page in document.pages] == [_canonical(text[:-1])]
        assert "cut short" in document.metadata["not_imported"]
    assert "not_imported" not in extract_bytes(whole, "export.txt").metadata


def test_a_cut_short_utf16_file_is_imported_and_found(workspace: Workspace, tmp_path: Path) -> None:
    case = workspace.cases.create("Exports").id
    path = tmp_path / "export.txt"
    path.write_bytes(FRENCH.encode("utf-16")[:-1])  # an odd number of bytes
    document = workspace.documents.import_file(case, path)
    assert "cut short" in document.metadata["not_imported"]
    assert [hit.doc_id for hit in workspace.search.query("délégation", case=case)] == [document.id]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16", "utf-32"])
def test_cut_short_wide_mail_is_read_as_mail(encoding: str) -> None:
    message = (
        "From: Anne Martel <anne@example.org>\r\nTo: redaction@example.org\r\n"
        "Subject: Réunion à la préfecture\r\nDate: Mon, 4 Mar 2024 10:00:00 +0100\r\n\r\n"
        "Le préfet viendra avec la délégation.\r\n"
    )
    document = extract_bytes(message.encode(encoding)[:-1], "message.eml")
    assert document.title == "Réunion à la préfecture"
    assert "délégation" in document.text
    assert "cut short" in document.metadata["not_imported"]


def _windows(data: bytes, size: int, count: int) -> list[bytes]:
    """`count` windows of `size` bytes spread over `data`, at even and odd offsets."""
    step = max(1, (len(data) - size) // count)
    starts = range(0, len(data) - size, step)
    return [data[at : at + size] for start in starts for at in (start, start + 1)]


def _corpus_files() -> list[Path]:
    # Outlook messages hold their strings in UTF-16: windows of them are text. Without the
    # shared corpus the test is skipped, as the corpus's other tests are (the module failed
    # to collect, and a whole run with it).
    folders = [folder for folder in (INGEST_CORPUS, CORPUS) if folder.is_dir()]
    files = [path for folder in folders for path in sorted(folder.iterdir())]
    return [path for path in files if path.suffix != ".msg"]


@pytest.mark.parametrize("path", _corpus_files(), ids=lambda path: path.name)
def test_no_window_of_a_corpus_binary_holding_nuls_is_taken_for_text(path: Path) -> None:
    data = path.read_bytes()
    for size in (2048, SNIFF_BYTES):
        for window in _windows(data, size, 40):
            if b"\x00" in window:
                assert decode_text(window, partial=True) is None, (path.name, size)
    if b"\x00" in data[:SNIFF_BYTES]:
        try:
            kind = sniff_kind(Path("export.txt"), data[:SNIFF_BYTES])
        except InputRefused:
            return
        assert kind not in ("text", "markdown", "html"), path.name


def test_random_bytes_with_a_few_nuls_are_not_taken_for_text() -> None:
    rng = random.Random(1614)
    for draw in range(3000):
        size = rng.choice((128, 512, 2048, SNIFF_BYTES))
        data = bytearray(rng.randbytes(size))
        side = draw % 2
        for _ in range(rng.randrange(1, 8)):  # NULs on one side, as UTF-16's line ends
            data[rng.randrange(size // 2) * 2 + side] = 0
        assert decode_text(bytes(data), partial=True) is None, draw


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_text_with_a_stray_nul_is_not_read_as_utf16(encoding: str) -> None:
    """A log or an export with one NUL in it is not Chinese: still refused as binary."""
    line = "2024-03-04 10:00:12 connexion refusée pour l'utilisateur admin depuis 10.0.0.7\r\n"
    data = (line * 40).encode(encoding)
    for at in (101, 102, len(data) // 2):
        stray = data[:at] + b"\x00" + data[at:]
        assert decode_text(stray) is None


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_utf8_text_cut_inside_its_last_character_keeps_its_letters(text: str) -> None:
    """Read as Windows-1252 instead, each of its accented letters was two ('Ã©'), unfound."""
    text = text.strip() + " été"
    whole = text.encode()
    for cut in range(1, len(text[-1].encode())):
        document = extract_bytes(whole[:-cut], "export.txt")
        assert [page.text for page in document.pages] == [_canonical(text[:-1])]
        assert "cut short" in document.metadata["not_imported"]


def test_windows_1252_text_ending_in_an_accent_is_not_taken_for_cut_utf8() -> None:
    text = "Note de frais : 12 EUR, payé"
    document = extract_bytes(text.encode("cp1252"), "note.txt")
    assert [page.text for page in document.pages] == [text]
    assert "not_imported" not in document.metadata
