"""A case refused as tampered is named by its id in the refusal, not by its name: the name may
be a protected person's (masked everywhere on screen) and the case's people, which would mask
it, are exactly what can no longer be trusted."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.errors import CorruptData
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE


def test_the_refusal_of_a_tampered_case_does_not_spell_its_name(tmp_path: Path) -> None:
    folder = tmp_path / "V.dossier"
    with Workspace.create(folder, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("Affaire Barbacane").id
        ws.people.add(case, "Zéphyrin Barbacane", protection="protected", pseudonym="Source A")
    db = sqlite3.connect(folder / "catalog.sqlite")
    db.execute("UPDATE person SET created_at = '2021-01-01 00:00:00.000000'")
    db.commit()
    db.close()
    with Workspace.open(folder, PASSPHRASE) as ws, pytest.raises(CorruptData) as refused:
        ws.people.of_case(case)
    assert "Barbacane" not in str(refused.value)
    assert case[:8] in str(refused.value)
