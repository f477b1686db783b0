"""Reads that a check or a write depends on see one state of the catalog, whatever commits
meanwhile.

A check reads an inventory, then the rows it counts, in several statements. Outside a
transaction each statement sees the catalog as it is at that moment: an import committing
in between made the rows disagree with the inventory read a moment before, and the vault
was reported altered (a passphrase change refused, an export refused as if tampered). Two
audit entries written at once both read the same last link, and the second failed with a
database error on the number the first had taken; the trail's check, counting the entries
before reading them, found the last ones removed."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from dossier.services.workspace import Workspace
from tests.alongside import alongside
from tests.core.services.documents.test_group_commit import _notes


def _importing(
    ws: Workspace, cases: list[str], tmp_path: Path, rounds: int, files: int
) -> Callable[[], None]:
    """Imports of `files` notes into each of `cases`, `rounds` times."""

    def importing() -> None:
        for n in range(rounds):
            for case in cases:
                paths = _notes(tmp_path / f"in-{n}-{case}", files, f"w{n}")
                outcomes = ws.documents.import_many(case, paths)
                assert [o.error for o in outcomes if o.error] == []

    return importing


def test_checks_find_nothing_while_imports_commit(workspace: Workspace, tmp_path: Path) -> None:
    case = workspace.cases.create("Busy").id
    other = workspace.cases.create("Other").id
    found: list[str] = []
    checks = 0
    with alongside(_importing(workspace, [case, other], tmp_path, 6, 4)) as run:
        while run.running:
            found += workspace.vault.vault_problems()
            found += workspace.vault.case_problems(case)
            checks += 1
    assert found == []
    assert checks > 10  # the checks ran while the imports committed
    assert workspace.vault.vault_problems() == []


def test_audit_entries_written_at_once_are_all_kept_and_chained(workspace: Workspace) -> None:
    def writing(writer: int) -> None:
        for n in range(40):
            with workspace.vault.session() as session:
                workspace.audit.append(session, "test.entry", None, writer=writer, n=n)
                session.commit()

    before = len(workspace.audit.records())
    checked: list[str] = []
    with alongside(*(partial(writing, w) for w in range(3))) as run:
        while run.running:
            checked += workspace.audit.verify().problems
    assert checked == []  # the trail checked while it grew
    assert len(workspace.audit.records()) == before + 120
    assert workspace.audit.verify().problems == []
    assert workspace.vault.vault_problems() == []


def test_checks_at_once_beside_commits_warn_of_no_older_copy(
    workspace: Workspace, tmp_path: Path
) -> None:
    """Two checks at once while imports commit: the one that read the catalog a commit earlier
    must not take it for an older copy of the vault put back (the other has just remembered
    the later counter), nor make this computer forget the later one."""
    case = workspace.cases.create("Busy").id

    def checking() -> None:
        assert workspace.vault.vault_problems() == []

    with alongside(checking, checking, repeat=True):
        _importing(workspace, [case], tmp_path, 8, 2)()
    assert workspace.vault.warnings == []
    assert workspace.vault.vault_problems() == []
    assert workspace.vault.warnings == []
