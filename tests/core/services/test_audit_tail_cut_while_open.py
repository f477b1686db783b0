"""The audit trail's last entries deleted while the vault is open (someone with the catalog
file and no key, between two changes) are noticed by the next change, which is refused in a
sentence with nothing of it kept, so `audit verify` still reports them gone.

The next change's entry was chained to whatever entry was last now and wrote a head matching
it: the trail read whole again, and `audit verify` passed (fsck's inventory and the next
unlock's still told). The trail keeps the last link it committed in memory and compares the
row it chains to with it: no decryption more for each change.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.errors import CorruptData
from dossier.services.workspace import Workspace
from tests.alongside import at_once
from tests.conftest import PASSPHRASE
from tests.core.db.tampering import attacker

CUTS: dict[str, Callable[[sqlite3.Connection], None]] = {
    "last entry and head": lambda db: (
        db.execute("DELETE FROM audit_entry WHERE seq = (SELECT MAX(seq) FROM audit_entry)"),
        db.execute("DELETE FROM vault_secret WHERE name = 'audit-head'"),
    ),
    "last entry": lambda db: db.execute(
        "DELETE FROM audit_entry WHERE seq = (SELECT MAX(seq) FROM audit_entry)"
    ),
    "last three entries and head": lambda db: (
        db.execute("DELETE FROM audit_entry WHERE seq > (SELECT MAX(seq) - 3 FROM audit_entry)"),
        db.execute("DELETE FROM vault_secret WHERE name = 'audit-head'"),
    ),
    "every entry and head": lambda db: (
        db.execute("DELETE FROM audit_entry"),
        db.execute("DELETE FROM vault_secret WHERE name = 'audit-head'"),
    ),
}


@pytest.mark.parametrize("cut", CUTS.values(), ids=CUTS.keys())
def test_an_audit_tail_cut_while_open_is_noticed_by_the_next_change(
    workspace: Workspace, vault_path: Path, cut: Callable[[sqlite3.Connection], None]
) -> None:
    case = workspace.cases.create("Préfecture").id
    workspace.people.add(case, "Hadrien Clouet")
    workspace.people.add(case, "Anne Martel")
    with attacker(vault_path) as db:
        cut(db)
    with pytest.raises(CorruptData, match="audit trail"):
        workspace.people.add(case, "Jean Dupont")
    assert sorted(p.name for p in workspace.people.of_case(case)) == [
        "Anne Martel",
        "Hadrien Clouet",
    ]
    check = workspace.audit.verify()
    # A trail cut whole leaves nothing for verify to chain; the unlock's inventory tells.
    assert not check.ok or check.entries == 0
    workspace.close()
    with pytest.raises(CorruptData, match="audit_entry"):
        Workspace.open(vault_path, PASSPHRASE)


def test_changes_from_many_threads_are_not_taken_for_a_cut_trail(workspace: Workspace) -> None:
    """Each commit's link is known before another writer can read it as the last one."""
    case = workspace.cases.create("Préfecture").id

    def add(prefix: str) -> None:
        for n in range(15):
            workspace.people.add(case, f"{prefix} {n}")

    at_once(*(partial(add, name) for name in ("Anne", "Jean", "Paul")))
    assert len(workspace.people.of_case(case)) == 45
    assert workspace.audit.verify().ok


def test_a_passphrase_change_relinks_the_trail_and_changes_go_on(
    workspace: Workspace, vault_path: Path
) -> None:
    case = workspace.cases.create("Préfecture").id
    workspace.keys.change_passphrase(PASSPHRASE + " neuve", TEST_ONLY_FAST)
    workspace.people.add(case, "Anne Martel")
    assert workspace.audit.verify().ok
