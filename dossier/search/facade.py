"""The search facade: one sealed Whoosh index per case; nothing else in Dossier imports Whoosh.

The index is derived data. `SearchIndex.open` never fails on a missing, damaged or outdated
index: it starts an empty one and sets `needs_rebuild` (with `rebuild_reason`) so the caller
feeds `rebuild` from the catalog. Damage found later, while searching, raises `IndexDamaged`
(a `CorruptData`) and sets the same flag.

Writes are group-committed (`pending.py`): they gather in one open writer, committed every
few seconds, by size, before any read and on close, never per document.

Pitfalls handled here: `searcher.refresh()` is never called (after an automatic merge it
returned merged-away segments); a fresh searcher is opened after every commit instead. Whoosh's
multi-process writer is not used (`procs=1`: it hung when a child failed); instead worker
processes build a large batch's whole segments in memory (`built.py`) and the app writes them
sealed and adds them at its next commit; too many segments are merged by a worker
(`merging.py`). Workers write nothing.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from whoosh.index import EmptyIndexError, clean_files

from dossier.errors import CorruptData, DossierError, UsageError
from dossier.i18n import _
from dossier.jobs import CancelToken, Progress, check, report
from dossier.search.analysed import (
    PARALLEL_MIN_BYTES,
    Analysed,
    Background,
    Lent,
    analyse_all,
    large,
    worker_count,
    workers_running,
    write,
)
from dossier.search.built import BuiltSegment, build_segment, parts
from dossier.search.candidates import candidate_query
from dossier.search.codec import index_codec
from dossier.search.execute import Runner
from dossier.search.folder import (
    DAMAGE,
    IndexUnfinished,
    committed_files,
    fresh_index,
    open_existing,
    remove_stale_siblings,
)
from dossier.search.hits import Found, PageTexts, make_hits
from dossier.search.merging import Merger
from dossier.search.model import Hit, IndexItem, SearchFilters
from dossier.search.pending import PENDING_NAME, PendingWriter, abandon, read_marker, weak_call
from dossier.search.postings import PostingsCache
from dossier.search.query import ParsedQuery, filter_query, parse_query
from dossier.search.schema import INDEX_NAME, build_schema
from dossier.search.storage import EncryptedStorage

WRITER_LIMIT_MB = 64
LENT_BYTES = 1024 * 1024
"""Text from which a batch written in the background is cut into more parts than workers."""
QUEUED_MAX = 8
"""Batches left with the workers before an import's next one waits for the oldest (its thread
then takes the parts no worker has started): the workers yield a core to the app, and on a
loaded machine the text queued for them would grow with the import."""
CLOSE_WAIT = 3.0
"""Seconds closing waits for batches still with the worker processes."""
UNFINISHED = "an interrupted build of the search index is done again"
"""The rebuild reason of an index killed before its stamp: fsck does not count it as damage."""
"""Memory for the writer's posting pool before it spills (sealed) runs to disk."""
_CHECK_EVERY = 25
"""Items between two cancel checks and progress reports."""

_PAGES_ONLY = filter_query(SearchFilters(item_types=("page",)))
log = logging.getLogger(__name__)


class IndexDamaged(CorruptData):
    """The index of a case cannot be read: rebuild it from the catalog."""


class IndexClosed(DossierError):
    """A search reached an index closed meanwhile (its case deleted or re-encrypted, an update
    that failed, the vault locked), whose files may be gone: the case's index as it is now is
    the one to search, never this one read or rebuilt again."""


def _closed_error() -> IndexClosed:
    return IndexClosed(_("the search index of this case was closed meanwhile: search again"))


_OUTRUN_RETRIES = 20
"""How many newer generations a reader follows before it lets the last failure through."""

FREE_WAIT_S = 0.2
"""How long a search that must not wait (`flush_if_free`) gives a writer to finish."""


