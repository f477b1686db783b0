"""Tarballs (plain, gzip, bzip2, xz) and lone compressed files: members become child documents,
a hostile archive is refused whole with nothing written; 7-Zip and RAR are refused without
advice to unpack them on disk."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
import tracemalloc
from pathlib import Path

import pytest

from dossier.errors import InputRefused
from dossier.services.workspace import Workspace
from tests.core.services.documents.test_archives import _nothing_written
from tests.pdfgen import text_pdf

_COMPRESS = {
    "tar": lambda b: b,
    "tar.gz": gzip.compress,
    "tar.bz2": bz2.compress,
    "tar.xz": lzma.compress,
}


def _member(name: str, data: bytes = b"", kind: bytes = tarfile.REGTYPE) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    return info


def _tar(members: list[tuple[tarfile.TarInfo, bytes]], fmt: int = tarfile.PAX_FORMAT) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=fmt) as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return out.getvalue()


@pytest.mark.parametrize("suffix", sorted(_COMPRESS))
def test_tarball_members_become_linked_documents(
    workspace: Workspace, tmp_path: Path, suffix: str
) -> None:
    pdf = text_pdf(tmp_path / "a.pdf", "Procès-verbal Ornithorynque du conseil.").read_bytes()
    note = b"Note Batrachomyomachique interne.\n"
    data = _tar(
        [
            (_member("envoi/"), b""),
            (_member("envoi/pv.pdf", pdf), pdf),
            (_member("envoi/notes/note.txt", note), note),
            (_member("envoi/.DS_Store", b"\x00\x00"), b"\x00\x00"),
        ]
    )
    case = workspace.cases.create("Tar").id
    top = workspace.documents.import_bytes(case, _COMPRESS[suffix](data), f"envoi.{suffix}")
    members = workspace.documents.children(top.id)
    assert [(m.filename, m.origin) for m in members] == [
        ("pv.pdf", "member 1"),
        ("note.txt", "member 2"),
    ]
    assert members[1].metadata["path_in_archive"] == "envoi/notes/note.txt"
    assert {h.doc_id for h in workspace.search.query("Ornithorynque", case=case)} == {members[0].id}
    assert {h.doc_id for h in workspace.search.query("Batrachomyomachique", case=case)} == {
        members[1].id
    }
    assert "envoi/pv.pdf" in workspace.documents.text(top.id)


def test_a_lone_compressed_file_holds_the_file_it_names(
    workspace: Workspace, tmp_path: Path
) -> None:
    pdf = text_pdf(tmp_path / "a.pdf", "Rapport Hippopotomonstrueux annuel.").read_bytes()
    case = workspace.cases.create("Gzip").id
    top = workspace.documents.import_bytes(case, gzip.compress(pdf), "rapport.pdf.gz")
    (inner,) = workspace.documents.children(top.id)
    assert inner.filename == "rapport.pdf" and inner.is_pdf
    assert [h.doc_id for h in workspace.search.query("Hippopotomonstrueux", case=case)] == [
        inner.id
    ]


def _many(count: int) -> list[tuple[tarfile.TarInfo, bytes]]:
    return [(_member(f"f{n}.txt", b"x"), b"x") for n in range(count)]


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ([(_member("../../etc/cron.d/x", b"pwn"), b"pwn")], "climbs out"),
        ([(_member("/etc/passwd", b"pwn"), b"pwn")], "absolute path"),
        ([(_member("lien", kind=tarfile.SYMTYPE), b"")], "is a link"),
        ([(_member("dur", kind=tarfile.LNKTYPE), b"")], "is a link"),
        ([(_member("zero", kind=tarfile.CHRTYPE), b"")], "not a regular file"),
        ([(_member("disque", kind=tarfile.BLKTYPE), b"")], "not a regular file"),
        ([(_member("tube", kind=tarfile.FIFOTYPE), b"")], "not a regular file"),
        ([(_member("a.txt", b"un"), b"un"), (_member("A.TXT", b"deux"), b"deux")], "two files"),
        (_many(5001), "more than 5000 files"),
    ],
    ids=[
        "traversal",
        "absolute",
        "symlink",
        "hardlink",
        "chardev",
        "blockdev",
        "fifo",
        "dup",
        "many",
    ],
)
def test_hostile_tarballs_are_refused_with_nothing_written(
    workspace: Workspace, members: list[tuple[tarfile.TarInfo, bytes]], message: str
) -> None:
    case = workspace.cases.create("Pièges").id
    for data in (_tar(members), gzip.compress(_tar(members))):
        with pytest.raises(InputRefused, match=message) as refused:
            workspace.documents.import_bytes(case, data, "piege.tar")
        assert "nothing was written" in str(refused.value)
        _nothing_written(workspace, case)


@pytest.mark.parametrize("method", ["gz", "bz2", "xz"])
def test_a_compression_bomb_is_stopped_early_in_bounded_memory(
    workspace: Workspace, method: str
) -> None:
    # 48 MB of zeros behind a tar header: a few KB once compressed, and refused long before
    # it is all unpacked (the bound is the same at 48 MB or 48 GB: the ratio stops it).
    zeros = _tar([(_member("a.txt", b""), b"")])[:512] + bytes(48 * 1024**2)
    packed = {
        "gz": lambda b: gzip.compress(b, compresslevel=9),
        "bz2": lambda b: bz2.compress(b, compresslevel=9),
        "xz": lambda b: lzma.compress(b, preset=1),
    }[method](zeros)
    case = workspace.cases.create("Bombe").id
    tracemalloc.start()
    try:
        with pytest.raises(InputRefused, match="compression bomb"):
            workspace.documents.import_bytes(case, packed, f"bombe.tar.{method}")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024**2
    _nothing_written(workspace, case)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda b: gzip.compress(b)[:-30], "truncated"),
        (lambda b: gzip.compress(b)[:40] + b"\xff" * 40 + gzip.compress(b)[80:], "damaged"),
        (lambda b: gzip.compress(b) + b"garbage after the end", "damaged"),
        (lambda b: b[:700], "shorter than its header|not a readable tar"),
        (lambda b: b[:257] + b"ustar" + b"\xff" * 600, "not a readable tar"),
    ],
    ids=["truncated-gzip", "damaged-gzip", "trailing-garbage", "truncated-tar", "garbage-tar"],
)
def test_damaged_tarballs_are_refused_in_one_sentence(
    workspace: Workspace, mutate: object, message: str
) -> None:
    text = ("Ligne de texte numéro %d.\n" * 400 % tuple(range(400))).encode()
    data = _tar([(_member("a.txt", text), text)])
    case = workspace.cases.create("Abîmé").id
    with pytest.raises(InputRefused, match=message):
        workspace.documents.import_bytes(case, mutate(data), "abime.tar.gz")  # type: ignore[operator]
    _nothing_written(workspace, case)


def test_padding_after_the_last_gzip_member_is_accepted(workspace: Workspace) -> None:
    text = b"Memorandum Xylophonique du directeur.\n"
    data = gzip.compress(_tar([(_member("a.txt", text), text)])) * 2 + bytes(4096)
    case = workspace.cases.create("Bandes").id
    top = workspace.documents.import_bytes(case, data, "bande.tgz")
    (member,) = workspace.documents.children(top.id)
    assert member.filename == "a.txt"


@pytest.mark.parametrize(
    ("head", "what"),
    [(b"7z\xbc\xaf\x27\x1c\x00\x04", "7-Zip archive"), (b"Rar!\x1a\x07\x01\x00", "RAR archive")],
)
def test_7z_and_rar_are_refused_without_advice_to_unpack_on_disk(
    workspace: Workspace, head: bytes, what: str
) -> None:
    case = workspace.cases.create("Refus").id
    with pytest.raises(InputRefused, match=what) as refused:
        workspace.documents.import_bytes(case, head + bytes(200), "envoi.7z")
    sentence = str(refused.value)
    assert "zip or tar" in sentence
    assert not any(word in sentence.lower() for word in ("extract", "unpack", "unzip", "save"))
    _nothing_written(workspace, case)
