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

import threading
from pathlib import Path

from dossier.services.workspace import Workspace
from tests.core.services.documents.test_group_commit import _notes


def _importer(
    ws: Workspace,
    cases: list[str],
    tmp_path: Path,
    rounds: int,
    files: int,
    failures: list[BaseException],
    done: threading.Event,
) -> threading.Thread:
    """A thread importing `files` notes into each of `cases`, `rounds` times, then `done`."""

    def importing() -> None:
        try:
            for n in range(rounds):
                for case in cases:
                    paths = _notes(tmp_path / f"in-{n}-{case}", files, f"w{n}")
                    outcomes = ws.documents.import_many(case, paths)
                    failures.extend(Exception(o.error) for o in outcomes if o.error)
        except BaseException as exc:
            failures.append(exc)
        finally:
            done.set()

    return threading.Thread(target=importing)


def test_checks_find_nothing_while_imports_commit(workspace: Workspace, tmp_path: Path) -> None:
    case = workspace.cases.create("Busy").id
    other = workspace.cases.create("Other").id
    done = threading.Event()
    failures: list[BaseException] = []
    worker = _importer(workspace, [case, other], tmp_path, 6, 4, failures, done)
    worker.start()
    found: list[str] = []
    checks = 0
    while not done.is_set():
        found += workspace.vault.vault_problems()
        found += workspace.vault.case_problems(case)
        checks += 1
    worker.join()
    assert failures == []
    assert found == []
    assert checks > 10  # the checks ran while the imports committed
    assert workspace.vault.vault_problems() == []


def test_audit_entries_written_at_once_are_all_kept_and_chained(workspace: Workspace) -> None:
    failures: list[BaseException] = []

    def writing(writer: int) -> None:
        for n in range(40):
            try:
                with workspace.vault.session() as session:
                    workspace.audit.append(session, "test.entry", None, writer=writer, n=n)
                    session.commit()
            except BaseException as exc:
                failures.append(exc)

    before = len(workspace.audit.records())
    threads = [threading.Thread(target=writing, args=(w,)) for w in range(3)]
    for thread in threads:
        thread.start()
    checked: list[str] = []
    while any(thread.is_alive() for thread in threads):
        checked += workspace.audit.verify().problems
    for thread in threads:
        thread.join()
    assert failures == []
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
    done = threading.Event()
    failures: list[BaseException] = []

    def checking() -> None:
        try:
            while not done.is_set():
                failures.extend(Exception(p) for p in workspace.vault.vault_problems())
        except BaseException as exc:
            failures.append(exc)

    threads = [_importer(workspace, [case], tmp_path, 8, 2, failures, done)]
    threads += [threading.Thread(target=checking) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert workspace.vault.warnings == []
    assert workspace.vault.vault_problems() == []
    assert workspace.vault.warnings == []
