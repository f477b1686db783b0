"""Hostile bundles: each one refused with a clear sentence, and nothing written to the vault."""

from __future__ import annotations

import hashlib
import io
import json
import random
import shutil
import stat
import struct
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dossier import zipsafe
from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.errors import InputRefused, UsageError
from dossier.export.signing import SigningKey, new_key
from dossier.jobs import CancelToken
from dossier.services.cases import MAX_CASE_NAME
from dossier.services.export.dto import ExportRequest
from dossier.services.export.signers import known_signers
from dossier.services.workspace import Workspace
from dossier.vault.seen import STATE_ENV
from tests.conftest import PASSPHRASE, run_cli
from tests.core.export.test_export_bundle import build_case

Members = list[tuple[str, bytes]]


@pytest.fixture(scope="module")
def _exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A vault holding a built case, and the good bundle it exported: made once per module."""
    folder = tmp_path_factory.mktemp("exported")
    with Workspace.create(folder / "Test.dossier", PASSPHRASE, TEST_ONLY_FAST) as ws:
        built = build_case(ws, folder)
        ws.exports.export(ExportRequest(case=built.case_id, out=folder / "good.zip"))
    return folder


@pytest.fixture
def workspace(
    _exported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Workspace]:
    """A copy of the vault that exported the good bundle (its signer), seen by a computer of
    its own (an earlier test's copy, seen further on, would be an older copy of it)."""
    monkeypatch.setenv(STATE_ENV, str(tmp_path / "state"))
    folder = shutil.copytree(_exported / "Test.dossier", tmp_path / "Test.dossier")
    with Workspace.open(folder, PASSPHRASE) as ws:
        yield ws


@pytest.fixture
def good(_exported: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(_exported / "good.zip", tmp_path / "good.zip"))


def _members(bundle: Path) -> Members:
    with zipfile.ZipFile(bundle) as archive:
        return [(name, archive.read(name)) for name in archive.namelist()]


def _zip(
    path: Path, members: Members, tweak: Callable[[zipfile.ZipInfo], None] | None = None
) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names we want
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members:
                info = zipfile.ZipInfo(name)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o100644 << 16
                if tweak is not None:
                    tweak(info)
                archive.writestr(info, data)
    return path


def _vault_state(ws: Workspace) -> tuple[list[str], list[str], int]:
    blobs = sorted(str(p) for p in ws.vault.blobs_dir.rglob("*"))
    audit = len(ws.audit.records())
    return [c.id for c in ws.cases.all()], blobs, audit


def _refused(ws: Workspace, bundle: Path, match: str) -> None:
    before = _vault_state(ws)
    with pytest.raises(InputRefused, match=match):
        ws.exports.import_bundle(bundle, case_name="Importée")
    assert _vault_state(ws) == before


def test_a_good_bundle_imports_as_a_new_case(workspace: Workspace, good: Path) -> None:
    result = workspace.exports.import_bundle(good, case_name="Copie reçue")
    assert result.case_name == "Copie reçue" and len(result.documents) == 1 and result.quotes == 1
    text = workspace.documents.text(result.documents[0].id)
    assert "Vasseur" not in text and "météo du port" in text
    assert result.fingerprint == workspace.exports.fingerprint()


class _TempWatch(CancelToken):
    """A real cancel token that also looks into the temp folder each time the import checks
    it, i.e. while the documents are being extracted and stored."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.seen: list[list[str]] = []

    def raise_if_cancelled(self) -> None:
        self.seen.append(sorted(p.name for p in self.folder.iterdir()))
        super().raise_if_cancelled()


def test_a_bundle_import_writes_no_temp_file(
    workspace: Workspace, good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = tmp_path / "system-temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    assert tempfile.gettempdir() == str(temp)
    watch = _TempWatch(temp)
    result = workspace.exports.import_bundle(good, case_name="Sans trace", cancel=watch)
    assert len(result.documents) == 1
    assert watch.seen and all(names == [] for names in watch.seen)
    assert list(temp.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../evil.pdf", "climbs out"),
        ("documents/../../evil.pdf", "climbs out"),
        ("/etc/evil.pdf", "absolute"),
        ("C:evil.pdf", "absolute"),
        ("documents\\evil.pdf", "backslash"),
        ("documents//evil.pdf", "empty part"),
        ("documents/ev\x01il.pdf", "control"),
    ],
)
def test_dangerous_names(
    workspace: Workspace, good: Path, tmp_path: Path, name: str, reason: str
) -> None:
    bundle = _zip(tmp_path / "h.zip", [*_members(good), (name, b"%PDF-1.4 x")])
    _refused(workspace, bundle, reason)


def test_symlink_member(workspace: Workspace, good: Path, tmp_path: Path) -> None:
    def link(info: zipfile.ZipInfo) -> None:
        if info.filename == "documents/link.pdf":
            info.external_attr = (stat.S_IFLNK | 0o777) << 16

    bundle = _zip(
        tmp_path / "h.zip", [*_members(good), ("documents/link.pdf", b"/etc/passwd")], link
    )
    _refused(workspace, bundle, "symbolic link")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("quotes.csv", "quotes.csv"),
        ("quotes.csv", "QUOTES.csv"),
        ("documents/quot\u00e9s.pdf", "documents/quote\u0301s.pdf"),  # NFC against NFD
    ],
)
def test_duplicate_names(
    workspace: Workspace, good: Path, tmp_path: Path, first: str, second: str
) -> None:
    members = [m for m in _members(good) if m[0] != "quotes.csv"]
    bundle = _zip(tmp_path / "h.zip", [*members, (first, b"a"), (second, b"b")])
    _refused(workspace, bundle, "two files are named")


def test_zip_bomb_by_ratio(workspace: Workspace, good: Path, tmp_path: Path) -> None:
    bundle = _zip(
        tmp_path / "h.zip", [*_members(good), ("documents/bomb.pdf", b"\0" * (20 * 1024**2))]
    )
    assert bundle.stat().st_size < 1024**2
    _refused(workspace, bundle, "zip bomb")


def test_oversize_member_and_too_many_members(
    workspace: Workspace, good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(zipsafe, "MAX_MEMBER_BYTES", 10_000)
    _refused(workspace, good, "larger than")
    monkeypatch.undo()
    monkeypatch.setattr(zipsafe, "MAX_MEMBERS", 3)
    _refused(workspace, good, "holds 8 files")


def test_sizes_that_lie(workspace: Workspace, good: Path, tmp_path: Path) -> None:
    data = bytearray(good.read_bytes())
    # Shrink the declared size of the last member in its central directory entry.
    central = data.rfind(b"PK\x01\x02")
    (size,) = struct.unpack_from("<I", data, central + 24)
    struct.pack_into("<I", data, central + 24, size - 100)
    liar = tmp_path / "liar.zip"
    liar.write_bytes(bytes(data))
    _refused(workspace, liar, "damaged|larger than|shorter than|not verify")


def test_overlapping_members(workspace: Workspace, tmp_path: Path) -> None:
    bundle = _zip(tmp_path / "o.zip", [("quotes.csv", b"a" * 100), ("letters.csv", b"b" * 100)])
    data = bytearray(bundle.read_bytes())
    second = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, second + 42, 0)  # point the second entry at the first's data
    bundle.write_bytes(bytes(data))
    _refused(workspace, bundle, "overlaps")


def test_encrypted_member(workspace: Workspace, good: Path, tmp_path: Path) -> None:
    data = bytearray(good.read_bytes())
    # zipfile never writes the "encrypted" flag itself: set it in the central directory.
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        data[at + 8] |= 0x1
        at = data.find(b"PK\x01\x02", at + 4)
    bundle = tmp_path / "e.zip"
    bundle.write_bytes(bytes(data))
    _refused(workspace, bundle, "encrypted")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"not json", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"format": "other"}', "not a Dossier bundle"),
        (b'{"format": "dossier-bundle", "format_version": 99, "files": []}', "version 99"),
        (
            b'{"format": "dossier-bundle", "format_version": 1, "files": '
            b'[{"path": "../x.pdf", "sha256": "' + b"0" * 64 + b'", "size": 1}]}',
            "may not contain",
        ),
        (
            b'{"format": "dossier-bundle", "format_version": 1, "files": '
            b'[{"path": "quotes.csv", "sha256": "zz", "size": 1}]}',
            "not a SHA-256",
        ),
        (
            b'{"format": "dossier-bundle", "format_version": 1, "files": '
            b'[{"path": "quotes.csv", "sha256": "' + b"0" * 64 + b'", "size": -1}]}',
            "not a number of bytes",
        ),
    ],
)
def test_malformed_manifest_even_when_signed(
    workspace: Workspace, tmp_path: Path, content: bytes, reason: str
) -> None:
    key = new_key()
    bundle = _zip(
        tmp_path / "m.zip",
        [("manifest.json", content), ("manifest.sig", key.sign_manifest(content))],
    )
    _refused(workspace, bundle, reason)


def test_unsigned_or_tampered_bundles(workspace: Workspace, good: Path, tmp_path: Path) -> None:
    members = dict(_members(good))
    manifest = json.loads(members["manifest.json"])
    manifest["documents"][0]["title"] = "Falsifié"
    members["manifest.json"] = json.dumps(manifest).encode()
    _refused(workspace, _zip(tmp_path / "t.zip", list(members.items())), "does not verify")
    del members["manifest.sig"]
    _refused(workspace, _zip(tmp_path / "u.zip", list(members.items())), "not signed")


def test_a_resigned_bundle_with_a_non_pdf(workspace: Workspace, tmp_path: Path) -> None:
    key = new_key()
    payload = b"<html>not a pdf</html>"
    manifest = {
        "format": "dossier-bundle",
        "format_version": 1,
        "files": [
            {
                "path": "documents/01-x.pdf",
                "sha256": hashlib.sha256(payload).hexdigest(),
                "size": len(payload),
            }
        ],
    }
    raw = json.dumps(manifest).encode()
    bundle = _zip(
        tmp_path / "n.zip",
        [
            ("manifest.json", raw),
            ("manifest.sig", key.sign_manifest(raw)),
            ("documents/01-x.pdf", payload),
        ],
    )
    _refused(workspace, bundle, "not a PDF")
    ours = workspace.exports.fingerprint()  # signed by another key than this vault's
    before = _vault_state(workspace)
    with pytest.raises(InputRefused, match="does not verify"):
        workspace.exports.import_bundle(bundle, pubkey=ours)
    assert _vault_state(workspace) == before


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 truncated", b"%PDF-1.4 not a zip"])
def test_not_a_zip(workspace: Workspace, tmp_path: Path, content: bytes) -> None:
    bundle = tmp_path / "x.zip"
    bundle.write_bytes(content)
    _refused(workspace, bundle, "not a readable zip")


def test_cli_refuses_cleanly(good: Path, tmp_path: Path, workspace: Workspace) -> None:
    vault = workspace.folder
    workspace.close()
    hostile = _zip(tmp_path / "h.zip", [*_members(good), ("../../evil.pdf", b"%PDF")])
    result = run_cli(tmp_path, "--vault", str(vault), "import-bundle", str(hostile))
    assert result.returncode == 6
    assert "refused" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "evil.pdf").exists() and not (tmp_path.parent / "evil.pdf").exists()


def test_zipsafe_reads_in_memory_only(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("quotes.csv", b"ok")
    with zipsafe.SafeZip(buffer.getvalue()) as safe:
        assert safe.read("quotes.csv") == b"ok"
        with pytest.raises(InputRefused, match="missing"):
            safe.read("letters.csv")


# A signed bundle whose JSON escapes name lone surrogates imports as valid text. JSON may write
# any UTF-16 code unit as an escape, and Python's reader keeps it: such a string cannot be
# encoded, so sealing the case's name failed with a traceback half-way through the import.


def _spoiled(value: Any) -> Any:
    if isinstance(value, str) and value and not value[0].isdigit():
        return value + "\udc80\ud800"
    if isinstance(value, list):
        return [_spoiled(v) for v in value]
    if isinstance(value, dict):
        kept = {"path", "sha256", "format"}
        return {k: v if k in kept else _spoiled(v) for k, v in value.items()}
    return value


def _resigned(good: Path, out: Path, key: SigningKey, manifest: dict[str, Any]) -> Path:
    """`good` with `manifest` for its own, signed by `key`: what a sender with a key of their
    own can make."""
    members = dict(_members(good))
    raw = json.dumps(manifest).encode()
    members["manifest.json"] = raw
    members["manifest.sig"] = key.sign_manifest(raw)
    with zipfile.ZipFile(good) as archive:
        stamp = archive.infolist()[0].date_time

    def same_time(info: zipfile.ZipInfo) -> None:
        info.date_time = stamp

    return _zip(out, list(members.items()), same_time)


def _manifest(good: Path) -> dict[str, Any]:
    with zipfile.ZipFile(good) as archive:
        manifest: dict[str, Any] = json.loads(archive.read("manifest.json"))
    return manifest


def test_lone_surrogates_in_a_signed_manifest(
    workspace: Workspace, good: Path, tmp_path: Path
) -> None:
    key = new_key()
    manifest = _spoiled(_manifest(good))
    assert "\\udc80" in json.dumps(manifest)
    bundle = _resigned(good, tmp_path / "s.zip", key, manifest)
    result = workspace.exports.import_bundle(bundle, pubkey=key.fingerprint)
    case = workspace.cases.get(result.case_id)
    assert case.name.endswith("\x80\ufffd")
    titles = [doc.title for doc in workspace.documents.of_case(case.id)]
    assert titles and all(t.endswith("\x80\ufffd") for t in titles)
    assert workspace.vault.case_problems(case.id) == []


# A bundle signed by the key its sender vouched for is still hostile in what it says: its
# signature proves who made it, not that its facts are ones Dossier writes. A day that is no
# day on a document or a quote is refused before anything is written, as any refused input
# (exit 6, naming the bundle); and a refused bundle leaves its signer unknown to the vault, as
# it leaves no case.

_NO_DAYS = {
    "document, no day": ("documents", "date", "2023-02-30"),
    "document, not a date": ("documents", "date", "demain"),
    "document, a number": ("documents", "date", 20231120),
    "quote, no day": ("quotes", "said_on", "2023-02-30"),
    "quote, not a date": ("quotes", "said_on", "la semaine dernière"),
}


@pytest.mark.parametrize(("items", "field", "value"), _NO_DAYS.values(), ids=_NO_DAYS.keys())
def test_a_signed_bundle_dated_on_no_day_is_refused_whole(
    workspace: Workspace, good: Path, tmp_path: Path, items: str, field: str, value: object
) -> None:
    key = new_key()
    manifest = _manifest(good)
    manifest[items][0][field] = value
    bundle = _resigned(good, tmp_path / "hostile.zip", key, manifest)
    before = _vault_state(workspace)
    with pytest.raises(InputRefused, match=r"hostile\.zip.*nothing was written"):
        workspace.exports.import_bundle(bundle, case_name="Reçue", pubkey=key.fingerprint)
    assert _vault_state(workspace) == before
    assert key.fingerprint not in known_signers(workspace)
    vault = workspace.folder
    workspace.close()
    result = run_cli(
        tmp_path, "--vault", str(vault), "import-bundle", "--case", "Reçue",
        "--pubkey", key.fingerprint, str(bundle),
    )  # fmt: skip
    assert result.returncode == 6, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_a_bundle_refused_after_its_signer_was_vouched_for_leaves_it_unknown(
    workspace: Workspace, good: Path, tmp_path: Path
) -> None:
    """Refused for the vault's own reason (a case of that name exists): the fingerprint given
    for that import is not remembered for the next bundles."""
    key = new_key()
    bundle = _resigned(good, tmp_path / "b.zip", key, _manifest(good))
    workspace.cases.create("Déjà là")
    with pytest.raises(UsageError, match="already exists"):
        workspace.exports.import_bundle(bundle, case_name="Déjà là", pubkey=key.fingerprint)
    assert key.fingerprint not in known_signers(workspace)
    imported = workspace.exports.import_bundle(bundle, case_name="Reçue", pubkey=key.fingerprint)
    assert imported.documents and key.fingerprint in known_signers(workspace)


def test_a_signed_bundle_keeps_its_days(workspace: Workspace, good: Path, tmp_path: Path) -> None:
    key = new_key()
    manifest = _manifest(good)
    manifest["documents"][0]["date"] = "2023-11-20"
    manifest["quotes"][0]["said_on"] = "2023-11-21"
    bundle = _resigned(good, tmp_path / "b.zip", key, manifest)
    imported = workspace.exports.import_bundle(bundle, case_name="Reçue", pubkey=key.fingerprint)
    assert [d.date for d in imported.documents] == ["2023-11-20"]
    assert [q.said_on for q in workspace.quotes.of_case(imported.case_id)] == ["2023-11-21"]


# A case name has 200 characters at most (`MAX_CASE_NAME`): a name of a megabyte, typed or
# pasted, or written by a bundle's sender, filled every title, list and message naming it.


def test_a_signed_bundle_s_huge_case_name_is_cut_as_its_titles_are(
    workspace: Workspace, good: Path, tmp_path: Path
) -> None:
    key = new_key()
    manifest = _manifest(good)
    words = random.Random(3).choices(["très", "longue", "enquête", "préfet", "note"], k=20_000)
    manifest["case"]["name"] = "Affaire très longue " + " ".join(words)
    bundle = _resigned(good, tmp_path / "long.zip", key, manifest)
    result = workspace.exports.import_bundle(bundle, pubkey=key.fingerprint)
    name = workspace.cases.get(result.case_id).name
    assert name.startswith("Affaire très longue") and len(name) <= MAX_CASE_NAME


def test_a_case_name_longer_than_the_limit_is_refused_in_one_sentence(
    workspace: Workspace, tmp_path: Path
) -> None:
    with pytest.raises(UsageError, match="at most 200 characters; this one has 201"):
        workspace.cases.create("x" * 201)
    assert workspace.cases.create("x" * 200).name == "x" * 200
