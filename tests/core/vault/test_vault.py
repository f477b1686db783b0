"""Vault life cycle: create, unlock, wrong passphrase, in use, header damage, passphrase change."""

from __future__ import annotations

import contextlib
import gc
import json
import sqlite3
import weakref
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.errors import CorruptData, UsageError, VaultInUse, WrongPassphrase
from dossier.services.workspace import Workspace
from dossier.vault.vault import Vault
from tests.conftest import PASSPHRASE


def test_layout_and_permissions(workspace: Workspace) -> None:
    folder = workspace.folder
    assert (folder / "vault.json").is_file()
    assert (folder / "catalog.sqlite").is_file()
    assert (folder / ".lock").exists()
    assert folder.stat().st_mode & 0o077 == 0
    for path in folder.iterdir():
        if path.is_file():
            assert path.stat().st_mode & 0o077 == 0, path
    header = json.loads((folder / "vault.json").read_text())
    assert header["kdf"]["name"] == "argon2id"
    assert "master" not in json.dumps(header).replace("wrapped_master_key", "")


def test_default_kdf_parameters_are_the_strong_ones() -> None:
    from dossier.crypto.kdf import DEFAULT

    assert (DEFAULT.memory_kib, DEFAULT.iterations, DEFAULT.lanes) == (256 * 1024, 3, 4)


def test_wrong_passphrase_is_refused_and_vault_untouched(vault_path: Path) -> None:
    Workspace.create(vault_path, PASSPHRASE, TEST_ONLY_FAST).close()
    before = {p.name: p.read_bytes() for p in vault_path.iterdir() if p.is_file()}
    with pytest.raises(WrongPassphrase):
        Vault.open(vault_path, "not the passphrase")
    after = {p.name: p.read_bytes() for p in vault_path.iterdir() if p.is_file()}
    assert before == after
    Vault.open(vault_path, PASSPHRASE).close()  # and the lock was released


def test_second_opener_gets_vault_in_use(workspace: Workspace) -> None:
    with pytest.raises(VaultInUse, match="in use"):
        Vault.open(workspace.folder, PASSPHRASE)


def test_create_refuses_existing_vault_and_foreign_folder(tmp_path: Path) -> None:
    Workspace.create(tmp_path / "v", PASSPHRASE, TEST_ONLY_FAST).close()
    with pytest.raises(UsageError, match="already holds a vault"):
        Workspace.create(tmp_path / "v", PASSPHRASE, TEST_ONLY_FAST)
    other = tmp_path / "photos"
    other.mkdir()
    (other / "holiday.jpg").write_bytes(b"x")
    with pytest.raises(UsageError, match="not empty"):
        Workspace.create(other, PASSPHRASE, TEST_ONLY_FAST)


@pytest.mark.parametrize("field", ["salt", "wrapped_master_key", "key_check", "vault_id", "kdf"])
def test_any_header_change_is_detected(vault_path: Path, field: str) -> None:
    Workspace.create(vault_path, PASSPHRASE, TEST_ONLY_FAST).close()
    header_path = vault_path / "vault.json"
    header = json.loads(header_path.read_text())
    if field == "kdf":
        header["kdf"]["iterations"] += 1
    else:
        value = header[field]
        header[field] = value[:-2] + ("A" if value[-2] != "A" else "B") + value[-1]
    header_path.write_text(json.dumps(header))
    with pytest.raises(CorruptData):
        Vault.open(vault_path, PASSPHRASE)


def test_header_flip_of_every_byte_never_opens_silently(vault_path: Path) -> None:
    Workspace.create(vault_path, PASSPHRASE, TEST_ONLY_FAST).close()
    header_path = vault_path / "vault.json"
    raw = header_path.read_bytes()
    for position in range(0, len(raw), 7):
        damaged = bytearray(raw)
        damaged[position] ^= 0x01
        header_path.write_bytes(bytes(damaged))
        with pytest.raises((CorruptData, WrongPassphrase)):
            Vault.open(vault_path, PASSPHRASE).close()
    header_path.write_bytes(raw)
    Vault.open(vault_path, PASSPHRASE).close()


def test_passphrase_change_rewraps_every_case_key(workspace: Workspace) -> None:
    case = workspace.cases.create("Synopsis")
    folder = workspace.folder
    rows_before = _case_rows(folder)
    workspace.keys.change_passphrase("a new long passphrase", TEST_ONLY_FAST)
    workspace.close()
    after = _case_rows(folder)
    assert [sealed for _key, sealed in after] == [sealed for _key, sealed in rows_before]
    assert [key for key, _sealed in after] != [key for key, _sealed in rows_before]
    with pytest.raises(WrongPassphrase):
        Vault.open(folder, PASSPHRASE)
    with Workspace.open(folder, "a new long passphrase") as ws:
        assert ws.cases.get(case.id).name == "Synopsis"


def _case_rows(folder: Path) -> list[tuple[bytes, bytes]]:
    with contextlib.closing(sqlite3.connect(folder / "catalog.sqlite")) as db:
        return list(db.execute('SELECT wrapped_key, sealed FROM "case"'))


@pytest.mark.parametrize(
    ("memory_kib", "iterations", "lanes"),
    [
        (4 * 1024 * 1024 + 1, 3, 4),
        (8 * 1024 * 1024, 1, 1),
        (32, 1, 1),
        (65536, 100, 1),
        (65536, 1, 200),
    ],
)
def test_absurd_kdf_parameters_are_refused_before_any_work(
    vault_path: Path, memory_kib: int, iterations: int, lanes: int
) -> None:
    import hashlib
    import time

    Workspace.create(vault_path, PASSPHRASE, TEST_ONLY_FAST).close()
    header_path = vault_path / "vault.json"
    header = json.loads(header_path.read_text())
    header.pop("checksum")
    header["kdf"].update(memory_kib=memory_kib, iterations=iterations, lanes=lanes)
    # The checksum is only against accidents: an attacker recomputes it.
    canonical = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    header["checksum"] = hashlib.sha256(canonical).hexdigest()
    header_path.write_text(json.dumps(header))
    started = time.process_time()
    with pytest.raises(CorruptData, match="it was altered"):
        Vault.open(vault_path, PASSPHRASE)
    assert time.process_time() - started < 1.0  # no key derivation ran


def test_a_passphrase_that_is_not_utf8_gets_a_sentence(vault_path: Path) -> None:
    Workspace.create(vault_path, PASSPHRASE, TEST_ONLY_FAST).close()
    with pytest.raises(UsageError, match="not valid UTF-8"):
        Vault.open(vault_path, "caf\udce9")  # what os.environ gives for the byte 0xe9


def test_a_closed_workspace_leaves_nothing_alive(workspace: Workspace, vault_path: Path) -> None:
    # The app locks and unlocks all day: whatever a closed vault held (keys' owners, engines,
    # caches of decrypted pages) must go with it, not pile up for each unlock.
    workspace.cases.create("Enquête")
    workspace.close()
    gone: list[weakref.ref[object]] = []
    for _ in range(3):
        with Workspace.open(vault_path, PASSPHRASE) as ws:
            ws.cases.all()
            gone += [weakref.ref(ws), weakref.ref(ws.vault), weakref.ref(ws.vault.engine)]
    del ws
    gc.collect()
    assert [r for r in gone if r() is not None] == []


def test_closing_twice_is_harmless(vault_path: Path) -> None:
    ws = Workspace.create(vault_path, PASSPHRASE, TEST_ONLY_FAST)
    ws.vault.close()
    ws.vault.close()
    with Workspace.open(vault_path, PASSPHRASE) as again:
        assert again.cases.all() == []
