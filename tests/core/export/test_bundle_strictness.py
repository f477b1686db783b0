"""A bundle is exactly what is signed: any byte the signature does not cover fails `verify`;
a bundle from a signer this vault has never seen is not imported without its fingerprint."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.errors import InputRefused
from dossier.export.verify import verify_bundle, verify_zip
from dossier.services.export.dto import ExportRequest
from dossier.services.export.signers import UnknownSigner, known_signers
from dossier.services.workspace import Workspace
from tests.clirun import run_cli_process
from tests.conftest import run_cli
from tests.core.export.test_export_bundle import build_case

OTHER = "another passphrase 123"


@pytest.fixture
def bundle(workspace: Workspace, tmp_path: Path) -> Path:
    built = build_case(workspace, tmp_path)
    out = tmp_path / "bundle.zip"
    workspace.exports.export(ExportRequest(case=built.case_id, out=out))
    assert verify_bundle(out).ok
    return out


def _copy(source: Path, target: Path, extra: Callable[[zipfile.ZipFile], None]) -> Path:
    """The same members, byte for byte, then whatever `extra` adds."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info, old.read(info.filename))
        extra(new)
    return target


def _prepended(good: bytes) -> bytes:
    return b"#!/bin/sh\necho hidden payload\n" + good


def _appended(good: bytes) -> bytes:
    return good + b"a secret appended after the end record"


def _with_extra_field(good: bytes) -> bytes:
    """Hide 8 bytes in the first local header's extra field (sizes and offsets fixed up)."""
    name_len, extra_len = struct.unpack("<HH", good[26:30])
    assert extra_len == 0
    hidden = struct.pack("<HH", 0xCAFE, 4) + b"LEAK"
    head = good[:28] + struct.pack("<H", len(hidden)) + good[30 : 30 + name_len] + hidden
    data = bytearray(head + good[30 + name_len :])
    # Every later offset moved by len(hidden): fix the directory and the end record.
    end = data.rfind(b"PK\x05\x06")
    start_dir = struct.unpack("<I", data[end + 16 : end + 20])[0] + len(hidden)
    data[end + 16 : end + 20] = struct.pack("<I", start_dir)
    position = start_dir
    while data[position : position + 4] == b"PK\x01\x02":
        n, x, c = struct.unpack("<HHH", data[position + 28 : position + 34])
        offset = struct.unpack("<I", data[position + 42 : position + 46])[0]
        if offset:
            data[position + 42 : position + 46] = struct.pack("<I", offset + len(hidden))
        position += 46 + n + x + c
    return bytes(data)


@pytest.mark.parametrize(
    ("attack", "said"),
    [
        (_prepended, "bytes outside any file before the first file"),
        (_appended, "follow the end of the zip"),
        (_with_extra_field, "carries an extra field"),
    ],
)
def test_bytes_around_the_files_fail_verify(
    bundle: Path, tmp_path: Path, attack: Callable[[bytes], bytes], said: str
) -> None:
    hostile = tmp_path / "hostile.zip"
    hostile.write_bytes(attack(bundle.read_bytes()))
    report = verify_bundle(hostile)
    assert report.signature_valid  # the manifest and its signature are untouched...
    assert not report.ok and any(said in p for p in report.problems), report.problems
    result = run_cli(tmp_path, "verify", str(hostile))  # ...and yet it fails
    assert result.returncode == 5 and said in result.stdout and "FAILED" in result.stdout


def test_comment_directory_with_data_and_unlisted_entries_fail(
    bundle: Path, tmp_path: Path
) -> None:
    def comment(z: zipfile.ZipFile) -> None:
        z.comment = b"a note outside the signature"

    def directory(z: zipfile.ZipFile) -> None:
        entry = zipfile.ZipInfo("documents/", date_time=z.infolist()[0].date_time)
        entry.external_attr = 0o100644 << 16
        z.writestr(entry, b"data in a directory entry")

    def unlisted(z: zipfile.ZipFile) -> None:
        z.writestr("documents/99-extra.pdf", b"%PDF-1.4 not signed")

    cases = [
        (comment, "carries a comment"),
        (directory, "is a directory entry carrying data"),
        (unlisted, "added: documents/99-extra.pdf"),
    ]
    for change, said in cases:
        hostile = _copy(bundle, tmp_path / f"{change.__name__}.zip", change)
        report = verify_bundle(hostile)
        assert not report.ok and any(said in line for line in report.lines()), report.lines()


