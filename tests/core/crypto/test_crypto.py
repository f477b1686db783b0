"""AEAD envelopes and block-sealed files: round trips and every kind of tampering."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dossier.crypto import aead
from dossier.crypto.kdf import TEST_ONLY_FAST, KdfParams, derive_kek
from dossier.crypto.sealedfile import BLOCK, SealedReader, read_sealed, write_sealed
from dossier.errors import CorruptData

KEY = bytes(range(32))


def test_envelope_round_trip_and_binding() -> None:
    env = aead.seal(KEY, b"Patrick Leonard", b"person|1")
    assert b"Patrick" not in env
    assert aead.open_sealed(KEY, env, b"person|1") == b"Patrick Leonard"
    with pytest.raises(CorruptData):
        aead.open_sealed(KEY, env, b"person|2")  # moved to another row
    with pytest.raises(CorruptData):
        aead.open_sealed(os.urandom(32), env, b"person|1")


@pytest.mark.parametrize("position", [0, 3, 4, 10, 20, -1])
def test_envelope_detects_any_flipped_byte(position: int) -> None:
    env = bytearray(aead.seal(KEY, b"secret text", b"ad"))
    env[position] ^= 0x01
    with pytest.raises(CorruptData):
        aead.open_sealed(KEY, bytes(env), b"ad")


def test_kdf_depends_on_passphrase_salt_and_normalization() -> None:
    salt = b"s" * 16
    a = derive_kek("café", salt, TEST_ONLY_FAST)
    # The same passphrase typed decomposed (e + combining accent) must unlock the same vault.
    assert derive_kek("cafe\u0301", salt, TEST_ONLY_FAST) == a
    assert derive_kek("cafe", salt, TEST_ONLY_FAST) != a
    assert derive_kek("café", b"t" * 16, TEST_ONLY_FAST) != a


def test_kdf_params_from_header_are_validated() -> None:
    with pytest.raises(CorruptData):
        KdfParams.from_json({"name": "pbkdf2"})
    with pytest.raises(CorruptData):
        KdfParams.from_json({"name": "argon2id", "memory_kib": 1, "iterations": 1, "lanes": 1})


@pytest.mark.parametrize("size", [0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK + 17])
def test_sealed_file_round_trip_and_random_access(tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    path = tmp_path / "f"
    write_sealed(path, KEY, b"name", data)
    assert read_sealed(path, KEY, b"name", "f") == data
    with SealedReader(path, KEY, b"name", what="f") as reader:
        assert reader.size == size
        for offset in (0, size // 2, max(0, size - 5)):
            assert reader.read_at(offset, BLOCK + 10) == data[offset : offset + BLOCK + 10]


def _sealed(tmp_path: Path, size: int = 2 * BLOCK + 100) -> tuple[Path, bytes]:
    data = os.urandom(size)
    path = tmp_path / "f"
    write_sealed(path, KEY, b"name", data)
    return path, data


def test_sealed_file_detects_flip_truncation_append_and_move(tmp_path: Path) -> None:
    path, _ = _sealed(tmp_path)
    raw = path.read_bytes()
    for position in (0, 9, len(raw) // 2, len(raw) - 1):
        damaged = bytearray(raw)
        damaged[position] ^= 0x80
        path.write_bytes(bytes(damaged))
        with pytest.raises(CorruptData):
            read_sealed(path, KEY, b"name", "f")
    stored_block = 12 + BLOCK + 16
    for cut in (len(raw) - 1, 8 + stored_block, 8 + 2 * stored_block):  # incl. block boundaries
        path.write_bytes(raw[:cut])
        with pytest.raises(CorruptData):
            read_sealed(path, KEY, b"name", "f")
    path.write_bytes(raw + raw[8 : 8 + stored_block])
    with pytest.raises(CorruptData):
        read_sealed(path, KEY, b"name", "f")
    path.write_bytes(raw)
    with pytest.raises(CorruptData):
        read_sealed(path, KEY, b"other-name", "f")


def test_sealed_writer_leaves_nothing_on_abort(tmp_path: Path) -> None:
    from dossier.crypto.sealedfile import SealedWriter

    writer = SealedWriter(tmp_path / "f", KEY, b"x")
    writer.write(b"partial secret")
    writer.abort()
    assert list(tmp_path.iterdir()) == []
