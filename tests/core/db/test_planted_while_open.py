"""A trigger or a structure change planted while Dossier has the vault open never gets blessed.

The schema is checked at open and before an export. Between the two, another process without
the key can plant a trigger (deleting each new redaction mark, say) and drop it again before
the export: the trigger runs inside Dossier's own transaction, so its change capture records
the deletion as Dossier's own work and would sign it. Every commit must refuse to sign a
transaction run under a schema Dossier did not make.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dossier.errors import CorruptData
from dossier.sample.build import SAMPLE_PASSPHRASE
from dossier.services.workspace import Workspace
from tests.core.db.tampering import Pristine, attacker, copy_vault, pristine_sample

PLANTS = {
    "trigger deleting each new mark": (
        "CREATE TRIGGER evil AFTER INSERT ON redaction BEGIN "
        "DELETE FROM redaction WHERE id = NEW.id; END",
        "DROP TRIGGER evil",
    ),
    "trigger moving each new mark to another page": (
        "CREATE TRIGGER evil AFTER INSERT ON redaction BEGIN "
        "UPDATE redaction SET page_index = 99 WHERE id = NEW.id; END",
        "DROP TRIGGER evil",
    ),
    # No trigger: the structure itself changed (read again because the schema cookie moved).
    "index added to the marks' table": (
        "CREATE INDEX evil ON redaction (kind)",
        "DROP INDEX evil",
    ),
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pristine]:
    with pristine_sample(tmp_path_factory) as pristine:
        yield pristine


def _marks(ws: Workspace, case_id: str) -> list[str]:
    return sorted(m.term for m in ws.redactions.of_case(case_id) if m.term)


@pytest.mark.parametrize("plant", sorted(PLANTS))
def test_a_trigger_planted_while_open_is_refused_not_signed(
    pristine: Pristine, tmp_path: Path, plant: str
) -> None:
    create, drop = PLANTS[plant]
    folder = copy_vault(pristine, tmp_path)
    case_id = pristine[1]
    with Workspace.open(folder, SAMPLE_PASSPHRASE) as ws:
        before = _marks(ws, case_id)
        with attacker(folder) as db:
            db.execute(create)
        with pytest.raises(CorruptData):
            ws.redactions.add_term("Lisbonne", case=case_id)
        with attacker(folder) as db:
            db.execute(drop)  # the evidence gone before the export's check
        # Nothing was signed: the case reads as before and nothing is found wrong.
        assert _marks(ws, case_id) == before
        assert not ws.vault.vault_problems() + ws.vault.case_problems(case_id)
        # Dossier's own write goes through once the schema is its own again.
        ws.redactions.add_term("Lisbonne", case=case_id)
        assert "Lisbonne" in _marks(ws, case_id)
        assert not ws.vault.vault_problems() + ws.vault.case_problems(case_id)