def test_duplicate_names_are_refused(bundle: Path, tmp_path: Path) -> None:
    def twice(z: zipfile.ZipFile) -> None:
        with zipfile.ZipFile(bundle) as old:
            z.writestr("quotes.csv", old.read("quotes.csv"))

    with pytest.warns(UserWarning, match="Duplicate name"):
        hostile = _copy(bundle, tmp_path / "dup.zip", twice)
    with pytest.raises(InputRefused, match="two files are named"):
        verify_bundle(hostile)
    result = run_cli(tmp_path, "verify", str(hostile))
    assert result.returncode != 0 and "two files are named" in result.stderr


def test_import_from_an_unknown_signer_needs_its_fingerprint(
    workspace: Workspace, bundle: Path, tmp_path: Path
) -> None:
    fingerprint = workspace.exports.fingerprint()
    assert known_signers(workspace) == {fingerprint: "own"}
    other = Workspace.create(tmp_path / "Other.dossier", OTHER, TEST_ONLY_FAST)
    with other:
        with pytest.raises(UnknownSigner) as refused:
            other.exports.import_bundle(bundle, case_name="Reçu")
        assert fingerprint in str(refused.value) and "--pubkey" in str(refused.value)
        assert other.cases.all() == []
        assert fingerprint not in known_signers(other)

    vault = str(tmp_path / "Other.dossier")
    denied = run_cli_process(
        tmp_path, "--vault", vault, "import-bundle", str(bundle), passphrase=OTHER
    )
    assert denied.returncode == 6 and fingerprint in denied.stderr
    assert "never seen" in denied.stderr and "Traceback" not in denied.stderr
    accepted = run_cli(
        tmp_path,
        "--vault",
        vault,
        "import-bundle",
        str(bundle),
        "--pubkey",
        fingerprint,
        passphrase=OTHER,
    )
    assert accepted.returncode == 0, accepted.stderr
    # Remembered, sealed in the vault: the next bundle from the same key needs nothing more.
    again = run_cli(
        tmp_path,
        "--vault",
        vault,
        "import-bundle",
        str(bundle),
        "--case",
        "Deuxième envoi",
        passphrase=OTHER,
    )
    assert again.returncode == 0, again.stderr
    catalog = (tmp_path / "Other.dossier" / "catalog.sqlite").read_bytes()
    assert fingerprint.replace(" ", "").encode() not in catalog.replace(b" ", b"")


def _framing(data: bytes) -> list[int]:
    """Every offset of the zip that is not a member's content: headers, names, directory."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        content: set[int] = set()
        for info in archive.infolist():
            start = info.header_offset + 30 + len(info.orig_filename.encode())
            content.update(range(start, start + info.compress_size))
    return [i for i in range(len(data)) if i not in content]


def _verdict(data: bytes) -> bool:
    try:
        return verify_zip(data, "fuzzed.zip").ok
    except InputRefused:
        return False


def test_every_framing_byte_is_covered(bundle: Path) -> None:
    """The class, not the instance: change any one byte outside the files' contents, or slip
    one in, and the bundle no longer verifies."""
    good = bundle.read_bytes()
    assert _verdict(good)
    passed = []
    for offset in _framing(good):
        flipped = good[:offset] + bytes([good[offset] ^ 0x01]) + good[offset + 1 :]
        inserted = good[:offset] + b"\x00" + good[offset:]
        for kind, data in (("flipped", flipped), ("inserted", inserted)):
            if _verdict(data):
                passed.append(f"{kind} at {offset}")
    assert passed == []
