"""A large batch is analysed in worker processes: the index it makes is the one Whoosh's own
`add_document` makes, a worker that dies costs nothing, and a cancel keeps nothing."""

from __future__ import annotations

import os
import random
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from whoosh.filedb.filestore import RamStorage

from dossier.errors import Cancelled, EnvironmentFailure
from dossier.jobs import CancelToken
from dossier.search import SearchIndex
from dossier.search import analysed as analysed_module
from dossier.search import built as built_module
from dossier.search import facade as facade_module
from dossier.search import merging as merging_module
from dossier.search.schema import build_schema, to_document
from dossier.services.workspace import Workspace
from tests import killable
from tests.leakscan import needles_for, scan
from tests.processes import still_running
from tests.searchitems import KEY
from tests.searchitems import items as _items


@pytest.fixture
def workers() -> Iterator[None]:
    yield
    analysed_module.shutdown()


def _content(reader: Any) -> dict[str, Any]:
    """Everything a search reads: every posting with its value, stored fields, lengths."""
    postings = {}
    for fieldname, term in reader.all_terms():
        matcher = reader.postings(fieldname, term)
        postings[(fieldname, term)] = list(matcher.all_items())
    stored = list(reader.all_stored_fields())
    lengths = {
        (docnum, name): reader.doc_field_length(docnum, name)
        for docnum in range(reader.doc_count_all())
        for name in ("exact", "secondary")
    }
    return {"postings": postings, "stored": stored, "lengths": lengths}


