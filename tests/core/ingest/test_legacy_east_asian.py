"""Chinese, Japanese and Korean text files in the two-byte encodings their systems still write
(GBK, Big5, EUC-JP, Shift_JIS, EUC-KR) are read as written and found by search: they were read
as Windows-1252 ('¾¯·½Ê¹ÓÃ'), imported without a word, and no search ever found them. Text in
a one-byte code page, and random bytes, are never taken for them."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from dossier.ingest.east_asian import legacy_east_asian
from dossier.ingest.formats import extract_bytes
from dossier.ingest.sniff import decode_text
from dossier.services.workspace import Workspace

CHINESE = (
    "警方使用的视频分析软件由一家以色列公司开发，调查显示该软件自2015年起已在多个省份部署。\r\n"
    "议员们致信内政部长，提出了四个问题：“软件是否具备人脸识别功能？”部长办公室否认了这一说法。\r\n"
)
TRADITIONAL = (
    "警方使用的影像分析軟體由一家以色列公司開發，調查顯示該軟體自2015年起已在多個省份部署。\r\n"
    "議員們致信內政部長，提出了四個問題。\r\n"
)
JAPANESE = (
    "警察が使用している映像解析ソフトウェアは、イスラエルの企業が開発したもので、"
    "調査によると2015年から複数の県で導入されていた。\r\n議員たちは内務大臣に書簡を送った。\r\n"
)
KOREAN = (
    "경찰이 사용하는 영상 분석 소프트웨어는 이스라엘 기업이 개발했으며, "
    "조사에 따르면 2015년부터 여러 지역에 배치되었다.\r\n의원들은 장관에게 서한을 보냈다.\r\n"
)

WRITTEN = [
    ("gb18030", CHINESE),
    ("gbk", CHINESE),
    ("gb2312", CHINESE),
    ("big5", TRADITIONAL),
    ("euc_jp", JAPANESE),
    ("shift_jis", JAPANESE),
    ("euc_kr", KOREAN),
]


@pytest.mark.parametrize(("encoding", "text"), WRITTEN)
def test_each_legacy_encoding_is_read_as_written(encoding: str, text: str) -> None:
    document = extract_bytes(text.encode(encoding), "note.txt")
    assert [page.text for page in document.pages] == [text.replace("\r\n", "\n")]


def test_a_gbk_file_is_found_by_search(workspace: Workspace, tmp_path: Path) -> None:
    case = workspace.cases.create("Notes").id
    path = tmp_path / "note.txt"
    path.write_bytes(("Rapport 2015\n" + CHINESE).encode("gbk"))
    document = workspace.documents.import_file(case, path).id
    assert [hit.doc_id for hit in workspace.search.query("Rapport", case=case)] == [document]
    assert "以色列公司" in workspace.documents.page(document, 0).text


EUROPEAN = (
    "été déjà préfecture Élysée À Ça Über Straße Ärger Ôte façon cœur naïve Müller Zürich "
    "España niño acción São João coração Ñandú Øresund Æther ÉÉ ÀÀ ÈÉ ÊË ÌÍ ÎÏ ÐÑ ÒÓ ÔÕ ÖØ "
    "ÙÚ ÛÜ Ýþ ß le la de und the — « » 1998"
).split()


def test_text_in_a_one_byte_code_page_keeps_its_reading() -> None:
    rng = random.Random(15)
    for _ in range(1500):
        text = " ".join(rng.choice([*EUROPEAN, "\n"]) for _ in range(rng.randrange(5, 300)))
        for encoding in ("cp1252", "latin-1"):
            try:
                data = text.encode(encoding)
            except UnicodeEncodeError:
                continue
            assert decode_text(data) == text


def test_random_bytes_are_never_read_as_east_asian_text() -> None:
    rng = random.Random(16)
    for _ in range(3000):
        size = rng.choice([32, 200, 1000, 4000])
        high = rng.random()  # from mostly ASCII to mostly high bytes
        data = bytes(
            rng.randrange(0x80, 0x100) if rng.random() < high else rng.randrange(1, 0x80)
            for _ in range(size)
        )
        assert legacy_east_asian(data) is None


OTHER_CODE_PAGES = {
    "cp1251": "Протокол заседания комиссии. Присутствовали Иванов, Петрова. Решение принято.",
    "koi8_r": "Протокол заседания комиссии. Присутствовали Иванов, Петрова. Решение принято.",
    "cp1253": "Η επιτροπή συνεδρίασε στις δεκατέσσερις Απριλίου. Παρόντες ήταν ο Ιβάνοφ.",
    "cp1254": "Komisyon on dört Nisan'da toplandı. İvanov ve Petrova hazır bulundu. Şöyle ğüç.",
    "cp1255": "הוועדה התכנסה בארבעה עשר באפריל. נכחו איבנוב ופטרובה.",
    "cp1256": "اجتمعت اللجنة في الرابع عشر من أبريل. حضر إيفانوف وبيتروفا.",
    "cp1250": "Zażółć gęślą jaźń. Příliš žluťoučký kůň úpěl ďábelské ódy. Łódź, Kraków.",
}


@pytest.mark.parametrize("encoding", OTHER_CODE_PAGES)
def test_other_one_byte_code_pages_are_not_taken_for_east_asian_text(encoding: str) -> None:
    """Headlines in capitals and words run together pair their letters, all at 0xC0 and
    above, into common Han characters (Greek, Turkish, KOI8-R Russian, Arabic were read as
    Chinese)."""
    rng = random.Random(encoding)
    words = OTHER_CODE_PAGES[encoding].split()
    for _ in range(300):
        text = " ".join(rng.choice(words) for _ in range(rng.randrange(5, 200)))
        for variant in (text, text.replace(" ", ""), text.upper(), text.upper().replace(" ", "")):
            assert legacy_east_asian(variant.encode(encoding, errors="ignore")) is None, variant
