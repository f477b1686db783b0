"""The `dossier` console script: exit codes and one-line errors, never a traceback."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import sys
from pathlib import Path

import pytest

from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE, run_cli


def _init(tmp_path: Path) -> Path:
    vault = tmp_path / "v.dossier"
    result = run_cli(tmp_path, "--vault", str(vault), "init", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["vault"] == str(vault)
    return vault


def _no_traceback(result: object) -> None:
    stderr = getattr(result, "stderr", "")
    assert "Traceback" not in stderr
    assert len([line for line in stderr.splitlines() if line.startswith("dossier:")]) >= 1


def test_init_case_create_list(tmp_path: Path) -> None:
    vault = _init(tmp_path)
    created = run_cli(tmp_path, "--vault", str(vault), "case", "create", "Synopsis", "--json")
    assert created.returncode == 0, created.stderr
    listed = run_cli(tmp_path, "--vault", str(vault), "case", "list", "--json")
    assert [c["name"] for c in json.loads(listed.stdout)] == ["Synopsis"]


def test_wrong_passphrase_exit_3(tmp_path: Path) -> None:
    vault = _init(tmp_path)
    result = run_cli(tmp_path, "--vault", str(vault), "case", "list", passphrase="nope")
    assert result.returncode == 3
    _no_traceback(result)
    assert "wrong passphrase" in result.stderr


def test_vault_in_use_exit_4(tmp_path: Path) -> None:
    vault = _init(tmp_path)
    with Workspace.open(vault, PASSPHRASE):
        result = run_cli(tmp_path, "--vault", str(vault), "case", "list")
    assert result.returncode == 4
    _no_traceback(result)
    assert "in use" in result.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run_cli(tmp_path, "case").returncode == 2
    assert run_cli(tmp_path, "--vault", str(tmp_path / "none"), "case", "list").returncode == 2
    result = run_cli(tmp_path, "frobnicate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_not_a_vault_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    result = run_cli(tmp_path, "--vault", str(folder), "case", "list")
    assert result.returncode == 5
    assert "not a Dossier vault" in result.stderr
    _no_traceback(result)


def test_fsck_names_a_tampered_row_exit_5(tmp_path: Path) -> None:
    vault = _init(tmp_path)
    run_cli(tmp_path, "--vault", str(vault), "case", "create", "Synopsis")
    ok = run_cli(tmp_path, "--vault", str(vault), "fsck", "--json")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    with contextlib.closing(sqlite3.connect(vault / "catalog.sqlite")) as db:
        case_id, sealed = db.execute('SELECT id, sealed FROM "case"').fetchone()
        damaged = bytearray(sealed)
        damaged[-3] ^= 0xFF
        db.execute('UPDATE "case" SET sealed = ? WHERE id = ?', (bytes(damaged), case_id))
        db.commit()
    bad = run_cli(tmp_path, "--vault", str(vault), "fsck", "--json")
    assert bad.returncode == 5
    report = json.loads(bad.stdout)
    assert any(case_id in p for p in report["problems"])


def test_tampered_header_exit_5(tmp_path: Path) -> None:
    vault = _init(tmp_path)
    header = vault / "vault.json"
    raw = bytearray(header.read_bytes())
    raw[raw.index(b'"salt"') + 12] ^= 0x01
    header.write_bytes(bytes(raw))
    result = run_cli(tmp_path, "--vault", str(vault), "fsck")
    assert result.returncode == 5
    assert "vault.json" in result.stderr
    _no_traceback(result)


def test_passwd_then_old_passphrase_fails(tmp_path: Path) -> None:
    vault = _init(tmp_path)
    new_file = tmp_path / "new.txt"
    new_file.write_text("another passphrase entirely\n")
    changed = run_cli(
        tmp_path, "--vault", str(vault), "passwd", "--new-passphrase-file", str(new_file)
    )
    assert changed.returncode == 0, changed.stderr
    assert run_cli(tmp_path, "--vault", str(vault), "case", "list").returncode == 3
    ok = run_cli(
        tmp_path, "--vault", str(vault), "case", "list", passphrase="another passphrase entirely"
    )
    assert ok.returncode == 0, ok.stderr


def test_the_shipped_app_ignores_the_test_key_derivation_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`DOSSIER_INSECURE_TEST_KDF=1` makes the tests' vaults fast to open; in the frozen app
    (what journalists run) it must not make a vault whose passphrase is cheap to guess."""
    from dossier.crypto.kdf import DEFAULT
    from dossier.vault.header import VaultHeader

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    # Strong parameters cost ~1 s and 256 MiB here: measured on what the header records.
    vault = tmp_path / "v.dossier"
    result = run_cli(tmp_path, "--vault", str(vault), "init")
    assert result.returncode == 0, result.stderr
    assert "insecure" not in result.stderr
    assert VaultHeader.read(vault).kdf == DEFAULT