def test_an_index_fed_by_workers_is_the_one_whoosh_add_document_makes(
    tmp_path: Path, workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = _items(150)
    monkeypatch.setattr(analysed_module, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(analysed_module, "CHUNK_ITEMS", 16)
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        index.add(items)
        index.flush()
        with index._ix.reader() as reader:
            ours = _content(reader)
    plain = RamStorage().create_index(build_schema())
    with plain.writer() as writer:
        for item in items:
            writer.add_document(**to_document(item))
    with plain.reader() as reader:
        theirs = _content(reader)
    assert len(ours["stored"]) == 150
    assert ours == theirs


def test_a_worker_killed_mid_batch_costs_nothing(workers: None) -> None:
    items = _items(200)
    chunks = [items[n : n + 10] for n in range(0, 200, 10)]
    done = [0]
    analysed = []
    results = analysed_module.in_workers(chunks, None, done)
    analysed.extend(next(results))
    pool = analysed_module._get_pool()
    for process in list(pool._processes.values()):  # a worker killed (out of memory, a user)
        os.kill(process.pid, signal.SIGKILL)
    with pytest.raises(analysed_module.BrokenProcessPool):
        for chunk in results:
            analysed.extend(chunk)
    # analyse_all falls back to analysing in process, from where the pool stopped.
    again = [a for chunk in analysed_module.analyse_all(items, None, parallel=True) for a in chunk]
    assert again == analysed_module.analyse_chunk(items)


def test_a_batch_cancelled_while_workers_analyse_keeps_nothing(
    tmp_path: Path, workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(analysed_module, "CHUNK_ITEMS", 8)
    first, second = _items(20), _items(200)[20:]
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        index.add(first)
        index.flush()
        cancel = CancelToken()

        def progress(fraction: float, message: str) -> None:
            if fraction > 0.2:
                cancel.cancel()

        with pytest.raises(Cancelled):
            index.add(second, progress=progress, cancel=cancel)
        assert index.count() == 20
        assert [h.item_id for h in index.search("mot5x")] == ["d1:2"]
        assert index.search("mot150x") == []


KILLED_APP = """
import time
from dossier.search import analysed
from tests.searchitems import items
items = items(40)
list(analysed.in_workers([items[:20], items[20:]], None, [0]))
print(" ".join(str(p.pid) for p in analysed._get_pool()._processes.values()), flush=True)
time.sleep(60)
"""


def test_a_killed_app_leaves_no_worker_behind() -> None:
    app = killable.Driver(KILLED_APP)
    pids = [int(pid) for pid in app.stdout.readline().split()]
    assert pids
    app.kill()
    assert still_running(pids) == []
    app.communicate(timeout=120)  # ends only once no worker holds the output pipe


def test_a_batch_analysed_in_the_background_is_written_by_close(
    tmp_path: Path, workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What close writes, not how long it waits (a stuck worker's test has that): on a machine
    # loaded to 14 the workers took longer than the 3 s a lock gives them, and were ended.
    monkeypatch.setattr(facade_module, "CLOSE_WAIT", 120.0)
    items = _items(60)
    assert sum(len(item.text) for item in items) >= analysed_module.PARALLEL_MIN_BYTES
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        index.replace_documents_soon([], items[:30])
        index.replace_documents_soon(["d0"], items[30:] + items[:3])  # d0 replaced, in order
        assert index._queued  # nothing waited for the workers yet
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        assert index.count() == 60  # d0 once, not twice
        assert [h.item_id for h in index.search("mot45x")] == ["d15:0"]
        assert [h.item_id for h in index.search("mot1x")] == ["d0:1"]


def test_workers_leave_no_word_on_disk(
    tmp_path: Path, workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workers hand the segments they build and merge back through pipes: no file of
    theirs, in the index's folder or in the temp folder they would use, holds a word of the
    pages."""
    analysed_module.shutdown()  # workers started now inherit the temp folder watched here
    systemp = tmp_path / "systemp"
    systemp.mkdir()
    monkeypatch.setenv("TMPDIR", str(systemp))
    monkeypatch.setattr(analysed_module, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(built_module, "PART_BYTES", 32 * 1024)  # segments built by workers
    monkeypatch.setattr(merging_module, "MAX_SEGMENTS", 2)  # and merged by them
    items = _items(120)
    folder = tmp_path / "ix"
    with SearchIndex.open(folder, KEY, "case-a") as index:
        index.replace_documents_soon([], items)
        index.flush()
        deadline = time.monotonic() + 60
        while len(index._ix._segments()) > 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(index._ix._segments()) <= 2, "merged"
        assert index.search("préfecture"), "the words were indexed"
    assert analysed_module._pool is not None, "through the workers"
    assert scan([folder, systemp], needles_for(["préfecture", "Villepin", "témoin", "mot7x"])) == []
    assert list(systemp.iterdir()) == []


def test_workers_started_before_a_batch_are_ready_for_it(workers: None) -> None:
    analysed_module.shutdown()
    built_module.start_workers()  # returns at once: the workers start in the background
    pool = analysed_module._pool
    assert pool is not None
    assert len(pool._processes) == analysed_module.worker_count()
    items = _items(60)
    built = list(
        analysed_module.Background([items[:30], items[30:]], built_module.build_segment).results()
    )
    assert analysed_module._pool is pool, "the batch went to the workers started"
    assert [len(b.doc_ids) for b in built] == [10, 10]


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities on this system")
def test_workers_yield_a_core_to_the_app(workers: None) -> None:
    # On a 2-core laptop the two workers would otherwise hold the GUI thread's frames past
    # 100 ms during an import: they run at a lower priority than the app.
    analysed_module.shutdown()
    items = _items(40)
    list(analysed_module.in_workers([items[:20], items[20:]], None, [0]))
    pool = analysed_module._pool
    assert pool is not None
    app = os.getpriority(os.PRIO_PROCESS, 0)
    # A worker the batch did not need may still be starting: its start sets its priority.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        seen = {os.getpriority(os.PRIO_PROCESS, pid) for pid in pool._processes}
        if seen == {app + analysed_module.WORKER_NICENESS}:
            break
        time.sleep(0.05)
    assert seen == {app + analysed_module.WORKER_NICENESS}


def _notes(folder: Path, count: int, words: int) -> list[Path]:
    folder.mkdir()
    paths = []
    for n in range(count):
        path = folder / f"note-{n}.txt"
        path.write_text(f"Note {n} témoin{n} " + "préfecture " * words, encoding="utf-8")
        paths.append(path)
    return paths


def _photos(folder: Path, count: int) -> list[Path]:
    """PDFs of a few words and a photo each: 43 KB of file, 20 characters of text."""
    folder.mkdir()
    paths = []
    for n in range(count):
        noise = random.Random(n).randbytes(120 * 120 * 3)  # a photo's bytes do not compress
        doc = pymupdf.open()
        page = doc.new_page()
        page.insert_text((72, 72), f"Photo {n} préfecture")
        photo = pymupdf.Pixmap(pymupdf.csRGB, 120, 120, noise, False)
        page.insert_image(pymupdf.Rect(72, 100, 312, 340), pixmap=photo)
        paths.append(folder / f"photo-{n}.pdf")
        doc.save(paths[-1], deflate=True)
        doc.close()
    return paths


@pytest.mark.parametrize("files", [_notes, _photos], ids=["a few notes", "photos of a page"])
def test_a_batch_whose_text_is_too_small_for_the_workers_starts_none(
    workspace: Workspace, tmp_path: Path, workers: None, files: Callable[..., list[Path]]
) -> None:
    # Starting the two workers costs them CPU (and the app a core on a 2-core laptop) for a
    # batch whose text would never reach them (`PARALLEL_MIN_BYTES`), however many bytes its
    # files hold: `dossier import` of a few notes, or of a few PDFs that are mostly pictures.
    analysed_module.shutdown()
    case = workspace.cases.create("Notes").id
    paths = files(tmp_path / "in", 3, 20) if files is _notes else files(tmp_path / "in", 3)
    if files is _photos:
        assert sum(p.stat().st_size for p in paths) > analysed_module.PARALLEL_MIN_BYTES
    outcomes = workspace.documents.import_many(case, paths, ocr=False)
    assert all(o.document is not None for o in outcomes)
    assert analysed_module._pool is None, "a batch of little text started the index workers"
    assert len(workspace.search.query("préfecture", case=case)) == 3


def test_a_batch_whose_files_hold_enough_text_starts_them_before_its_pages(
    workspace: Workspace, tmp_path: Path, workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    analysed_module.shutdown()
    monkeypatch.setattr(analysed_module, "PARALLEL_MIN_BYTES", 1000)
    case = workspace.cases.create("Notes").id
    pools: dict[str, object] = {}
    # The pool as each file is read: started once the first file's text reached the
    # threshold, before the second is read, not by the pages' commit (one group, at the end).
    workspace.documents.import_many(
        case,
        _notes(tmp_path / "in", 2, 100),
        ocr=False,
        progress=lambda _fraction, message: pools.setdefault(message, analysed_module._pool),
    )
    assert pools["note-0.txt: reading note-0.txt"] is None
    assert pools["note-1.txt: reading note-1.txt"] is not None


def test_a_batch_is_with_the_workers_while_its_pending_marker_is_synced(
    tmp_path: Path, workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The marker's syncs (a disk's wait, tens of milliseconds on a busy one) no longer delay
    the workers: they build the batch's segments meanwhile (they write nothing, so a crash
    before the marker is on disk loses nothing). The marker waits here until a worker has
    built a part: had the batch not been handed first, it would wait in vain."""
    from dossier.search.pending import PendingWriter

    lent: list[analysed_module.Lent] = []
    real_lent, real_mark = analysed_module.Lent, PendingWriter.mark

    def record(*args: Any, **kwargs: Any) -> analysed_module.Lent:
        lent.append(real_lent(*args, **kwargs))
        return lent[-1]

    def mark(self: PendingWriter) -> None:
        built_meanwhile = bool(lent) and lent[-1].ready(60.0)
        real_mark(self)
        assert built_meanwhile, "the batch reached the workers only after the marker"

    monkeypatch.setattr(facade_module, "Lent", record)
    monkeypatch.setattr(PendingWriter, "mark", mark)
    built_module.start_workers()
    items = _items(60)
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        index.replace_documents_soon([], items)
        assert (tmp_path / "ix" / "dossier-index.pending").exists()
        index.flush()
        assert index.count() == 60
        assert not (tmp_path / "ix" / "dossier-index.pending").exists()


def test_a_marker_the_disk_refuses_leaves_no_batch_behind(
    tmp_path: Path, workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dossier.search.pending import PendingWriter

    def full(self: PendingWriter) -> None:
        raise EnvironmentFailure("the disk is full")

    items = _items(60)
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        monkeypatch.setattr(PendingWriter, "mark", full)
        with pytest.raises(EnvironmentFailure):
            index.replace_documents_soon([], items)
        assert not index._queued
        monkeypatch.undo()
        index.replace_documents([], items[:3])
        assert index.count() == 3


def test_a_commit_of_segments_the_workers_built_writes_no_empty_segment(
    tmp_path: Path, workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer that publishes the workers' segments adds no page itself: it writes no
    segment of its own (Whoosh made an empty one's files and its temp folder, then deleted
    them after the commit), and every file it writes is one the index keeps."""
    from dossier.search.blockfile import SealedBlockFile
    from dossier.search.storage import EncryptedStorage

    written: list[Path] = []
    folders: list[Path] = []
    real_init, real_create = SealedBlockFile.__init__, EncryptedStorage.create

    def record(self: SealedBlockFile, path: Path, *args: Any, **kwargs: Any) -> None:
        written.append(path)
        real_init(self, path, *args, **kwargs)

    def create(self: EncryptedStorage) -> EncryptedStorage:
        folders.append(self.folder)
        return real_create(self)

    items = _items(60)
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        index.replace_documents_soon([], items[:30])
        index.flush()
        monkeypatch.setattr(SealedBlockFile, "__init__", record)
        monkeypatch.setattr(EncryptedStorage, "create", create)
        index.replace_documents_soon(["d0"], items[30:] + items[:3])  # d0 replaced
        index.flush()
        assert index.count() == 60
        assert [h.item_id for h in index.search("mot1x")] == ["d0:1"]
    kept = {path.name for path in (tmp_path / "ix").iterdir()}
    made = {path.name for path in written}
    drafts = {name for name in made if ".toc." in name or name == "dossier-index.pending"}
    assert made - drafts <= kept, f"written, then deleted: {sorted(made - drafts - kept)}"
    assert any(name.endswith(".seg") for name in made), "the workers' segments"
    assert folders == [], "no temp folder for a writer that adds no page"
