"""A passphrase change while imports run: every import is stored, none is told the vault was
altered.

The change switches the master key every session uses before its own commit writes the rows
signed under the new key; an import committing in between checked the audit trail's head
(still signed under the old key) with the new one, failed with "altered outside Dossier" and
kept none of its files (about one change in three, found by a breaker)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.services.workspace import Workspace
from tests.alongside import alongside
from tests.core.services.documents.test_group_commit import _notes


def test_imports_running_through_passphrase_changes_are_all_stored(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = workspace.cases.create("Rotation").id
    workspace.search.query("warm", case=case)  # the index opened, as in a session
    stored = 0

    def importing(paths: list[Path]) -> None:
        outcomes = workspace.documents.import_many(case, paths)
        assert [o.error for o in outcomes if o.error] == []

    for attempt in range(4):
        batches = [
            _notes(tmp_path / f"in-{attempt}-{n}", 15, f"lot{attempt}x{n}") for n in range(2)
        ]
        with alongside(*(partial(importing, paths) for paths in batches)):
            workspace.keys.change_passphrase(f"a new long passphrase {attempt}", TEST_ONLY_FAST)
        stored += 30
    assert len(workspace.documents.of_case(case)) == stored
    assert workspace.vault.vault_problems() == []
    assert workspace.vault.case_problems(case) == []
