"""Hostile pictures, office files, Outlook messages and web archives: each is refused in one
sentence (exit 6 from the CLI), without a traceback, in bounded time and memory, before a
decoder allocates what the file claims; an archive cancelled midway leaves nothing behind.

The bombs are made at test time: a TIFF of 100,000 pages (10 MB), TIFF pages that loop, a
TIFF of 20 pages each within bounds but of 2 billion pixels together (15 KB), a PNG, TIFF or
GIF claiming 40,000-65,535 pixels a side (a few hundred bytes to 1.5 MB), a GIF of 100,000
frames, a Word or OpenDocument file whose text inflates a thousand times, a real
Outlook message whose sector chains or directory were made to loop, a WACZ whose members or
captured addresses climb out.
"""

from __future__ import annotations

import gzip
import io
import json
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import olefile
import pytest

from dossier.errors import Cancelled, InputRefused
from dossier.ingest.formats import extract_bytes
from dossier.jobs import CancelToken
from dossier.services.workspace import Workspace
from tests.clivault import CliVault
from tests.paths import INGEST_CORPUS

# -- pictures -----------------------------------------------------------------------------


def tiff(frames: int = 1, width: int = 1, height: int = 1, *, loop: bool = False) -> bytes:
    """Uncompressed grey TIFF pages sharing one pixel, chained one after the other."""
    out = bytearray(b"II*\x00" + struct.pack("<I", 12) + b"\x80\x00\x00\x00")
    for number in range(frames):
        at = len(out)
        entries = [
            (256, 4, width),
            (257, 4, height),
            (258, 3, 8),
            (259, 3, 1),
            (262, 3, 1),
            (273, 4, 8),
            (278, 4, height),
            (279, 4, 1),
        ]
        directory = struct.pack("<H", len(entries))
        directory += b"".join(struct.pack("<HHII", tag, kind, 1, v) for tag, kind, v in entries)
        following = at + len(directory) + 4 if number + 1 < frames else (12 if loop else 0)
        out += directory + struct.pack("<I", following)
    return bytes(out)


def gif(frames: int = 1, width: int = 1, height: int = 1) -> bytes:
    out = bytearray(b"GIF89a" + struct.pack("<HH", width, height) + b"\x80\x00\x00")
    out += b"\x00\x00\x00\xff\xff\xff"
    frame = b"\x2c" + struct.pack("<HHHH", 0, 0, 1, 1) + b"\x00\x02\x02\x44\x01\x00"
    return bytes(out + frame * frames + b"\x3b")


