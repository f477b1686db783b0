"""A batch import stores its files in groups, one catalog transaction each: every file
reported is committed when it is reported, a failed group keeps nothing of itself, a file
repeated in one batch is still recognised, and a cancel keeps the files finished before it."""

from __future__ import annotations

import contextlib
import email
import errno
import gc
import itertools
import sqlite3
import threading
from concurrent import futures
from email import policy
from pathlib import Path
from typing import Any

import pytest

from dossier import blobstore
from dossier.blobstore import SYNC_THREADS, BlobBatch
from dossier.crypto.sealedfile import SealedWriter
from dossier.errors import Cancelled, EnvironmentFailure
from dossier.fsutil import TEMP_PREFIX
from dossier.jobs import CancelToken
from dossier.search import analysed
from dossier.services.documents import group as group_module
from dossier.services.dto import ImportOutcome
from dossier.services.workspace import Workspace
from tests.core.services.documents.test_attachments import reply_with_attachments
from tests.pdfgen import many_pages_pdf


def _notes(folder: Path, count: int, word: str = "Ornithoptère") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"note-{number:03d}.txt"
        path.write_text(f"Note {number} : {word} {number} au conseil.\n", encoding="utf-8")
        paths.append(path)
    return paths


def _committed(vault: Path, doc_id: str) -> bool:
    """Whether another reader of the catalog file sees the document (only committed rows)."""
    with contextlib.closing(
        sqlite3.connect(f"file:{vault / 'catalog.sqlite'}?mode=ro", uri=True)
    ) as db:
        return (
            db.execute("SELECT count(*) FROM document WHERE id = ?", (doc_id,)).fetchone()[0] == 1
        )


def _blob_files(vault: Path) -> set[str]:
    return {p.name for p in (vault / "blobs").rglob("*") if p.is_file()}