class SearchIndex:
    """The full-text index of one case. Thread-safe: searches may run during a write."""

    def __init__(self, folder: Path, key: bytes, case_id: str, reason: str | None) -> None:
        self.folder = folder
        self.case_id = case_id
        self._key = key
        self._schema = build_schema()
        self._storage = EncryptedStorage(folder, key, context=case_id)
        self._ix: Any = None
        self._searcher: Any = None
        self._runner: Runner | None = None
        self._postings = PostingsCache()
        self._read_lock = threading.RLock()
        self._write_lock = threading.Lock()
        self.needs_rebuild = reason is not None
        self.rebuild_reason = reason
        self.writer_limit_mb = WRITER_LIMIT_MB
        self._queued: list[tuple[list[str], Background[list[IndexItem], BuiltSegment], bool]] = []
        """Batches whose segments the workers build, written before anything else touches the
        index."""
        self._gathered: list[tuple[list[str], list[IndexItem]]] = []
        """An import's small batches, while the workers run: handed to them as one part once
        they hold `PARALLEL_MIN_BYTES` of text, or before anything else touches the index
        (`_hand_gathered`)."""
        self._gathered_ids: set[str] = set()
        self.small_to_workers = False
        """Whether an import's small batches go to the workers too (`replace_documents_soon`):
        set where a window shares the process (`SearchService.spare_the_window`). The `dossier`
        command leaves them here: the workers yield a core to the app, and on a loaded machine
        (bench_batch's mailbox, load 17) they were slower to import than the app alone."""
        self._gathered_bytes = 0
        self._gathered_new = True
        """Whether every batch gathered is of new documents (`replace_documents_soon`)."""
        self._merger = Merger(self._storage)
        self._merge_checked = False
        self._closed = False
        self.page_texts: PageTexts | None = None
        """Where the texts of page hits come from, for their snippets (pages' texts are not
        stored in the index: the catalog has them)."""
        self.importers = 0
        """Imports under way into the case (`SearchService.importing`): a search that must not
        wait leaves their writes to the pending writer's timer (`flush_if_free`)."""
        self.pending_since: datetime | None = None
        """Set when a crash interrupted uncommitted work begun then: redo it from the catalog."""
        self._pending = PendingWriter(
            self._storage,
            weak_call(self._open_writer),
            weak_call(self._committed),
            weak_call(self._commit_if_due),
            self._merger.policy,
        )

    @classmethod
    def open(cls, folder: Path, key: bytes, case_id: str) -> SearchIndex:
        """Open the case's index, or start an empty one and flag it for a rebuild."""
        folder = Path(folder)
        remove_stale_siblings(folder)
        storage = EncryptedStorage(folder, key, context=case_id)
        reason: str | None = None
        ix: Any = None
        if not storage.list():
            reason = "the search index is missing"
        else:
            storage.remove_leftovers()
            try:
                ix = open_existing(storage, case_id)
                # What a crash or a refused commit left that no table of contents names (a
                # segment written for a commit that never came, a merge's result, an older
                # table of contents): its words are deleted now, not at a next commit that a
                # session only searching never makes.
                clean_files(storage, INDEX_NAME, ix.latest_generation(), ix._segments())
            except IndexUnfinished:
                reason = UNFINISHED
            except DAMAGE as exc:
                reason = f"the search index is damaged ({exc})"
        index = cls(folder, key, case_id, reason)
        if ix is not None:
            index.pending_since = read_marker(storage)
            index._pending.keep_marker = index.pending_since is not None
        index._ix = ix if ix is not None else fresh_index(index._storage, case_id)
        return index

    @staticmethod
    def verify_folder(folder: Path, key: bytes, case_id: str) -> None:
        """`verify` for an index this process has not opened, read only: every file its
        latest table of contents names is decrypted, and nothing is removed (opening removes
        what no table names, which may be the segments of a commit a writer is about to make).
        Raises IndexDamaged; a missing or unfinished index is not damage."""
        storage = EncryptedStorage(Path(folder), key, context=case_id)
        if not storage.list():
            return
        try:
            ix = open_existing(storage, case_id)
            # The marker of uncommitted work is not index content (unreadable, the next open
            # re-indexes what changed lately), and a writer may be writing it in place.
            storage.verify([n for n in committed_files(storage, ix) if n != PENDING_NAME])
        except IndexUnfinished:
            return
        except DAMAGE as exc:
            raise IndexDamaged(
                _("The search index of this case is damaged ({exc}).").format(exc=exc)
            ) from exc

    # -- writing -------------------------------------------------------------------------

    def _write(self, ix: Any, work: Callable[[Any], int]) -> int:
        writer = ix.writer(limitmb=self.writer_limit_mb, procs=1, codec=index_codec())
        try:
            count = work(writer)
            writer.commit()
        except BaseException:
            abandon(writer)
            raise
        return count

    def _open_writer(self) -> Any:
        return self._ix.writer(limitmb=self.writer_limit_mb, procs=1, codec=index_codec())

    def _checked(self, items: Iterable[IndexItem], cancel: CancelToken | None) -> list[IndexItem]:
        checked: list[IndexItem] = []
        for item in items:
            if len(checked) % _CHECK_EVERY == 0:
                check(cancel)
            if item.case_id != self.case_id:
                raise UsageError(
                    _("item {item_id} belongs to another case").format(item_id=item.item_id)
                )
            checked.append(item)
        return checked

    def _analysed(
        self,
        items: Iterable[IndexItem],
        progress: Progress | None,
        cancel: CancelToken | None,
        total: int | None,
    ) -> Iterator[Analysed]:
        """Each item analysed (`analysed.py`: in worker processes for a large batch), in
        order, with cancel checks and progress."""
        checked = self._checked(items, cancel)
        count = 0
        report(progress, 0.0, _("indexing: {count} items").format(count=count))
        for chunk in analyse_all(checked, cancel):
            yield from chunk
            count += len(chunk)
            fraction = 0.9 * count / len(checked)
            report(progress, fraction, _("indexing: {count} items").format(count=count))
        check(cancel)

    def _feed(
        self,
        writer: Any,
        items: Iterable[IndexItem],
        progress: Progress | None,
        cancel: CancelToken | None,
        total: int | None,
    ) -> int:
        count = 0
        for analysed in self._analysed(items, progress, cancel, total):
            write(writer, analysed)
            count += 1
        report(progress, 0.9, _("saving the index ({count} items)").format(count=count))
        return count

    def add(
        self,
        items: Iterable[IndexItem],
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
        total: int | None = None,
    ) -> int:
        """Index new items; on cancel none of them is kept. Returns the count."""
        return self.replace_documents((), items, progress, cancel, total, replace=False)

    def update(
        self,
        items: Iterable[IndexItem],
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
        total: int | None = None,
    ) -> int:
        """Index items, replacing any indexed item with the same `item_id`."""
        return self.replace_documents((), items, progress, cancel, total, replace=True)

    def replace_documents(
        self,
        doc_ids: Iterable[str],
        items: Iterable[IndexItem],
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
        total: int | None = None,
        *,
        replace: bool = True,
        edit: bool = True,
        new: bool = False,
    ) -> int:
        """Remove every item of `doc_ids`, then index `items`, all in the same commit.

        The items are analysed before anything is written: a cancel leaves the index as it was.
        `edit`: the user's change (not an import's new documents), which a search commits.
        `new`: items of documents the index cannot hold yet (`replace_documents_soon`).
        """
        doomed = list(doc_ids)
        checked = self._checked(items, cancel)
        if not _in_workers(checked):
            documents = list(self._analysed(checked, progress, cancel, total))
            with self._write_lock:
                self._drain()
                self._write_analysed(doomed, documents, replace and not new, progress, not new)
                if edit:
                    self._pending.edited()
        else:
            built = self._built(checked, progress, cancel)
            with self._write_lock:
                self._drain()
                self._write_built(doomed, built, replace and not new, checked, not new)
                if edit:
                    self._pending.edited()
        report(progress, 1.0, _("index up to date ({n} items)").format(n=len(checked)))
        return len(checked)

    def _built(
        self, items: list[IndexItem], progress: Progress | None, cancel: CancelToken | None
    ) -> list[BuiltSegment]:
        """The items' segments, built by the worker processes (all or none: on cancel, the
        ones built are dropped)."""
        background = Background(parts(items, worker_count()), build_segment)
        built: list[BuiltSegment] = []
        report(progress, 0.0, _("indexing: {count} items").format(count=0))
        try:
            for segment in background.results(cancel):
                built.append(segment)
                count = sum(len(b.doc_ids) for b in built)
                report(
                    progress,
                    0.9 * len(built) / len(background.parts),
                    _("indexing: {count} items").format(count=count),
                )
            check(cancel)
        except BaseException:
            background.cancel()
            raise
        return built

    def replace_documents_soon(
        self,
        doc_ids: Iterable[str],
        items: Iterable[IndexItem],
        *,
        new: bool = False,
        lent: Lent[list[IndexItem], BuiltSegment] | None = None,
    ) -> None:
        """`replace_documents` for an import that goes on meanwhile: a large batch is analysed
        by the worker processes in the background and written at this index's next write,
        read, flush or close (a crash before that loses nothing: the pending marker is written
        first, and the next open re-indexes the documents changed since).

        `new`: the items are of documents just created, which the index cannot hold yet:
        nothing of theirs is looked for to delete, and no marker is written for them (a file
        created and synced, then deleted, at each batch of an import): a crash before their
        commit leaves them missing from the index, and the next open's comparison with the
        catalog indexes every missing document (`SearchService`'s reconciliation).

        `lent`: these items, already handed to the workers by `lend` (before the catalog
        committed them).

        While an import runs and the workers are up, a small batch goes to them too, gathered
        with the next ones: analysed and written here (a group of 100 small files in the app),
        it held the GIL 2.5 s over 10,000 files and the timer's commits of what it wrote 1.7 s
        more, in bursts that the window's thread waited behind."""
        doomed = list(doc_ids)
        checked = self._checked(items, None)
        if not _in_workers(checked):
            if not (self.importers and self.small_to_workers and workers_running()):
                self.replace_documents(doomed, checked, edit=False, new=new)
                return
            with self._write_lock:
                self._gather(doomed, checked, new)
                self._keep_up()
            return
        with self._write_lock:
            self._hand_gathered()  # before this batch: written in the order they came
            # Handed to the workers first: they build segments while the marker is synced (a
            # disk's wait), and write nothing (the segments are written here, after it).
            background = lent if lent is not None else lend(checked)
            try:
                if not new:
                    self._pending.mark()
            except BaseException:
                background.cancel()
                raise
            self._queued.append((doomed, background, new))
            self._count_waiting()

    def _gather(self, doomed: list[str], items: list[IndexItem], new: bool) -> None:
        """Keep a small batch for the workers, with the ones before it unless it touches
        their documents (one write deletes `doomed` before it adds: a document of an earlier
        batch replaced in a later one would be added twice)."""
        touched = set(doomed) | {item.doc_id for item in items}
        if not touched.isdisjoint(self._gathered_ids):
            self._hand_gathered()
        if not new:
            self._pending.mark()
        self._gathered_new = self._gathered_new and new
        self._gathered.append((doomed, items))
        self._gathered_ids |= touched
        self._gathered_bytes += sum(len(item.text) for item in items)
        if self._gathered_bytes >= PARALLEL_MIN_BYTES:
            self._hand_gathered()
        self._count_waiting()

    def _hand_gathered(self) -> None:
        """The small batches gathered, handed to the workers as one batch (the write lock is
        held)."""
        if not self._gathered:
            return
        gathered, self._gathered = self._gathered, []
        new, self._gathered_new = self._gathered_new, True
        self._gathered_ids, self._gathered_bytes = set(), 0
        doomed = [doc_id for batch, _items in gathered for doc_id in batch]
        items = [item for _doomed, batch in gathered for item in batch]
        self._queued.append((doomed, Lent([items], build_segment), new))
        self._count_waiting()

    def _keep_up(self) -> None:
        """During an import, after each batch: what the workers handed back is written (its
        pages become searchable at the next commit), and past `QUEUED_MAX` batches queued
        the oldest are waited for."""
        self._drain(None, hand=False, leave=QUEUED_MAX)
        self._drain(0.0, keep_late=True, hand=False)

    def _count_waiting(self) -> None:
        self._pending.waiting = len(self._queued) + (1 if self._gathered else 0)

    def _drain(
        self,
        wait: float | None = None,
        *,
        keep_late: bool = False,
        hand: bool = True,
        leave: int = 0,
    ) -> None:
        """Write the batches analysed in the background, in the order they came (the write
        lock is held), the ones gathered first handed to the workers unless `hand` is False.
        With `wait`, seconds: the batches the workers have not handed back by then are
        dropped, their marker kept for the next open, or with `keep_late` left queued for a
        later write. `leave`: batches left queued (the newest)."""
        if hand:
            self._hand_gathered()
        deadline = None if wait is None else time.monotonic() + wait
        while len(self._queued) > leave:
            doomed, background, new = self._queued[0]
            if deadline is not None and not background.ready(deadline - time.monotonic()):
                if not keep_late:
                    self._abandon_queued()
                return
            self._queued.pop(0)
            try:
                built = list(background.results())
            except BaseException:
                background.cancel()
                self._pending.keep_marker = True  # redone from the catalog by the next open
                raise
            finally:
                self._count_waiting()
            items = [item for part in background.parts for item in part]
            self._write_built(doomed, built, not new, items, not new)

    def _abandon_queued(self) -> None:
        for _doomed, background, _new in self._queued:
            background.cancel()
        if self._queued or self._gathered:
            self._pending.keep_marker = True
        self._queued.clear()
        self._gathered, self._gathered_ids, self._gathered_bytes = [], set(), 0
        self._gathered_new = True
        self._pending.waiting = 0

    def _write_analysed(
        self,
        doomed: list[str],
        documents: list[Analysed],
        replace: bool,
        progress: Progress | None,
        mark: bool,
    ) -> None:
        def add(writer: Any) -> None:
            for number, analysed in enumerate(documents):
                if number % _CHECK_EVERY == 0:
                    message = _("saving the index ({number} items)").format(number=number)
                    report(progress, 0.9, message)
                write(writer, analysed)
                self._pending.wrote(analysed.doc_id, analysed.size)

        doc_ids = {analysed.doc_id for analysed in documents}
        replaced = [analysed.item_id for analysed in documents] if replace else []
        self._replace(doomed, doc_ids, replaced, add, mark=mark)

    def _write_built(
        self,
        doomed: list[str],
        built: list[BuiltSegment],
        replace: bool,
        items: list[IndexItem],
        mark: bool,
    ) -> None:
        def add(_writer: Any) -> None:
            for segment in built:
                self._pending.add_built(segment, mark=mark)

        replaced = [item.item_id for item in items] if replace else []
        self._replace(doomed, {item.doc_id for item in items}, replaced, add, mark=mark)

    def _replace(
        self,
        doomed: list[str],
        doc_ids: set[str],
        replaced: list[str],
        add: Callable[[Any], None],
        *,
        mark: bool = True,
    ) -> None:
        """In the open writer: remove the documents `doomed` and the items `replaced`, then
        `add` (the write lock is held); `mark`: see `PendingWriter.writer`."""
        if self._pending.holds(set(doomed) | doc_ids):
            self._commit_pending()  # Whoosh deletes only committed documents
        try:
            writer = self._pending.writer(mark=mark)
            for doc_id in doomed:
                writer.delete_by_term("doc_id", doc_id)
            if replaced:
                _delete_items(writer, replaced)
            add(writer)
            if self._pending.due():
                self._commit_pending()
        except BaseException:
            self._pending.cancel()
            raise

    def remove(self, doc_ids: Iterable[str]) -> None:
        """Remove every item of these documents."""
        self._delete("doc_id", doc_ids)

    def remove_items(self, item_ids: Iterable[str]) -> None:
        self._delete("item_id", item_ids)

    def _delete(self, fieldname: str, values: Iterable[str]) -> None:
        doomed = list(values)
        if not doomed:
            return
        with self._write_lock:
            # An item id starts with its document id when it is a page ("doc:3"): commit
            # whatever is pending first, deletes are rare.
            self._drain()
            self._commit_pending()
            try:
                writer = self._pending.writer()
                for value in doomed:
                    writer.delete_by_term(fieldname, value)
                self._pending.edited()
            except BaseException:
                self._pending.cancel()
                raise

    def flush(self) -> None:
        """Commit pending writes now (reads do it themselves)."""
        with self._write_lock:
            self._drain()
            self._commit_pending()

    def flush_if_free(self) -> None:
        """`flush` without waiting: only if no writer holds the index now, and only the
        batches the workers have handed back (the others stay queued). What a search typed
        during an import does: it answers from what is committed instead of waiting for the
        import's writes and workers (seconds, unbounded). A writer done within
        `FREE_WAIT_S` (the timer's commit of a few edits) is waited for, and a few edits are
        committed: an edit just made is found. While an import runs, its writes are left to
        the timer, unless the user's edits wait with them (a document deleted meanwhile was
        found until the timer's commit); once it has ended, the search commits them."""
        if not self._write_lock.acquire(timeout=FREE_WAIT_S):
            return
        try:
            # Once the import has ended, what it left with the workers is waited for (the
            # caller takes the parts none has started): what was imported is found.
            self._drain(0.0 if self.importers else None, keep_late=True)
            if not self.importers or self._pending.small() or self._pending.holds_edits:
                self._commit_pending()
        finally:
            self._write_lock.release()

    def _commit_pending(self) -> None:
        # A commit the disk refuses drops the pending work; its marker stays on disk, so the
        # next open redoes it, and this session rebuilds the index at its next use.
        try:
            self._pending.commit()
        except DossierError:
            self.needs_rebuild = True
            self.rebuild_reason = "an update of the search index could not be written"
            raise

    def _commit_if_due(self) -> None:
        # Called by the pending writer's timer, in its own thread: a failure there has no
        # caller to reach, and is handled as above (never a traceback in a thread).
        with self._write_lock:
            if self._pending.due():
                try:
                    self._commit_pending()
                except DossierError as exc:
                    log.info("index commit failed (%s): rebuilt at next use", type(exc).__name__)

    def pending_redone(self) -> None:
        """The caller re-indexed what a crash left pending: the marker may go."""
        with self._write_lock:
            self.pending_since = None
            self._pending.keep_marker = False
            if not self._pending.open:
                self._pending.forget_marker()

    def rebuild(
        self,
        items: Iterable[IndexItem],
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
        total: int | None = None,
    ) -> int:
        """Build a new index beside the old one and swap them; on cancel the old one stays."""
        token = os.urandom(6).hex()
        fresh_folder = self.folder.parent / f"{self.folder.name}.rebuild-{token}"
        fresh = EncryptedStorage(fresh_folder, self._key, context=self.case_id)
        with self._write_lock:
            self._drain()
            self._commit_pending()  # a cancelled rebuild keeps the old index, complete
            try:
                ix = fresh_index(fresh, self.case_id)
                count = self._write(ix, lambda w: self._feed(w, items, progress, cancel, total))
            except BaseException:
                fresh.destroy()
                raise
            with self._read_lock:
                self._drop_searcher()
                old_folder = self.folder.parent / f"{self.folder.name}.old-{token}"
                if self.folder.exists():
                    os.replace(self.folder, old_folder)
                os.replace(fresh_folder, self.folder)
                shutil.rmtree(old_folder, ignore_errors=True)
                self._ix = self._storage.open_index(INDEX_NAME, schema=self._schema)
                self._postings.clear()
                self.needs_rebuild = False
                self.rebuild_reason = None
                self.pending_since = None
                self._pending.keep_marker = False
            report(progress, 1.0, _("index rebuilt ({count} items)").format(count=count))
        return count

    # -- reading -------------------------------------------------------------------------

    def _committed(self) -> None:
        """After each commit: searches see it, and too many segments start a merge."""
        self._drop_searcher()
        if not self._closed:
            segments = self._pending.committed
            if segments is None:
                segments = self._ix._segments()
            self._merger.plan(segments, weak_call(self._merge_done))

    def merge_if_fragmented(self) -> None:
        """Start merging now if the index holds more segments than a commit leaves: an import
        closed before its merges were done (`dossier import`) left them, and a session that
        only searches never commits to plan a merge. In a thread: the segments merged are
        read (decrypted) for the worker, not on the way to a search's answer.

        The segments are counted under the writer's lock, taken only if it is free: read beside
        a commit (an import's, a merge's), the table of contents listed can be deleted before
        it is opened, and the search failed with "the search index is missing". A busy writer's
        commit plans the merges itself; the check is made again at a later search."""
        if self._merge_checked or not self._write_lock.acquire(blocking=False):
            return
        try:
            if self._closed:
                return
            self._merge_checked = True
            wanted = self._merger.wanted(self._ix._segments())
        except DossierError as exc:
            log.info("index merge not checked (%s)", type(exc).__name__)
            return
        finally:
            self._write_lock.release()
        if wanted:
            threading.Thread(
                target=weak_call(self._plan_merge), name="index-merge", daemon=True
            ).start()

    def _plan_merge(self) -> None:
        with self._write_lock:
            if not self._closed and not self._pending.open and not self._queued:
                try:
                    self._merger.plan(self._ix._segments(), weak_call(self._merge_done))
                except (DossierError, EmptyIndexError) as exc:
                    # Damaged, or the case deleted meanwhile: the next search says which.
                    log.info("index merge not planned (%s)", type(exc).__name__)

    def _merge_done(self) -> None:
        # Called in the pool's thread: the merge is swapped in by a commit of its own thread.
        threading.Thread(
            target=weak_call(self._apply_merge), name="index-merge", daemon=True
        ).start()

    def _apply_merge(self) -> None:
        with self._write_lock:
            if self._closed or not self._merger.ready or self._pending.open:
                return  # the open writer's commit swaps it in
            try:
                self._pending.writer()
                self._commit_pending()
            except DossierError as exc:
                log.info("index merge failed (%s): rebuilt at next use", type(exc).__name__)

    def _drop_searcher(self) -> None:
        with self._read_lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
                self._runner = None

    def _current_searcher(self) -> Any:
        # Under the read lock, which `close` waits for: a search begun before it ends first.
        if self._closed:
            raise _closed_error()
        if self._searcher is None:
            self._searcher = self._open_searcher()
        return self._searcher

    def _open_searcher(self) -> Any:
        # A commit of another thread (a background merge, the pending writer's timer) may delete
        # the table of contents or a segment this reader was about to open: it writes its newer
        # table first, so a file missing while the generation moved on is retried on the newer
        # one. Missing with no newer generation, it is damage.
        for _attempt in range(_OUTRUN_RETRIES):
            generation = self._ix.latest_generation()
            try:
                return self._ix.searcher()
            except CorruptData:
                if self._ix.latest_generation() == generation:
                    raise
        return self._ix.searcher()

    def generation(self) -> int:
        """How many commits the index has seen (its table of contents' generation)."""
        return int(self._ix.latest_generation())

    def count(self) -> int:
        """Items in the index (deleted ones excluded)."""
        self.flush()
        with self._read_lock:
            return int(self._current_searcher().doc_count())

    def doc_ids(self) -> set[str]:
        """Document ids with at least one live item (used to reconcile with the catalog)."""
        self.flush()
        with self._read_lock:
            searcher = self._current_searcher()
            found: set[str] = set()
            # Segment by segment: one without deletions holds a live item of each of its ids
            # (a lookup per id across every segment cost ~0.1 s at 50,000 pages).
            for reader, _offset in searcher.reader().leaf_readers():
                for term in reader.field_terms("doc_id"):
                    if not reader.has_deletions() or reader.postings("doc_id", term).is_active():
                        found.add(term.decode("utf-8") if isinstance(term, bytes) else str(term))
            return found

    def doc_versions(self) -> dict[str, set[str]]:
        """The versions (`IndexItem.version`) of each document with a live item: one, unless
        its items were written at different times (an index made of old and new parts)."""
        self.flush()
        with self._read_lock:
            found: dict[str, set[str]] = {}
            for reader, _offset in self._current_searcher().reader().leaf_readers():
                for term in reader.field_terms("doc_version"):
                    if (
                        reader.has_deletions()
                        and not reader.postings("doc_version", term).is_active()
                    ):
                        continue
                    text = term.decode("utf-8") if isinstance(term, bytes) else str(term)
                    doc_id, _sep, version = text.rpartition(" ")
                    found.setdefault(doc_id, set()).add(version)
            return found

    def doc_item_counts(self) -> dict[str, int]:
        """The live items of each document: a document indexed twice holds twice its pages,
        under the version the catalog gives it, which `doc_versions` alone cannot tell."""
        self.flush()
        with self._read_lock:
            counts: dict[str, int] = {}
            for reader, _offset in self._current_searcher().reader().leaf_readers():
                deletions = reader.has_deletions()
                # A term's count of documents is in its entry, deleted ones included: only a
                # segment with deletions has its postings read.
                for term, info in reader.iter_field("doc_id"):
                    if deletions:
                        count = sum(1 for _ in reader.postings("doc_id", term).all_ids())
                    else:
                        count = info.doc_frequency()
                    doc_id = term.decode("utf-8") if isinstance(term, bytes) else str(term)
                    counts[doc_id] = counts.get(doc_id, 0) + count
            return counts

    def parse(self, text: str) -> ParsedQuery:
        return parse_query(text, self._schema)

    def search(self, text: str, filters: SearchFilters | None = None, limit: int = 20) -> list[Hit]:
        """Best hits first; a malformed query raises UsageError with one clear sentence."""
        return self.search_parsed(self.parse(text), filters, limit)

    def search_parsed(
        self, parsed: ParsedQuery, filters: SearchFilters | None, limit: int, *, wait: bool = True
    ) -> list[Hit]:
        """With `wait` False, from what is committed if a writer is busy (`flush_if_free`)."""
        if limit < 1:
            raise UsageError(_("ask for at least one search result"))
        if filters is not None and filters.cases and self.case_id not in filters.cases:
            return []
        restrict = filter_query(filters)
        if self._closed:
            raise _closed_error()  # before its flush, which would commit to a removed folder
        if wait:
            self.flush()
        else:
            self.flush_if_free()
        with self._read_lock:
            try:
                found = self._run(parsed, restrict, limit)
            except CorruptData:
                # A searcher opened before a commit may miss files that commit deleted: retry
                # once with a fresh one before calling the index damaged.
                self._drop_searcher()
                try:
                    found = self._run(parsed, restrict, limit)
                except CorruptData as exc:
                    raise self._damaged(exc) from exc
        self.merge_if_fragmented()
        return make_hits(found, parsed, self.page_texts, self.case_id)

    def _damaged(self, exc: CorruptData) -> IndexDamaged:
        """Mark the index for a rebuild and say so; the caller raises what this returns."""
        self._drop_searcher()
        self.needs_rebuild = True
        self.rebuild_reason = f"the search index is damaged ({exc})"
        return IndexDamaged(
            _("The search index of this case is damaged and must be rebuilt ({exc}).").format(
                exc=exc
            )
        )

    def _current_runner(self) -> Runner:
        searcher = self._current_searcher()
        if self._runner is None or self._runner.searcher is not searcher:
            self._runner = Runner(searcher, self._postings)
        return self._runner

    def _run(self, parsed: ParsedQuery, restrict: Any, limit: int) -> list[Found]:
        return self._current_runner().ranked(parsed.query, limit, restrict)

    def warm(self, text: str, limit: int) -> None:
        """Rank `text` once and drop the hits: what a first search reads of the index (term
        dictionaries, postings blocks) is read now. A query that does not parse, or an index
        found damaged, is left for the search itself to report."""
        with self._read_lock:
            try:
                self._run(self.parse(text), None, limit)
            except (CorruptData, UsageError):
                self._drop_searcher()

    def candidate_pages(self, text: str, limit: int) -> list[tuple[str, int]]:
        """(document id, page index) of the pages most likely to hold the quote `text`, best
        first (`candidates.py`): where to anchor it in a case too big to anchor everywhere."""
        self.flush()
        with self._read_lock:
            try:
                runner = self._current_runner()
                q = candidate_query(runner.searcher, text)
                found = [] if q is None else runner.ranked(q, limit, _PAGES_ONLY)
            except CorruptData as exc:
                raise self._damaged(exc) from exc
        return [(f["doc_id"], f["page_index"]) for _score, f, _parts in found]

    # -- upkeep --------------------------------------------------------------------------

    def verify(self) -> None:
        """Decrypt every block of every index file; raise IndexDamaged if one fails."""
        self.flush()
        with self._write_lock, self._read_lock:
            if self._closed:
                raise _closed_error()
            try:
                self._storage.verify()
            except CorruptData as exc:
                self.needs_rebuild = True
                self.rebuild_reason = f"the search index is damaged ({exc})"
                raise IndexDamaged(
                    _("The search index of this case is damaged ({exc}).").format(exc=exc)
                ) from exc

    def close(self) -> None:
        """Commit and close. Locking does not wait long for the worker processes (a stuck one
        would hold the lock forever): what they have not handed back within `CLOSE_WAIT`
        seconds is left to the next open, which re-indexes it from the catalog."""
        with self._write_lock:
            try:
                self._drain(wait=CLOSE_WAIT)
                self._commit_pending()
            finally:
                self._abandon_queued()
                self._closed = True
                self._merger.drop()
                self._pending.cancel()
                self._drop_searcher()
                self._postings.clear()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def lend(items: list[IndexItem]) -> Lent[list[IndexItem], BuiltSegment]:
    """A large batch handed to the worker processes, which build its segments: cut into more
    parts than workers, so that a wait for it (a search, the end of an import) can take those
    no worker has started. Nothing is written: `replace_documents_soon` takes it into an index,
    or its `cancel` drops it."""
    size = sum(len(item.text) for item in items)
    count = worker_count() * 2 + 1 if size >= LENT_BYTES else worker_count()
    return Lent(parts(items, count), build_segment)