def png(width: int, height: int) -> bytes:
    """A grey PNG claiming `width` × `height` (its first rows of zeros only: the claim is
    what a decoder allocates for, and all the test needs)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    packer = zlib.compressobj(9)
    row = bytes(width + 1)
    body = b"".join(packer.compress(row) for _ in range(min(height, 64))) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


PICTURE_BOMBS: dict[str, tuple[Callable[[], bytes], str]] = {
    "tiff-100000-pages.tif": (lambda: tiff(100_000), "more than 500 pages"),
    "tiff-pages-loop.tif": (lambda: tiff(3, loop=True), "pages loop back"),
    "tiff-huge.tif": (lambda: tiff(1, 100_000, 100_000), "100000 × 100000 pixels"),
    # Each page within bounds, twenty of them not: 15 KB read as 2 billion pixels (a G4 fax
    # of such pages is 100 KB, and took 5 CPU-s for 20 pages, 2 minutes for 500, before OCR).
    "tiff-pages-of-2-billion.tif": (lambda: tiff(20, 10_000, 10_001), "20 pages of 2000 million"),
    "gif-huge-screen.gif": (lambda: gif(1, 65_535, 65_535), "65535 × 65535 pixels"),
    "gif-100000-huge.gif": (lambda: gif(100_000, 65_535, 65_535), "65535 × 65535 pixels"),
    "png-40000.png": (lambda: png(40_000, 40_000), "40000 × 40000 pixels"),
}


@pytest.mark.parametrize("name", sorted(PICTURE_BOMBS))
def test_picture_bombs_are_refused_before_decoding(name: str) -> None:
    make, message = PICTURE_BOMBS[name]
    with pytest.raises(InputRefused, match=message):
        extract_bytes(make(), name, ocr=True)


def test_a_gif_of_100000_frames_is_read_as_its_first_picture() -> None:
    # A GIF is one picture (its animation is not pages): the frames cost nothing.
    document = extract_bytes(gif(100_000), "animation.gif", ocr=False)
    assert len(document.pages) == 1


# -- office files -------------------------------------------------------------------------


def _bomb_zip(members: dict[str, bytes], big: str, size: int = 64 * 1024**2) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        with archive.open(big, "w") as stream:
            for _ in range(size >> 20):
                stream.write(b" " * (1 << 20))
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "members", "big"),
    [
        ("rapport.docx", {"[Content_Types].xml": b"<Types/>"}, "word/document.xml"),
        (
            "rapport.odt",
            {"mimetype": b"application/vnd.oasis.opendocument.text"},
            "content.xml",
        ),
        (
            "rapport.docx",
            {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"},
            "word/media/image1.png",
        ),
    ],
)
def test_a_zip_bomb_inside_a_word_or_opendocument_file_is_refused(
    name: str, members: dict[str, bytes], big: str
) -> None:
    with pytest.raises(InputRefused, match=r"zip bomb.*nothing was written"):
        extract_bytes(_bomb_zip(members, big), name, ocr=False)


# -- Outlook messages ---------------------------------------------------------------------


class _Ole:
    """A real .msg with its FAT and directory at hand, to make its chains loop."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self.sector = 1 << struct.unpack("<H", raw[30:32])[0]
        self.difat = struct.unpack("<109I", raw[0x4C : 0x4C + 436])
        self.directory = struct.unpack("<I", raw[0x30:0x34])[0]
        self.minifat = struct.unpack("<I", raw[0x3C:0x40])[0]
        with olefile.OleFileIO(raw) as ole:
            entries = [e for e in ole.direntries if e is not None]
            self.big = next(e for e in entries if e.entry_type == 2 and e.size >= 4096)
            self.storage = next(e for e in entries if e.entry_type == 1 and e.sid > 0)
            self.stream = next(e for e in entries if e.entry_type == 2)

    def _fat_at(self, index: int) -> int:
        per = self.sector // 4
        return (self.difat[index // per] + 1) * self.sector + 4 * (index % per)

    def fat(self, index: int) -> int:
        value: int = struct.unpack("<I", self.raw[self._fat_at(index) : self._fat_at(index) + 4])[0]
        return value

    def chain(self, start: int) -> list[int]:
        sectors = [start]
        while self.fat(sectors[-1]) < 0xFFFFFFF0:
            sectors.append(self.fat(sectors[-1]))
        return sectors

    def entry_at(self, sid: int) -> int:
        per = self.sector // 128
        sectors = self.chain(self.directory)
        return (sectors[sid // per] + 1) * self.sector + 128 * (sid % per)

    def with_fat(self, index: int, value: int) -> bytes:
        return self.patched(self._fat_at(index), value)

    def patched(self, offset: int, value: int) -> bytes:
        out = bytearray(self.raw)
        out[offset : offset + 4] = struct.pack("<I", value)
        return bytes(out)


def _loops(ole: _Ole) -> dict[str, bytes]:
    chain = ole.chain(ole.big.isectStart)
    return {
        "a stream's chain loops to its start": ole.with_fat(chain[-1], chain[0]),
        "a stream's first sector points to itself": ole.with_fat(chain[0], chain[0]),
        "the directory's chain points to itself": ole.with_fat(ole.directory, ole.directory),
        "the mini FAT's chain points to itself": ole.with_fat(ole.minifat, ole.minifat),
        "an entry is its own right sibling": ole.patched(
            ole.entry_at(ole.stream.sid) + 0x48, ole.stream.sid
        ),
        "an entry is its own left sibling": ole.patched(
            ole.entry_at(ole.stream.sid) + 0x44, ole.stream.sid
        ),
        "a storage's child is the root": ole.patched(ole.entry_at(ole.storage.sid) + 0x4C, 0),
        "a storage is its own child": ole.patched(
            ole.entry_at(ole.storage.sid) + 0x4C, ole.storage.sid
        ),
    }


def test_an_outlook_message_whose_chains_loop_is_refused(ingest_corpus: Path) -> None:
    raw = (ingest_corpus / "msg_with_msg_and_pdf_attachments.msg").read_bytes()
    assert extract_bytes(raw, "intact.msg", ocr=False).embedded  # the unaltered file reads
    for what, data in _loops(_Ole(raw)).items():
        with pytest.raises(InputRefused, match="damaged Outlook message"):
            extract_bytes(data, "boucle.msg", ocr=False)
            pytest.fail(f"accepted: {what}")


# -- web archives -------------------------------------------------------------------------


def _warc_page(url: str, html: str) -> bytes:
    body = html.encode()
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    head = (
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
        f"WARC-Date: 2024-03-01T10:00:00Z\r\nWARC-Target-URI: {url}\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n"
    )
    return gzip.compress(head.encode() + http + b"\r\n\r\n")


def _wacz(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, data in members.items():
            package.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "member",
    ["archive/../../../etc/cron.d/evil.warc.gz", "/archive/data.warc.gz", "archive\\..\\x.warc"],
)
def test_a_wacz_whose_members_climb_out_is_refused_whole(member: str) -> None:
    data = _wacz(
        {
            "datapackage.json": b"{}",
            "archive/data.warc.gz": _warc_page("https://example.org/a", "<p>Bonjour</p>"),
            member: _warc_page("https://example.org/b", "<p>Piège</p>"),
        }
    )
    with pytest.raises(InputRefused, match="nothing was written"):
        extract_bytes(data, "capture.wacz", ocr=False)


def test_a_wacz_whose_pages_name_paths_that_climb_out_gives_plain_file_names() -> None:
    hostile = "https://example.org/../../../../etc/cron.d/evil%2F..%2F.html"
    pages = [{"url": hostile, "ts": "2024-03-01T10:00:00Z", "filename": "../../../etc/passwd"}]
    data = _wacz(
        {
            "datapackage.json": json.dumps(
                {"resources": [{"path": "../../../etc/shadow"}]}
            ).encode(),
            "pages/pages.jsonl": "\n".join(json.dumps(p) for p in pages).encode(),
            "archive/data.warc.gz": _warc_page(hostile, "<p>Le texte Zorglub capturé.</p>"),
        }
    )
    document = extract_bytes(data, "capture.wacz", ocr=False)
    (page,) = document.embedded
    assert "/" not in page.name and "\\" not in page.name and not page.name.startswith(".")
    assert page.metadata["captured_url"] == hostile  # kept as provenance, never as a path


# -- the command line: one sentence, exit 6 -------------------------------------------------


def test_the_cli_refuses_each_bomb_in_one_sentence_with_exit_6(tmp_path: Path) -> None:
    vault = CliVault(tmp_path, "V.dossier")
    vault.ok("init")
    vault.ok("case", "create", "Bombes")
    files = {
        "pages.tif": tiff(100_000),
        "huge.png": png(40_000, 40_000),
        "bomb.docx": _bomb_zip({"[Content_Types].xml": b"<Types/>"}, "word/document.xml"),
    }
    if INGEST_CORPUS.is_dir():
        raw = (INGEST_CORPUS / "msg_with_msg_and_pdf_attachments.msg").read_bytes()
        files["loop.msg"] = next(iter(_loops(_Ole(raw)).values()))
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        result = vault.run("import", "--case", "Bombes", str(path))  # asserts no traceback
        assert result.returncode == 6, (name, result.returncode, result.stderr)
        assert result.stderr.startswith("dossier: ") and result.stderr.count("\n") == 1, (
            name,
            result.stderr,
        )
    assert vault.json("doc", "list", "--case", "Bombes") == []


# -- cancel midway --------------------------------------------------------------------------


def test_an_archive_cancelled_midway_leaves_nothing_and_fsck_is_clean(
    workspace: Workspace,
) -> None:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for number in range(120):
            text = f"Pièce numéro {number}: le mot Quetzalcoatl{number} y figure.\n".encode()
            info = tarfile.TarInfo(f"pieces/piece-{number:03d}.txt")
            info.size = len(text)
            tar.addfile(info, io.BytesIO(text))
    case = workspace.cases.create("Annulé").id
    cancel = CancelToken()
    seen: list[str] = []

    def stop_midway(_fraction: float, message: str) -> None:
        seen.append(message)
        if "60 of 120" in message:
            cancel.cancel()

    with pytest.raises(Cancelled):
        workspace.documents.import_bytes(
            case, out.getvalue(), "pieces.tar.gz", progress=stop_midway, cancel=cancel
        )
    assert any("59 of 120" in m for m in seen)
    assert workspace.documents.of_case(case) == []
    assert not [p for p in workspace.vault.blobs_dir.rglob("*") if p.is_file()]
    assert workspace.search.query("Quetzalcoatl10", case=case) == []
    report = workspace.fsck.run()
    assert report.ok, report.problems
    top = workspace.documents.import_bytes(case, out.getvalue(), "pieces.tar.gz")
    assert len(workspace.documents.children(top.id)) == 120
    assert workspace.fsck.run().ok