def test_every_reported_import_is_committed_and_a_batch_is_a_few_commits(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = workspace.cases.create("Notes").id
    paths = _notes(tmp_path / "notes", 30)
    commits: list[int] = []
    workspace.vault.add_commit_listener(
        lambda changes: commits.append(sum(1 for t, _c, _r in changes if t == "document"))
    )
    reported: list[ImportOutcome] = []

    def heard(outcome: ImportOutcome) -> None:
        assert outcome.document is not None, outcome.error
        assert _committed(workspace.vault.folder, outcome.document.id)
        reported.append(outcome)

    outcomes = workspace.documents.import_many(case, paths, ocr=False, on_outcome=heard)
    assert [o.path for o in outcomes] == [str(p) for p in paths]
    assert sorted(o.path for o in reported) == sorted(map(str, paths))
    stored = [n for n in commits if n]
    assert sum(stored) == 30
    assert len(stored) <= 3, f"one commit per group, not per file: {stored}"
    hits = workspace.search.query("ornithoptère", case=case, limit=100)
    assert len(hits) == 30
    assert workspace.fsck.run().ok


@pytest.mark.parametrize("step", ["sync", "place"])
def test_a_failed_group_commit_keeps_nothing_of_the_group_and_reports_none(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    monkeypatch.setattr(blobstore, "SMALL", -1)  # every original a file, as large ones are
    case = workspace.cases.create("Notes").id
    workspace.documents.import_many(case, _notes(tmp_path / "first", 3, "Avant"), ocr=False)
    before = _blob_files(workspace.vault.folder)
    real = getattr(SealedWriter, step)
    calls: list[Path] = []

    def fills_the_disk(writer: SealedWriter) -> None:
        # The fifth original fails to sync, or to be put in place when four already are:
        # the others must go too.
        calls.append(writer.path)
        if len(calls) == 5:
            writer.abort()
            raise EnvironmentFailure(str(OSError(errno.ENOSPC, "No space left on device")))
        real(writer)

    monkeypatch.setattr(SealedWriter, step, fills_the_disk)
    reported: list[ImportOutcome] = []
    with pytest.raises(EnvironmentFailure):
        workspace.documents.import_many(
            case, _notes(tmp_path / "second", 8, "Après"), ocr=False, on_outcome=reported.append
        )
    monkeypatch.setattr(SealedWriter, step, real)
    assert calls and reported == []
    folder = workspace.vault.folder
    assert _blob_files(folder) - before == set()
    assert not list((folder / "blobs").rglob(f"{TEMP_PREFIX}*"))
    assert len(workspace.documents.of_case(case)) == 3
    assert workspace.search.query("après", case=case) == []
    assert workspace.fsck.run().ok


def test_the_same_file_twice_in_one_batch_is_recognised(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = workspace.cases.create("Doublons").id
    first, *others = _notes(tmp_path / "notes", 4)
    copy = tmp_path / "copie.txt"
    copy.write_bytes(first.read_bytes())
    outcomes = workspace.documents.import_many(case, [first, *others, copy], ocr=False)
    assert outcomes[-1].document is None
    assert outcomes[-1].already_as == outcomes[0].document.id  # type: ignore[union-attr]
    assert outcomes[-1].exit_code == 6
    linked = workspace.documents.import_many(
        case, [*_notes(tmp_path / "more", 2, "Autre"), copy], ocr=False, duplicates="link"
    )
    assert linked[-1].document is not None
    assert linked[-1].document.id == outcomes[0].document.id  # type: ignore[union-attr]
    assert len(workspace.documents.of_case(case)) == 6


def test_an_attachment_repeated_across_one_group_is_stored_once(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = workspace.cases.create("Courrier").id
    one = reply_with_attachments(tmp_path)
    message = email.message_from_bytes(one.read_bytes(), policy=policy.default)
    message.replace_header("Subject", "Une autre réponse")
    two = tmp_path / "deux.eml"
    two.write_bytes(bytes(message))
    outcomes = workspace.documents.import_many(case, [one, two], ocr=False)
    assert all(o.document is not None for o in outcomes)
    second = outcomes[1].document
    assert second is not None
    assert "the same file as" in second.metadata.get("duplicates", "")
    assert workspace.documents.children(second.id) == []
    assert workspace.fsck.run().ok


def test_a_cancel_keeps_the_files_finished_before_it(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(group_module, "GROUP_SECONDS", 3600.0)
    case = workspace.cases.create("Notes").id
    paths = _notes(tmp_path / "notes", 6)
    cancel = CancelToken()

    def progress(fraction: float, message: str) -> None:
        if message.startswith("note-004.txt"):
            cancel.cancel()

    reported: list[ImportOutcome] = []
    with pytest.raises(Cancelled):
        workspace.documents.import_many(
            case, paths, ocr=False, progress=progress, cancel=cancel, on_outcome=reported.append
        )
    names = sorted(Path(o.path).name for o in reported)
    assert names == [f"note-{n:03d}.txt" for n in range(4)]
    assert sorted(d.filename for d in workspace.documents.of_case(case)) == names
    assert workspace.fsck.run().ok


def test_an_import_writes_each_of_its_rows_once(workspace: Workspace, tmp_path: Path) -> None:
    """A document row was flushed as soon as it was made, then changed (its parent, origin,
    date from the parent, a title given, what was left out) and so sealed and written a
    second time: an UPDATE per attachment and message; each audit entry was written, then
    written again with its link. The rows an import adds are now written once each (and
    their MACs, as every transaction's)."""
    from sqlalchemy import event

    case = workspace.cases.create("Réponses").id
    reply = reply_with_attachments(tmp_path)
    notes = _notes(tmp_path / "notes", 3)
    statements: list[list[str]] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement.upper().replace('"', "").split())

    event.listen(workspace.vault.engine, "before_cursor_execute", record)
    try:
        outcomes = workspace.documents.import_many(case, [reply, *notes], title="Dossier")
    finally:
        event.remove(workspace.vault.engine, "before_cursor_execute", record)
    assert all(outcome.document for outcome in outcomes)
    (parent,) = [o.document for o in outcomes if o.document and o.document.mime == "message/rfc822"]
    assert len(workspace.documents.children(parent.id)) == 2
    added = {words[2] for words in statements if words[:2] == ["INSERT", "INTO"]}
    assert {"DOCUMENT", "PAGE", "AUDIT_ENTRY"} <= added
    # Each row's MAC is written in a pass of its own at the commit (`db/inventory.py`),
    # over the row as stored: that is not writing it again.
    rewritten = [
        " ".join(words[:4])
        for words in statements
        if words[0] == "UPDATE" and words[1] in added and words[3] != "ROW_MAC"
    ]
    assert rewritten == []


def _mac_statements(workspace: Workspace, case: str, paths: list[Path]) -> list[str]:
    from sqlalchemy import event

    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "row_mac" in statement:
            statements.append(statement)

    event.listen(workspace.vault.engine, "before_cursor_execute", record)
    try:
        workspace.documents.import_many(case, paths)
    finally:
        event.remove(workspace.vault.engine, "before_cursor_execute", record)
    return statements


def test_a_group_signs_its_rows_table_by_table_not_row_by_row(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The commit read each changed row back and wrote its MAC one statement at a time: two
    round trips per document, page and audit entry, a sixth of committing 300 small files.
    It now reads and writes them by table, so a group of 60 files costs the statements of 3."""
    monkeypatch.setattr(group_module, "GROUP_SECONDS", 3600.0)  # each batch is one group
    case = workspace.cases.create("Notes").id
    # The index opened first: its first opening reads the row MACs of what it lacks (the
    # documents' versions), which would count for the first batch only.
    assert workspace.search.query("alpha", case=case) == []
    few = _mac_statements(workspace, case, _notes(tmp_path / "few", 3, "alpha"))
    many = _mac_statements(workspace, case, _notes(tmp_path / "many", 60, "beta"))
    assert len(many) == len(few)
    assert workspace.search.query("beta", case=case)


def test_a_group_writes_its_originals_while_it_makes_their_rows(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Creating a file waits on the disk (under load, a third of a mailbox's catalog work):
    a group's originals are written side by side, not one after another, and a write that
    fails still fails the whole group, leaving nothing behind."""
    monkeypatch.setattr(blobstore, "SMALL", -1)  # every original a file, as large ones are
    monkeypatch.setattr(group_module, "GROUP_SECONDS", 3600.0)  # each batch is one group
    case = workspace.cases.create("Notes").id
    assert workspace.search.query("alpha", case=case) == []
    workspace.documents.import_many(case, _notes(tmp_path / "quick", 40, "alpha"))
    create = SealedWriter.__init__
    created = itertools.count(1)
    second = threading.Event()
    met: list[bool] = []

    def slow_disk(writer: SealedWriter, path: Path, *args: Any, **kwargs: Any) -> None:
        # A disk slow to create the first original: the next ones are under way meanwhile,
        # unless they are written one after another (then it waits alone, and the test fails).
        # Not a bound on the wall clock: the load of a shared machine comes and goes.
        if workspace.vault.blobs_dir in path.parents:
            if next(created) == 1:
                met.append(second.wait(30))
            else:
                second.set()
        create(writer, path, *args, **kwargs)

    monkeypatch.setattr(SealedWriter, "__init__", slow_disk)
    outcomes = workspace.documents.import_many(case, _notes(tmp_path / "slow", 40, "beta"))
    assert all(o.document for o in outcomes)
    assert met == [True], "the originals were written one after another"

    def full_disk(writer: SealedWriter, data: Any) -> int:
        raise EnvironmentFailure("the disk is full")

    monkeypatch.setattr(SealedWriter, "write", full_disk)
    reported: list[ImportOutcome] = []
    with pytest.raises(EnvironmentFailure):
        workspace.documents.import_many(
            case, _notes(tmp_path / "full", 12, "gamma"), on_outcome=reported.append
        )
    assert reported == []
    assert not list(workspace.vault.blobs_dir.rglob(f"{TEMP_PREFIX}*"))
    assert len(workspace.documents.of_case(case)) == 80


def test_an_import_hashes_each_original_once(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each original was SHA-256'd four times (the batch's same-file check, the duplicate
    check, the group's ids, the blob's write) and each attachment three: the digest is now
    made once and handed along, for the file and for every file that came out of it."""
    import hashlib

    case = workspace.cases.create("Réponses").id
    reply = reply_with_attachments(tmp_path)
    notes = _notes(tmp_path / "notes", 3)
    originals = [path.read_bytes() for path in [reply, *notes]]
    hashed: list[bytes] = []
    sha256 = hashlib.sha256

    def counted(data: bytes = b"", **kwargs: Any) -> Any:
        hashed.append(bytes(data))
        return sha256(data, **kwargs)

    monkeypatch.setattr(hashlib, "sha256", counted)
    outcomes = workspace.documents.import_many(case, [reply, *notes])
    monkeypatch.undo()
    (parent,) = [o.document for o in outcomes if o.document and o.document.mime == "message/rfc822"]
    children = workspace.documents.children(parent.id)
    attachments = [workspace.documents.original(child.id) for child in children]
    assert len(attachments) == 2
    for data in originals + attachments:
        assert hashed.count(data) == 1


def test_storing_a_long_document_does_not_collect_garbage_every_few_hundred_rows(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page is a row, its sealed payload and MAC, its index entries: at Python's default
    threshold (700 allocations) the collector ran dozens of times over them, at every commit
    of a long PDF."""
    monkeypatch.setattr(analysed, "PARALLEL_MIN_BYTES", 1 << 40)  # indexed within the commit
    case = workspace.cases.create("Long").id
    pdf = many_pages_pdf(tmp_path / "long.pdf", 60, paragraphs_per_page=8)
    counted: list[int] = []
    commit = group_module.ImportGroup.commit

    def counting(group: group_module.ImportGroup, *args: Any, **kwargs: Any) -> Any:
        before = gc.get_stats()[0]["collections"]
        try:
            return commit(group, *args, **kwargs)
        finally:
            counted.append(gc.get_stats()[0]["collections"] - before)

    monkeypatch.setattr(group_module.ImportGroup, "commit", counting)
    info = workspace.documents.import_file(case, pdf)
    assert info.page_count == 60 and len(counted) == 1
    assert counted[0] <= 8, counted


def test_a_group_writes_its_documents_and_pages_by_table(
    workspace: Workspace, tmp_path: Path
) -> None:
    """Flushing a batch's documents, pages and audit entries as ORM objects (each its state,
    cascade, dependency sort and identity) cost more than sealing them: a quarter of importing
    a folder of short notes. They go in with one INSERT per table, sealed as a flush seals
    them; their MACs, the inventory, the audit chain and the commit's listeners are as for
    any change."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    case = workspace.cases.create("Réponses").id
    reply = reply_with_attachments(tmp_path)
    notes = _notes(tmp_path / "notes", 5, "Ornithoptère")
    flushed: list[str] = []
    heard: set[str] = set()

    def before_flush(session: Session, _context: object, _instances: object) -> None:
        flushed.extend(type(row).__name__ for row in session.new)

    workspace.vault.add_commit_listener(
        lambda changes: heard.update(row for table, _c, row in changes if table == "document")
    )
    event.listen(Session, "before_flush", before_flush)
    try:
        outcomes = workspace.documents.import_many(case, [reply, *notes])
    finally:
        event.remove(Session, "before_flush", before_flush)
    assert not {"Document", "Page", "AuditEntry"} & set(flushed)
    documents = workspace.documents.of_case(case)
    assert len(documents) == 8  # the reply, its two attachments, five notes
    assert heard == {doc.id for doc in documents}
    assert {o.document.id for o in outcomes if o.document} <= heard
    (parent,) = [d for d in documents if d.mime == "message/rfc822"]
    assert len(workspace.documents.children(parent.id)) == 2
    assert "Ornithoptère 3" in workspace.documents.text(
        next(d.id for d in documents if d.filename == "note-003.txt")
    )
    assert len(workspace.search.query("Ornithoptère", case=case)) == 5
    imported = [r for r in workspace.audit.records(case) if r.action == "document.import"]
    (entry,) = imported  # one group, one entry naming each of its documents
    assert set(entry.details["doc_ids"]) == heard and len(entry.details["doc_ids"]) == 8
    assert entry.details["pages"] == sum(d.page_count for d in documents)
    assert workspace.audit.verify().ok
    assert workspace.fsck.run().ok


def test_groups_write_their_originals_with_threads_kept_between_them(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each group started 24 threads of its own to write and sync its originals: through an
    import of small files, hundreds a minute, each started under the GIL the window waits
    for. The same few threads now serve every group, of this batch and the next."""
    monkeypatch.setattr(group_module, "GROUP_FILES", 10)
    case = workspace.cases.create("Notes").id
    started: list[str] = []
    start = threading.Thread.start

    def counted(thread: threading.Thread) -> None:
        started.append(thread.name)
        start(thread)

    monkeypatch.setattr(threading.Thread, "start", counted)
    for batch in range(2):
        notes = _notes(tmp_path / f"b{batch}", 40, f"Lot{batch}")
        outcomes = workspace.documents.import_many(case, notes)
        assert all(o.document for o in outcomes)
    blob_threads = [name for name in started if name.startswith("blob")]
    assert len(blob_threads) <= SYNC_THREADS, blob_threads


def test_a_group_syncs_each_original_as_it_is_written_and_places_none_unsynced(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import's thread waited at each group's settle for the syncs of all its originals
    (under load, 2.7 s of a 15 s mailbox import): each is synced by its writer thread right
    after it is written, while the next files are read, and the settle only waits for the
    writes, puts the files in place and syncs their folders. None is placed before its sync."""
    monkeypatch.setattr(blobstore, "SMALL", -1)  # every original a file, as large ones are
    monkeypatch.setattr(group_module, "GROUP_SECONDS", 3600.0)  # each batch is one group
    case = workspace.cases.create("Notes").id
    events: list[tuple[str, Path, bool]] = []
    settling = threading.Event()
    real_sync, real_place, real_settle = SealedWriter.sync, SealedWriter.place, BlobBatch.settle

    def sync(writer: SealedWriter) -> None:
        real_sync(writer)
        events.append(("sync", writer.path, settling.is_set()))

    def place(writer: SealedWriter) -> None:
        events.append(("place", writer.path, settling.is_set()))
        real_place(writer)

    def settle(batch: BlobBatch, *args: Any) -> None:
        futures.wait(list(batch._writing.values()))  # the writes still under way end first
        settling.set()
        try:
            real_settle(batch, *args)
        finally:
            settling.clear()

    monkeypatch.setattr(SealedWriter, "sync", sync)
    monkeypatch.setattr(SealedWriter, "place", place)
    monkeypatch.setattr(BlobBatch, "settle", settle)
    outcomes = workspace.documents.import_many(case, _notes(tmp_path / "in", 30, "delta"))
    assert all(o.document for o in outcomes)
    synced = [path for step, path, _ in events if step == "sync"]
    placed = [path for step, path, _ in events if step == "place"]
    assert len(set(placed)) == 30 and set(synced) == set(placed)
    assert not [path for step, path, during in events if step == "sync" and during]
    for path in placed:
        assert events.index(("sync", path, False)) < events.index(("place", path, True))


def test_a_group_writes_each_original_as_its_file_is_read(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A group's originals were all written at its commit, where the import's thread then
    waited for their writes and syncs: each is handed to a writer thread as its file is read,
    and the commit finds it written."""
    monkeypatch.setattr(group_module, "GROUP_SECONDS", 3600.0)  # each batch is one group
    case = workspace.cases.create("Notes").id
    events: list[str] = []
    put, commit = BlobBatch.put, group_module.ImportGroup.commit

    def handing(batch: BlobBatch, *args: Any, **kwargs: Any) -> Any:
        events.append("write")  # handed to a writer thread, which may start it later
        return put(batch, *args, **kwargs)

    def committing(group: group_module.ImportGroup, *args: Any) -> Any:
        events.append("commit")
        return commit(group, *args)

    monkeypatch.setattr(BlobBatch, "put", handing)
    monkeypatch.setattr(group_module.ImportGroup, "commit", committing)
    outcomes = workspace.documents.import_many(case, _notes(tmp_path / "in", 20, "epsilon"))
    assert all(o.document for o in outcomes)
    assert events.count("write") >= 20
    assert events.index("write") < events.index("commit")
    assert workspace.search.query("epsilon", case=case)
    assert workspace.fsck.run().ok


def test_an_original_is_not_looked_for_again_as_it_is_handed_to_the_writers(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its group had just looked for each of a file's originals on disk, and the writers
    looked again (a look at the disk per file, ~30 µs under load): each is stored all the
    same, and the same file twice in one batch still once."""
    from dossier.blobstore import BlobStore

    case = workspace.cases.create("Notes").id
    handing: list[bool] = []
    looked_while_handing: list[str] = []
    exists, put = BlobStore.exists, BlobBatch.put

    def looking(store: BlobStore, case_id: str, blob_id: str) -> bool:
        if handing:
            looked_while_handing.append(blob_id)
        return exists(store, case_id, blob_id)

    def putting(batch: BlobBatch, *args: Any, **kwargs: Any) -> Any:
        handing.append(True)
        try:
            return put(batch, *args, **kwargs)
        finally:
            handing.pop()

    paths = _notes(tmp_path / "in", 6, "zeta")
    (tmp_path / "in" / "again.txt").write_bytes(paths[0].read_bytes())
    (tmp_path / "mail").mkdir()
    mail = reply_with_attachments(tmp_path / "mail")
    monkeypatch.setattr(BlobStore, "exists", looking)
    monkeypatch.setattr(BlobBatch, "put", putting)
    outcomes = workspace.documents.import_many(case, [*paths, tmp_path / "in" / "again.txt", mail])
    monkeypatch.setattr(BlobStore, "exists", exists)
    monkeypatch.setattr(BlobBatch, "put", put)
    assert looked_while_handing == []
    assert [bool(o.document) for o in outcomes] == [True] * 6 + [False, True]
    assert outcomes[6].already_as == outcomes[0].document.id  # type: ignore[union-attr]
    assert workspace.documents.children(outcomes[7].document.id)  # type: ignore[union-attr]
    assert workspace.search.query("zeta", case=case, limit=50)
    assert workspace.fsck.run().ok


def test_a_file_cancelled_after_its_original_was_written_leaves_nothing(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = workspace.cases.create("Notes").id
    cancel = CancelToken()
    add = group_module.ImportGroup.add

    def adding(group: group_module.ImportGroup, *args: Any) -> None:
        add(group, *args)
        cancel.cancel()  # once its original is with the writers

    monkeypatch.setattr(group_module.ImportGroup, "add", adding)
    (path,) = _notes(tmp_path / "in", 1, "zeta")
    with pytest.raises(Cancelled):
        workspace.documents.import_file(case, path, cancel=cancel)
    folder = workspace.vault.folder
    assert _blob_files(folder) == set()
    assert not list((folder / "blobs").rglob(f"{TEMP_PREFIX}*"))
    assert workspace.documents.of_case(case) == []


def test_each_original_of_a_batch_is_looked_for_on_disk_once(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The duplicate check looked for a file's original on disk, then its group looked again
    for the same one (two looks at the disk per file of a mailbox, each a switch of the GIL to
    the writer threads): the group takes the check's answer. A file twice in one batch, and a
    file already in the case, are still refused."""
    from dossier.blobstore import BlobStore

    case = workspace.cases.create("Notes").id
    first = _notes(tmp_path / "before", 2, "theta")
    workspace.documents.import_many(case, first)
    looks: list[str] = []
    exists = BlobStore.exists

    def looking(store: BlobStore, case_id: str, blob_id: str) -> bool:
        looks.append(blob_id)
        return exists(store, case_id, blob_id)

    paths = _notes(tmp_path / "in", 6, "iota")
    (tmp_path / "in" / "again.txt").write_bytes(paths[0].read_bytes())
    (tmp_path / "mail").mkdir()
    mail = reply_with_attachments(tmp_path / "mail")
    monkeypatch.setattr(BlobStore, "exists", looking)
    outcomes = workspace.documents.import_many(
        case, [*paths, tmp_path / "in" / "again.txt", mail, first[1]]
    )
    monkeypatch.setattr(BlobStore, "exists", exists)
    assert [bool(o.document) for o in outcomes] == [True] * 6 + [False, True, False]
    assert outcomes[6].already_as == outcomes[0].document.id  # type: ignore[union-attr]
    assert outcomes[8].already_as is not None
    twice = sorted(blob_id for blob_id in set(looks) if looks.count(blob_id) > 1)
    # The file met again looks for its original once more, after its twin's group committed.
    assert len(twice) <= 1, twice
    assert workspace.documents.children(outcomes[7].document.id)  # type: ignore[union-attr]
    assert workspace.fsck.run().ok


def test_reading_a_batch_of_small_files_does_not_collect_garbage_every_few_files(
    workspace: Workspace, tmp_path: Path
) -> None:
    """Each small file read leaves a few dozen objects to the collector: at Python's default
    threshold it ran every twenty files, and over the whole heap every two hundred (a mailbox
    of 2,000 messages: 0.1 s of the app's 1.5; here 14 times for 299 notes). The whole batch
    is read as its commits were: collected every `YOUNG_COLLECTION_EVERY` allocations, and
    as before once it ends."""
    case = workspace.cases.create("Notes").id
    paths = _notes(tmp_path / "in", 300, "kappa")
    workspace.documents.import_many(case, paths[:1])  # the case's index opened
    threshold = gc.get_threshold()
    before = [generation["collections"] for generation in gc.get_stats()]
    outcomes = workspace.documents.import_many(case, paths[1:])
    after = [generation["collections"] for generation in gc.get_stats()]
    assert all(o.document for o in outcomes)
    assert after[0] - before[0] <= 5, (before, after)
    assert after[2] == before[2], (before, after)
    assert gc.get_threshold() == threshold


def test_a_group_macs_each_of_its_rows_once(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pages handed to the index before the commit carry their documents' versions, made
    of the rows' MACs as stored: the commit then MACed the same rows again. It takes those
    MACs for the rows it reads unchanged, under the same key (made as the rows were inserted,
    of the rows SQLite stores for them: `dossier.db.bulk`)."""
    from dossier.db import bulk
    from dossier.db.rowauth import StoredRow

    monkeypatch.setattr(group_module, "GROUP_SECONDS", 3600.0)  # each batch is one group
    case = workspace.cases.create("Notes").id
    assert workspace.search.query("gamma", case=case) == []  # the index opened
    macs: list[str] = []
    real = StoredRow.mac

    def counted(row: StoredRow, key: bytes) -> bytes:
        macs.append(row.spec.name)
        return real(row, key)

    foretold = bulk.foretold_row

    def foretold_counted(spec: Any, *args: Any) -> Any:
        made = foretold(spec, *args)
        if made is not None:
            macs.append(spec.name)
        return made

    monkeypatch.setattr(StoredRow, "mac", counted)
    monkeypatch.setattr(bulk, "foretold_row", foretold_counted)
    outcomes = workspace.documents.import_many(case, _notes(tmp_path / "in", 20, "gamma"))
    monkeypatch.setattr(StoredRow, "mac", real)
    assert all(o.document for o in outcomes)
    assert macs.count("document") == 20 and macs.count("page") == 20, sorted(set(macs))
    assert len(workspace.search.query("gamma", case=case, limit=50)) == 20
    assert workspace.fsck.run().ok


def test_a_row_changed_after_its_mac_was_made_ahead_is_maced_again(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A MAC made before the commit is taken only for the row it was made of: a row the
    transaction changed afterwards is signed as it is stored at the commit."""
    from dossier.services.search import SearchService

    case = workspace.cases.create("Notes").id
    storing = SearchService.documents_storing

    def then_changed(service: SearchService, session: Any, case_id: str, docs: Any) -> Any:
        early = storing(service, session, case_id, docs)
        session.connection().exec_driver_sql(
            "UPDATE document SET kind = 'note' WHERE id = ?", (docs[0].id,)
        )
        return early

    monkeypatch.setattr(SearchService, "documents_storing", then_changed)
    (outcome,) = workspace.documents.import_many(case, _notes(tmp_path / "in", 1, "delta"))
    monkeypatch.setattr(SearchService, "documents_storing", storing)
    assert outcome.document is not None
    assert workspace.documents.get(outcome.document.id).kind == "note"
    assert workspace.fsck.run().ok
