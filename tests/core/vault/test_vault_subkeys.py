"""The master key's sub-keys are derived once per unlock, and forgotten with it.

Each file of a batch import sealed its audit entry under the vault's field key and had its row
MACed under the vault's row key, each derived anew from the master (an HKDF each, two per
file). They are derived once now; a lock drops them with the master, and a passphrase change
derives the new master's."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from dossier.crypto import keys as keys_module
from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.services.workspace import Workspace
from tests.core.services.documents.test_group_commit import _notes


def test_a_batch_derives_each_vault_sub_key_once(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = workspace.cases.create("Notes").id
    workspace.documents.import_many(case, _notes(tmp_path / "first", 1, "Lambda"))
    derived: Counter[str] = Counter()
    real = keys_module.subkey

    def counted(key: bytes, purpose: str) -> bytes:
        derived[purpose] += 1
        return real(key, purpose)

    monkeypatch.setattr(keys_module, "subkey", counted)
    outcomes = workspace.documents.import_many(case, _notes(tmp_path / "in", 12, "Mu"))
    assert all(o.document for o in outcomes)
    assert all(times <= 1 for times in derived.values()), derived
    assert workspace.audit.verify().problems == []
    assert workspace.fsck.run().ok


def test_a_lock_forgets_the_sub_keys_and_a_new_master_has_its_own(workspace: Workspace) -> None:
    ring = workspace.vault.keyring
    before = (ring.vault_fields, ring.vault_rows, ring.audit)
    assert before == (ring.vault_fields, ring.vault_rows, ring.audit)
    workspace.keys.change_passphrase("a new long passphrase", TEST_ONLY_FAST)
    after = workspace.vault.keyring
    assert (after.vault_fields, after.vault_rows, after.audit) != before
    assert len({*before, after.vault_fields, after.vault_rows, after.audit}) == 6
    assert workspace.audit.verify().problems == []
    ring.wipe()
    assert ring.master == b"" and not ring._derived
