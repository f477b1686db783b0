"""`verify`: one changed byte in any file of a bundle is found and named; keys can be pinned."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.errors import PasswordRequired, UsageError, WrongPassphrase
from dossier.export.verify import verify_bundle
from dossier.services.export.dto import ExportRequest
from dossier.services.workspace import Workspace
from tests.conftest import run_cli
from tests.core.export.test_export_bundle import build_case


@pytest.fixture
def bundle(workspace: Workspace, tmp_path: Path) -> Path:
    built = build_case(workspace, tmp_path)
    out = tmp_path / "bundle.zip"
    workspace.exports.export(ExportRequest(case=built.case_id, out=out))
    return out


def _rewrite(
    source: Path, target: Path, change: dict[str, bytes | None], add: dict[str, bytes] | None = None
) -> Path:
    """Copy a zip, replacing (or dropping, with None) some members' content."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename in change:
                replacement = change[info.filename]
                if replacement is None:
                    continue
                data = replacement
            new.writestr(info, data)
        for name, data in (add or {}).items():
            new.writestr(name, data)
    return target


def _flip(data: bytes, position: int) -> bytes:
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]


def test_an_intact_bundle_verifies(bundle: Path) -> None:
    report = verify_bundle(bundle)
    assert report.ok, report.lines()
    assert report.signature_valid and report.pinned is None and report.files_checked == 6


def test_one_byte_changed_in_each_file_in_turn(bundle: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(bundle) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    assert len(members) == 8
    for name, data in members.items():
        for position in (0, len(data) // 2, len(data) - 1):
            changed = _rewrite(bundle, tmp_path / "changed.zip", {name: _flip(data, position)})
            report = verify_bundle(changed)
            assert not report.ok, (name, position)
            if name in ("manifest.json", "manifest.sig"):
                assert not report.signature_valid, name
            else:
                assert report.changed == [name], (name, report.lines())
                assert report.signature_valid


def test_missing_and_added_files(bundle: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(bundle) as archive:
        pdf = next(n for n in archive.namelist() if n.endswith(".pdf"))
    missing = verify_bundle(_rewrite(bundle, tmp_path / "m.zip", {pdf: None}))
    assert missing.missing == [pdf] and not missing.ok
    added = verify_bundle(
        _rewrite(bundle, tmp_path / "a.zip", {}, {"documents/extra.pdf": b"%PDF-1.4"})
    )
    assert added.added == ["documents/extra.pdf"] and not added.ok
    unsigned = verify_bundle(_rewrite(bundle, tmp_path / "u.zip", {"manifest.sig": None}))
    assert not unsigned.ok and any("not signed" in p for p in unsigned.problems)


def test_pinned_fingerprint(bundle: Path, workspace: Workspace) -> None:
    fingerprint = workspace.exports.fingerprint()
    assert verify_bundle(bundle, pubkey=fingerprint.replace(" ", "").upper()).pinned is True
    wrong = "0" * 32
    report = verify_bundle(bundle, pubkey=wrong)
    assert report.pinned is False and not report.ok
    with pytest.raises(UsageError):
        verify_bundle(bundle, pubkey="not hex")


def test_sealed_bundle_needs_its_passphrase(workspace: Workspace, tmp_path: Path) -> None:
    built = build_case(workspace, tmp_path)
    out = tmp_path / "sealed.zip"
    workspace.exports.export(
        ExportRequest(case=built.case_id, out=out, bundle_passphrase="p", kdf=TEST_ONLY_FAST)
    )
    with pytest.raises(PasswordRequired):
        verify_bundle(out)
    with pytest.raises(WrongPassphrase):
        verify_bundle(out, passphrase="q")
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered = tmp_path / "tampered.zip"
    tampered.write_bytes(bytes(data))
    with pytest.raises(WrongPassphrase):
        verify_bundle(tampered, passphrase="p")
    assert verify_bundle(out, passphrase="p").ok


def test_verify_cli_needs_no_vault(bundle: Path, tmp_path: Path, workspace: Workspace) -> None:
    fingerprint = workspace.exports.fingerprint()
    workspace.close()
    ok = run_cli(tmp_path, "verify", str(bundle), "--pubkey", fingerprint)
    assert ok.returncode == 0, ok.stderr
    assert fingerprint in ok.stdout and "OK" in ok.stdout
    with zipfile.ZipFile(bundle) as archive:
        csv = archive.read("quotes.csv")
    changed = _rewrite(bundle, tmp_path / "c.zip", {"quotes.csv": csv + b"x"})
    bad = run_cli(tmp_path, "verify", str(changed), "--json")
    assert bad.returncode == 5
    assert '"changed": [\n    "quotes.csv"\n  ]' in bad.stdout
    assert "Traceback" not in bad.stderr
