"""Passphrase to key-encryption key with Argon2id (parameters stored in the vault header)."""

from __future__ import annotations

import os
import sys
import time
import unicodedata
from dataclasses import asdict, dataclass

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from dossier.errors import CorruptData, UsageError
from dossier.i18n import _

SALT_LEN = 16
MIN_MEMORY_KIB = 64
"""The test-only parameters' memory; nothing below is ever written."""
MAX_MEMORY_KIB = 2 * 1024 * 1024
"""8x the default: room for a stronger choice, not for an attack that costs 4 GiB per try."""
MAX_ITERATIONS = 16
MAX_LANES = 16


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
            raise CorruptData(_("vault.json names an unknown key-derivation function"))
        try:
            params = cls(
                memory_kib=int(raw["memory_kib"]),
                iterations=int(raw["iterations"]),
                lanes=int(raw["lanes"]),
            )
        except (KeyError, TypeError, ValueError):
            raise CorruptData(_("vault.json has unreadable key-derivation parameters")) from None
        memory_ok = max(MIN_MEMORY_KIB, 8 * params.lanes) <= params.memory_kib <= MAX_MEMORY_KIB
        if not (
            memory_ok
            and 1 <= params.iterations <= MAX_ITERATIONS
            and 1 <= params.lanes <= MAX_LANES
        ):
            # Checked before any derivation: an edited header must not cost gigabytes of
            # memory and minutes of work, then pass for a wrong passphrase.
            raise CorruptData(
                _(
                    "vault.json has key-derivation parameters no Dossier writes (memory "
                    "{memory_kib} KiB, {iterations} passes, {lanes} lanes): it was "
                    "altered; restore it from a backup"
                ).format(
                    memory_kib=params.memory_kib, iterations=params.iterations, lanes=params.lanes
                )
            )
        return params


DEFAULT = KdfParams()
# Only for tests and benchmarks that create many vaults: never the default of any front end.
TEST_ONLY_FAST = KdfParams(memory_kib=64, iterations=1, lanes=1)
TEST_KDF_ENV = "DOSSIER_INSECURE_TEST_KDF"
"""Set to 1 by the test suite and benchmarks run from source: new vaults use TEST_ONLY_FAST,
and opening one is not warned about. The shipped app ignores it (`dossier.cli.context`)."""


def is_weak(params: KdfParams) -> bool:
    """Cheaper to try than OWASP's lightest Argon2id setting (19 MiB, two passes): a stolen
    copy of such a vault could be tried against passphrases thousands of times faster."""
    return params.memory_kib * params.iterations < 2 * 19 * 1024


def weak_vault_expected() -> bool:
    # Never in the shipped app, whatever its environment says.
    return os.environ.get(TEST_KDF_ENV) == "1" and not getattr(sys, "frozen", False)


def new_salt() -> bytes:
    return os.urandom(SALT_LEN)


def normalize_passphrase(passphrase: str) -> bytes:
    # The same passphrase typed on another keyboard or OS may arrive composed differently.
    try:
        return unicodedata.normalize("NFC", passphrase).encode("utf-8")
    except UnicodeEncodeError:
        # Bytes that are not UTF-8 (an environment variable or file in another encoding).
        raise UsageError(
            _(
                "the passphrase is not valid UTF-8 text; check the encoding of "
                "DOSSIER_PASSPHRASE or of the passphrase file"
            )
        ) from None


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
