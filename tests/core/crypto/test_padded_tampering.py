"""A padded value or index file changed on disk is refused, never read back with its padding.

Padding adds bytes that are not content: a version byte turned back to unpadded (or forward to
padded), a length pointing into the zeros, a truncation or a value of the same size swapped in
from another place must each fail with CorruptData, not return the zeros as text.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dossier.crypto import aead
from dossier.crypto.sealedfile import HEADER, SealedReader
from dossier.errors import CorruptData
from dossier.search.blockfile import SealedBlockFile

KEY = bytes(range(32))
AD = b"page|sealed|row-1|case-1"


def _variants(envelope: bytes) -> dict[str, bytes]:
    version = len(aead.MAGIC)
    flipped = bytearray(envelope)
    flipped[version] = aead.VERSION if envelope[version] == aead.PADDED_VERSION else 2
    return {
        "version switched": bytes(flipped),
        "truncated into the padding": envelope[: len(envelope) - aead.TAG_LEN - 3],
        "tag cut": envelope[:-1],
        "padding byte flipped": envelope[:-20] + bytes([envelope[-20] ^ 1]) + envelope[-19:],
    }


@pytest.mark.parametrize("padded", [True, False])
def test_a_changed_envelope_is_refused(padded: bool) -> None:
    text = "préfet".encode()
    envelope = aead.seal_padded(KEY, text, AD, size=200) if padded else aead.seal(KEY, text, AD)
    assert aead.open_sealed(KEY, envelope, AD) == text
    for name, changed in _variants(envelope).items():
        with pytest.raises(CorruptData):
            aead.open_sealed(KEY, changed, AD)
            pytest.fail(f"{name}: read back")


def test_a_value_of_the_same_size_from_another_row_is_refused() -> None:
    mine = aead.seal_padded(KEY, b"a", AD, size=64)
    other = aead.seal_padded(KEY, b"bbbbbbbbbbbb", b"page|sealed|row-2|case-1", size=64)
    assert len(mine) == len(other)
    with pytest.raises(CorruptData):
        aead.open_sealed(KEY, other, AD)


def _index_file(path: Path, data: bytes) -> None:
    out = SealedBlockFile(path, KEY, AD, durable=False)
    out.write(data)
    out.close()


@pytest.mark.parametrize("size", [0, 5, 70_000])
def test_a_changed_index_file_is_refused(tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    path = tmp_path / "seg"
    _index_file(path, data)
    with SealedReader(path, KEY, AD, what="index file") as reader:
        assert reader.read_all() == data
    raw = path.read_bytes()
    version = bytearray(raw)
    version[len(HEADER) - 4] = 1 if raw[len(HEADER) - 4] == 2 else 2
    for name, changed in {
        "version switched": bytes(version),
        "truncated": raw[:-1],
        "last byte flipped": raw[:-1] + bytes([raw[-1] ^ 1]),
    }.items():
        path.write_bytes(changed)
        with pytest.raises(CorruptData):
            with SealedReader(path, KEY, AD, what="index file") as reader:
                reader.read_all()
            pytest.fail(f"{name}: read back")
