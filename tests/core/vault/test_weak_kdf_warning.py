"""A vault whose passphrase is cheap to try is said so at every open, and `dossier passwd`
protects it with the settings new vaults get.

Such a vault is made only from source with DOSSIER_INSECURE_TEST_KDF=1 (the tests' setting),
then opened without it: a copy could be tried against passphrases thousands of times faster
than a normal vault, and nothing told the journalist. A passphrase change kept the weak
settings of the header it replaced."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.crypto.kdf import DEFAULT, TEST_KDF_ENV, TEST_ONLY_FAST, KdfParams, is_weak
from dossier.services.workspace import Workspace
from dossier.vault.header import VaultHeader
from tests.conftest import PASSPHRASE, run_cli

LIGHTEST_ACCEPTED = KdfParams(memory_kib=19 * 1024, iterations=2, lanes=1)


def test_the_limit_is_owasps_lightest_setting() -> None:
    assert is_weak(TEST_ONLY_FAST)
    assert not is_weak(LIGHTEST_ACCEPTED)
    assert not is_weak(DEFAULT)


def test_opening_a_weak_vault_warns_unless_the_tests_expect_it(
    vault_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Workspace.create(vault_path, PASSPHRASE, TEST_ONLY_FAST).close()
    with Workspace.open(vault_path, PASSPHRASE) as ws:
        assert ws.warnings == []  # the suite's own setting
    monkeypatch.delenv(TEST_KDF_ENV)
    with Workspace.open(vault_path, PASSPHRASE) as ws:
        assert any("dossier passwd" in w for w in ws.warnings)
    monkeypatch.setenv(TEST_KDF_ENV, "1")
    monkeypatch.setattr("sys.frozen", True, raising=False)  # the shipped app
    with Workspace.open(vault_path, PASSPHRASE) as ws:
        assert any("dossier passwd" in w for w in ws.warnings)


def test_a_vault_of_normal_settings_opens_without_it(
    vault_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(TEST_KDF_ENV)
    Workspace.create(vault_path, PASSPHRASE, LIGHTEST_ACCEPTED).close()
    with Workspace.open(vault_path, PASSPHRASE) as ws:
        assert ws.warnings == []


def test_passwd_gives_a_weak_vault_the_settings_of_new_vaults(tmp_path: Path) -> None:
    vault = tmp_path / "v.dossier"
    Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST).close()
    new = "a completely different long passphrase"
    result = run_cli(
        tmp_path,
        "--vault",
        str(vault),
        "passwd",
        env={TEST_KDF_ENV: "0", "DOSSIER_NEW_PASSPHRASE": new},
    )
    assert result.returncode == 0, result.stderr
    assert "dossier passwd" in result.stderr  # told at the open that came before the change
    assert VaultHeader.read(vault).kdf == DEFAULT
    with Workspace.open(vault, new) as ws:
        assert ws.warnings == []
