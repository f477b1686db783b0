"""The same file imported twice into one case at once (the import panel's batch and a reply
attached to its letter, two windows' jobs): the case holds it once, and deleting the copy a
user sees as a duplicate never takes the other's original with it.

Each import read the file while the other had not committed it yet, so neither found it in
the case; both stored a document over the same original (one blob per content), and deleting
either removed the blob the other still pointed to: fsck reported it missing, and whatever
reads the original (a PDF's pages on screen, an export, a re-extraction) failed."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from dossier.blobstore import BlobBatch
from dossier.errors import InputRefused
from dossier.services.documents import group as group_module
from dossier.services.workspace import Workspace
from tests.alongside import Alongside, alongside


def _reply(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "reponse.txt"
    path.write_text("Réponse du préfet : le contrat Ornithoptère est signé.\n", encoding="utf-8")
    return path


def before_first_commit(monkeypatch: pytest.MonkeyPatch, action: Callable[[], object]) -> None:
    """Run `action` once, when an import's first group is about to be committed (its files
    read, their originals written ahead): another job's work done meanwhile."""
    real_commit = group_module.ImportGroup.commit
    started: list[bool] = []

    def commit(group: group_module.ImportGroup, progress: Any = None) -> Any:
        if not started:
            started.append(True)
            action()
        return real_commit(group, progress)

    monkeypatch.setattr(group_module.ImportGroup, "commit", commit)


def test_a_file_imported_by_another_job_while_this_one_read_it_is_found_in_the_case(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = workspace
    case = ws.cases.create("Courrier").id
    reply = _reply(tmp_path / "lettre")
    others = [tmp_path / f"note-{n}.txt" for n in range(2)]
    for number, path in enumerate(others):
        path.write_text(f"Note {number} du dossier.\n", encoding="utf-8")
    meanwhile: list[Any] = []
    # The batch has read the reply (its original written ahead); the other job imports it
    # and commits first.
    before_first_commit(
        monkeypatch, lambda: meanwhile.append(ws.documents.import_file(case, reply))
    )
    outcomes = ws.documents.import_many(case, [others[0], reply, others[1]])
    first = meanwhile[0]
    assert outcomes[1].document is None, "the same file is in the case twice"
    assert str(first.id) in str(outcomes[1].error)
    assert [o.document is not None for o in outcomes] == [True, False, True]
    docs = ws.documents.of_case(case)
    assert len(docs) == 3
    # The original the batch wrote ahead for the file it then refused is not left behind.
    report = ws.fsck.run()
    assert report.ok and not report.notes, (report.problems, report.notes)
    assert "Ornithoptère" in ws.documents.text(first.id)


def test_a_group_committing_while_another_places_the_same_original_keeps_one_document(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second job reads the file after the first has put its original in place but
    before the first's rows are committed: it must wait for that commit to know."""
    ws = workspace
    case = ws.cases.create("Courrier").id
    reply = _reply(tmp_path / "lettre")
    placed, go_on = threading.Event(), threading.Event()
    real_settle = BlobBatch.settle
    first_jobs: list[Alongside] = []

    def settle(batch: BlobBatch, kept: Any = None) -> None:
        real_settle(batch, kept)
        if threading.current_thread() in first_jobs[0].threads:
            placed.set()
            assert go_on.wait(30)

    monkeypatch.setattr(BlobBatch, "settle", settle)
    results: dict[str, Any] = {}

    def run(name: str) -> None:
        try:
            results[name] = ws.documents.import_file(case, reply)
        except InputRefused as exc:
            results[name] = exc

    first_jobs.append(alongside(partial(run, "first")))
    with first_jobs[0]:
        assert placed.wait(30)
        with alongside(partial(run, "second")) as second:
            # The second job, if nothing holds it, reads, stores and commits in this time.
            second.wait(1.5)
            go_on.set()
    stored = [r for r in results.values() if not isinstance(r, Exception)]
    assert len(stored) == 1, results
    docs = ws.documents.of_case(case)
    assert len(docs) == 1
    report = ws.fsck.run()
    assert report.ok and not report.notes, (report.problems, report.notes)


def test_a_group_looks_at_the_disk_again_only_after_another_job_stored_originals(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second look, at the commit, is for originals another job stored meanwhile: without
    one, it is a look at the disk per file (~30 µs under load) for nothing."""
    from dossier.blobstore import BlobStore

    ws = workspace
    case = ws.cases.create("Notes").id
    committing: list[bool] = []
    looked: list[str] = []
    exists, commit_rows = BlobStore.exists, group_module.ImportGroup._commit_rows

    def looking(store: BlobStore, case_id: str, blob_id: str) -> bool:
        if committing:
            looked.append(blob_id)
        return exists(store, case_id, blob_id)

    def rows(group: group_module.ImportGroup, *args: Any) -> Any:
        committing.append(True)
        try:
            return commit_rows(group, *args)
        finally:
            committing.pop()

    monkeypatch.setattr(BlobStore, "exists", looking)
    monkeypatch.setattr(group_module.ImportGroup, "_commit_rows", rows)
    paths = [tmp_path / f"note-{n}.txt" for n in range(5)]
    for number, path in enumerate(paths):
        path.write_text(f"Note {number} du dossier.\n", encoding="utf-8")
    outcomes = ws.documents.import_many(case, paths[:3])
    assert all(o.document is not None for o in outcomes)
    assert looked == []
    # Another job stores an original of the case while the next batch reads its files.
    other = _reply(tmp_path / "lettre")
    before_first_commit(monkeypatch, lambda: ws.documents.import_file(case, other))
    outcomes = ws.documents.import_many(case, paths[3:])
    assert all(o.document is not None for o in outcomes)
    assert len(looked) >= 2