def lent_early(items: list[IndexItem]) -> Lent[list[IndexItem], BuiltSegment] | None:
    """`lend` for a batch the workers would build (`_in_workers`), or None."""
    return lend(items) if _in_workers(items) else None


def _in_workers(items: list[IndexItem]) -> bool:
    """Whether a batch is large enough for the worker processes to build its segments."""
    return worker_count() > 1 and large(items)


def _delete_items(writer: Any, item_ids: list[str]) -> None:
    """Delete the committed items with these ids, with one searcher (`update_document` opens
    one per item)."""
    with writer.searcher() as searcher:
        for docnum in searcher._find_unique([("item_id", item_id) for item_id in item_ids]):
            writer.delete_document(docnum)


def search_many(
    indexes: Iterable[SearchIndex],
    text: str,
    filters: SearchFilters | None = None,
    limit: int = 20,
    *,
    wait: bool = True,
) -> list[Hit]:
    """Search several cases and merge their hits by score (best first).

    Scores come from each case's own statistics: close enough to interleave results, not a
    strict ranking across cases.
    """
    chosen = list(indexes)
    if not chosen:
        return []
    parsed = chosen[0].parse(text)
    hits: list[Hit] = []
    for index in chosen:
        hits.extend(index.search_parsed(parsed, filters, limit, wait=wait))
    hits.sort(key=lambda h: (-h.score, h.case_id, h.item_id))
    return hits[:limit]
