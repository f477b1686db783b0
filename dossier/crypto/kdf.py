"""Passphrase to key-encryption key with Argon2id (parameters stored in the vault header)."""

from __future__ import annotations

import os
import time
import unicodedata
from dataclasses import asdict, dataclass

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from dossier.errors import CorruptData

SALT_LEN = 16


@dataclass(frozen=True)
class KdfParams:
    memory_kib: int = 256 * 1024
    iterations: int = 3
    lanes: int = 4
    name: str = "argon2id"

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: object) -> KdfParams:
        if not isinstance(raw, dict) or raw.get("name") != "argon2id":
            raise CorruptData("vault.json names an unknown key-derivation function")
        try:
            params = cls(
                memory_kib=int(raw["memory_kib"]),
                iterations=int(raw["iterations"]),
                lanes=int(raw["lanes"]),
            )
        except (KeyError, TypeError, ValueError):
            raise CorruptData("vault.json has unreadable key-derivation parameters") from None
        if not (8 * params.lanes <= params.memory_kib <= 4 * 1024 * 1024):
            raise CorruptData("vault.json has out-of-range key-derivation parameters")
        if not (1 <= params.iterations <= 64 and 1 <= params.lanes <= 64):
            raise CorruptData("vault.json has out-of-range key-derivation parameters")
        return params


DEFAULT = KdfParams()
# Only for tests and benchmarks that create many vaults: never the default of any front end.
TEST_ONLY_FAST = KdfParams(memory_kib=64, iterations=1, lanes=1)


def new_salt() -> bytes:
    return os.urandom(SALT_LEN)


def normalize_passphrase(passphrase: str) -> bytes:
    # The same passphrase typed on another keyboard or OS may arrive composed differently.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive_kek(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    kdf = Argon2id(
        salt=salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(normalize_passphrase(passphrase))


def time_derivation(params: KdfParams) -> float:
    start = time.perf_counter()
    derive_kek("calibration", new_salt(), params)
    return time.perf_counter() - start
