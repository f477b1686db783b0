"""Text files in the encodings sources' tools write them, with or without a byte-order mark,
imported as their text and found by search; binaries with NULs in them are not taken for text."""

from __future__ import annotations

import io
import random
import struct
import zipfile
from pathlib import Path

import fitz
import pytest

from dossier.errors import InputRefused
from dossier.ingest.formats import extract_bytes
from dossier.ingest.sniff import CONTAINERS, PDF, SNIFF_BYTES, decode_text, sniff_kind
from dossier.services.workspace import Workspace

FRENCH = (
    "Rapport d’étape n° 4\r\n"
    "Le préfet a reçu la délégation le 12 mars ; la réunion a duré deux heures.\r\n"
    "Montant engagé : 1 250 000 euros, hors taxes.\r\n"
)
RUSSIAN = (
    "Протокол заседания комиссии\r\n"
    "Присутствовали: Иванов, Петрова, Сидоренко.\r\n"
    "Решение принято единогласно 14 апреля.\r\n"
)
LATIN1 = "Le député a été reçu à l’hôtel de ville, où l’élu a déclaré « non »."

ENCODED = [
    ("utf-16-le", FRENCH, "délégation"),
    ("utf-16-be", FRENCH, "délégation"),
    ("utf-16-le", RUSSIAN, "единогласно"),
    ("utf-16-be", RUSSIAN, "единогласно"),
    ("utf-16", FRENCH, "délégation"),  # with its byte-order mark
    ("utf-8-sig", FRENCH, "délégation"),
    ("utf-8", RUSSIAN, "единогласно"),
    ("cp1252", FRENCH, "délégation"),
    ("latin-1", LATIN1.replace("’", "'"), "député"),
]


def _canonical(text: str) -> str:
    return text.replace("\r\n", "\n")


@pytest.mark.parametrize(("encoding", "text", "word"), ENCODED)
def test_text_in_each_encoding_is_read_as_written(encoding: str, text: str, word: str) -> None:
    document = extract_bytes(text.encode(encoding), "export.txt")
    assert [page.text for page in document.pages] == [_canonical(text)]
    assert document.mime == "text/plain"


@pytest.mark.parametrize(("encoding", "text", "word"), ENCODED)
def test_text_in_each_encoding_is_found_by_search(
    workspace: Workspace, tmp_path: Path, encoding: str, text: str, word: str
) -> None:
    case = workspace.cases.create("Exports").id
    path = tmp_path / "export.txt"
    path.write_bytes(text.encode(encoding))
    document = workspace.documents.import_file(case, path).id
    hits = workspace.search.query(word, case=case)
    assert [(hit.doc_id, hit.page_index) for hit in hits] == [(document, 0)]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_long_utf16_export_is_sniffed_from_its_head(encoding: str) -> None:
    """The head is cut at SNIFF_BYTES, possibly inside a surrogate pair; the rest still reads."""
    line = "Ligne 𝟙 du relevé : virement de 3 000 € au compte 𝒳.\r\n"
    data = (line * (3 * SNIFF_BYTES // len(line))).encode(encoding)
    assert sniff_kind(Path("releve.txt"), data[:SNIFF_BYTES]) == "text"
    document = extract_bytes(data, "releve.txt")
    assert document.pages[0].text.startswith(_canonical(line) * 10)


def _png() -> bytes:
    pixmap = fitz.Pixmap(fitz.csRGB, fitz.IRect(0, 0, 40, 40), False)
    pixmap.clear_with(200)  # made without its pixels set: each process's bytes were its own
    return bytes(pixmap.tobytes("png"))


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("note.txt", "Rien.\n" * 50)
    return buffer.getvalue()


def _pdf() -> bytes:
    with fitz.open() as document:
        document.new_page().insert_text((72, 72), "Texte du PDF.")
        return bytes(document.tobytes())


def _binaries() -> list[tuple[str, bytes]]:
    rng = random.Random(1613)
    samples = [
        ("png", _png()),
        ("zip", _zip()),
        ("pdf", _pdf()),
        ("utf-32-le", FRENCH.encode("utf-32-le")),
        ("utf-32-be", FRENCH.encode("utf-32-be")),
        ("utf-32-le-russian", RUSSIAN.encode("utf-32-le")),
        # Little-endian 16-bit counters below 256: every other byte is a NUL, as in UTF-16.
        ("uint16-table", struct.pack("<2000H", *(rng.randrange(256) for _ in range(2000)))),
        ("uint16-big-table", struct.pack(">2000H", *(rng.randrange(256) for _ in range(2000)))),
        ("uint32-table", struct.pack("<2000I", *(rng.randrange(65536) for _ in range(2000)))),
    ]
    for size in (64, 1000, 20_000):
        samples.append((f"random-{size}", rng.randbytes(size)))
        # Random bytes with NULs at every other offset: the pattern alone does not make text.
        noisy = bytearray(rng.randbytes(size))
        noisy[1::2] = bytes(len(noisy[1::2]))
        samples.append((f"random-nul-odd-{size}", bytes(noisy)))
    return samples


# Named by label alone: each xdist worker collects the tests and must name them alike.
@pytest.mark.parametrize(
    ("label", "data"), [pytest.param(label, data, id=label) for label, data in _binaries()]
)
def test_binaries_are_not_taken_for_text(label: str, data: bytes) -> None:
    if label not in ("png", "zip", "pdf"):  # known by their signature before any decoding
        assert decode_text(data) is None, label
        assert decode_text(data[:SNIFF_BYTES], partial=True) is None, label
    try:
        kind = sniff_kind(Path("export.txt"), data[:SNIFF_BYTES])
    except InputRefused:
        return
    assert kind in (*CONTAINERS, PDF), label


def test_hostile_corpus_files_keep_their_kind(ingest_corpus: Path) -> None:
    """Named .txt, no binary of the shared corpus becomes text; mail stays mail."""
    for path in sorted(ingest_corpus.iterdir()):
        head = path.read_bytes()[:SNIFF_BYTES]
        try:
            kind = sniff_kind(Path("export.txt"), head)
        except InputRefused:
            continue
        if path.suffix in (".eml", ".mbox"):
            assert kind in ("email", "mbox"), path.name
        else:
            assert kind in (*CONTAINERS, PDF), path.name


MESSAGE = (
    "From: Anne Martel <anne@example.org>\r\n"
    "To: redaction@example.org\r\n"
    "Subject: Réunion à la préfecture\r\n"
    "Date: Mon, 4 Mar 2024 10:00:00 +0100\r\n"
    "\r\n"
    "Le préfet viendra avec la délégation.\r\n"
)
MAILBOX = "From anne@example.org Mon Mar  4 10:00:00 2024\r\n" + MESSAGE


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16", "utf-32", "utf-8-sig"])
@pytest.mark.parametrize(("name", "content"), [("message.eml", MESSAGE), ("boite.mbox", MAILBOX)])
def test_mail_saved_as_wide_text_is_read_as_mail(encoding: str, name: str, content: str) -> None:
    """Mail is parsed from bytes: saved in UTF-16 or with a BOM, its headers are still read."""
    document = extract_bytes(content.encode(encoding), name)
    if name.endswith(".mbox"):  # each message is a file inside the mailbox
        assert "Réunion à la préfecture" in document.pages[0].text
        assert len(document.embedded) == 1
        document = extract_bytes(document.embedded[0].data, document.embedded[0].name)
    assert document.title == "Réunion à la préfecture"
    assert "délégation" in "\n".join(page.text for page in document.pages)
