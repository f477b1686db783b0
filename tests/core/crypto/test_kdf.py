"""Argon2id: the keys vaults were made with, whatever library version computes them, on several
cores (the unlock's first half: 0.85 s of CPU per passphrase at the default parameters)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from dossier.crypto.kdf import KdfParams, derive_kek
from dossier.vault.header import HEADER_NAME, VaultHeader
from dossier.vault.vault import unlock_master
from tests.alongside import alongside

SALT = bytes(range(16))
PASSPHRASE = "pâté, e\u0301té"
# (memory KiB, passes, lanes) -> the key cryptography 50's Argon2id gave for PASSPHRASE and
# SALT: written down, so that an update of the library that changed keys (locking every vault
# out) cannot pass by agreeing with itself.
VECTORS = {
    (64, 1, 1): "72bb088c5573473f3617cd56732aee8a57b4f4b82ccb46d8b238610b2f295256",
    (1024, 2, 4): "0b6c07d9351a9ec765c8d097ba7ae4ae558312ae1e09ddf72c6456dee44114a1",
    (8192, 3, 4): "dc008d9e5579549aeb2d1cb9555aa39b96f4cb7988a9de33b4637c2a6b140248",
    (4096, 1, 3): "0977a6d45458a56448ea09b6e5b48fd4b959b7de9aa262c86cff3be34c4b6271",
    (2048, 2, 16): "4b134ae8abc98a3c337be99be500f615e4939d6ded9608fd8e79df0e8ce63749",
}

# vault.json of a vault created with the default parameters by Dossier with cryptography 50.
MADE_WITH = "correct horse battery staple, made by the code before argon2-cffi"
MADE_HEADER = {
    "format": "dossier-vault",
    "version": 1,
    "vault_id": "218288b56e78e8ded25065cc19f0e357",
    "kdf": {"memory_kib": 262144, "iterations": 3, "lanes": 4, "name": "argon2id"},
    "salt": "9oI1qsrgWGTeHIaNm1iMXw==",
    "wrapped_master_key": "RFNFAb50NSwAve6fgnq8mH8rsJGw26za4KAFtIqO00pipyhlos0tfjYf8yB+PI5wDn4X"
    "5uqDtbgWJnCFuDpcCg==",
    "key_check": "KWqKRz4Ngf2l/KZOtOsNiw==",
    "header_mac": "K1VM/SjqBlEbsujDP/PUj23DAtbX71g2GS1Li28GzbQ=",
    "checksum": "c499318adccd2e362147e0e0795a653c11a631cfae4373bbb67d6a9c2b1d1e97",
}


@pytest.mark.parametrize(("memory", "passes", "lanes"), sorted(VECTORS))
def test_keys_are_those_of_the_implementation_vaults_were_made_with(
    memory: int, passes: int, lanes: int
) -> None:
    params = KdfParams(memory_kib=memory, iterations=passes, lanes=lanes)
    key = derive_kek(PASSPHRASE, SALT, params)
    assert key.hex() == VECTORS[(memory, passes, lanes)]


def test_a_vault_made_with_the_default_parameters_unlocks(tmp_path: Path) -> None:
    (tmp_path / HEADER_NAME).write_text(json.dumps(MADE_HEADER), "utf-8")
    header = VaultHeader.read(tmp_path)
    assert header.kdf == KdfParams()  # the default, as every front end writes it
    # The key check, the master key's envelope and the header's MAC all pass.
    assert len(unlock_master(header, MADE_WITH)) == 32


def test_the_lanes_are_computed_on_several_threads() -> None:
    """A vault's 4 lanes on more than one thread (cryptography's OpenSSL runs them two at a
    time): unlocking takes half the wall time it would on one core of a 2-core laptop."""
    tasks = Path(f"/proc/{os.getpid()}/task")
    if not tasks.is_dir():
        pytest.skip("counts threads through Linux's /proc")
    seen: list[int] = []
    before = sum(1 for _ in tasks.iterdir())
    with alongside(lambda: seen.append(sum(1 for _ in tasks.iterdir())), repeat=True):
        # Enough passes that the watcher sees the derivation's threads whatever the load.
        for _ in range(20):
            derive_kek(PASSPHRASE, SALT, KdfParams(memory_kib=16384, iterations=2, lanes=4))
            if max(seen, default=0) > before + 1:
                break
    assert max(seen) > before + 1  # the watcher, and at least one thread of the derivation
