"""Group commit: the writes to a case index gather in one open writer, committed by time or size.

Committing a Whoosh index flushes a segment and merges small ones: done per imported file, it
made a folder of 300 small files 24 times slower to import than indexing their text at once.
So a write never commits by itself: it goes into the open writer, which is committed when
`COMMIT_SECONDS` (or nine times the last commit's duration) have passed since its first write
(by a timer, so pages become searchable while an import goes on), when it holds
`COMMIT_BYTES` of text, before any read of the index, and on close.

The catalog is the source of truth. While a writer holds uncommitted work, a sealed marker
(`dossier-index.pending`, written and synced when the writer opens) records when that work
began; the commit removes it. A crash in between leaves the marker: the next open reports
`pending_since`, and the search service re-indexes every document changed since then (new
documents are found anyway, by comparing the catalog with the index).
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import weakref
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from dossier.errors import CorruptData
from dossier.search.built import BuiltSegment
from dossier.search.storage import EncryptedStorage

COMMIT_SECONDS = 2.0
"""Least time written pages wait before they are searchable."""
COMMIT_SHARE = 0.1
"""Most of an import's time spent committing: a commit that took 0.5 s (it grows with the
index, as merges do) makes the next one wait 5 s, so a large import is not paced by commits."""
COMMIT_BYTES = 32 * 1024 * 1024
"""Text held by an open writer before it is committed (bounds its memory and a commit's cost)."""
SMALL_BYTES = 256 * 1024
"""Most text a search commits itself before answering (a few edits, a note, a small file): more
is an import's, committed by the timer; a search paying for it waited 0.7 s under load, and
committing at every keystroke undid the pacing above."""
PENDING_NAME = "dossier-index.pending"


def read_marker(storage: EncryptedStorage) -> datetime | None:
    """When the uncommitted work a crash interrupted began, or None if nothing was pending."""
    if not storage.file_exists(PENDING_NAME):
        return None
    try:
        with storage.open_file(PENDING_NAME) as marker:
            since = json.loads(marker.read().decode("utf-8"))["since"]
        return datetime.fromisoformat(since)
    except (CorruptData, ValueError, KeyError, TypeError):
        # Unreadable: assume the worst (everything may be stale), the caller re-indexes all.
        return datetime(1970, 1, 1, tzinfo=UTC)


def abandon(writer: Any) -> None:
    """Cancel a Whoosh writer whose work failed: never raises, and always frees the index's
    write lock (a cancel after a failed write can fail again on a closed file, which would
    leave the lock held and every later writer refused)."""
    if writer.is_closed:
        return
    try:
        writer.cancel()
    except Exception:  # the original failure is the one the caller reports
        with contextlib.suppress(Exception):
            writer._tempstorage.destroy()
        lock = getattr(writer, "writelock", None)
        if lock is not None:
            with contextlib.suppress(Exception):
                lock.release()
        writer.is_closed = True


def weak_call(method: Callable[[], Any]) -> Callable[[], Any]:
    """`method`, called through a weak reference: the writer's timer and callbacks must not
    keep an index alive (nor form a cycle, which leaves its open files to the cyclic collector,
    finalized in any order)."""
    ref = weakref.WeakMethod(method)

    def call() -> Any:
        bound = ref()
        return None if bound is None else bound()

    return call


class PendingWriter:
    """The one open writer of an index. Not thread-safe: the index serialises calls to it."""

    def __init__(
        self,
        storage: EncryptedStorage,
        open_writer: Callable[[], Any],
        on_commit: Callable[[], None],
        on_due: Callable[[], None],
        policy: Callable[[Any, list[Any]], list[Any]],
    ) -> None:
        self._storage = storage
        self._open_writer = open_writer
        self._on_commit = on_commit
        self._on_due = on_due
        self._policy = policy
        self._writer: Any = None
        self._built: list[BuiltSegment] = []
        """Segments built by the workers, their files written, that this commit adds."""
        self._doc_ids: set[str] = set()
        self._bytes = 0
        self.holds_edits = False
        """Uncommitted work holds the user's changes (a deletion, an edit), not only an
        import's new documents: a search commits it however large, or it finds what the user
        was told is gone."""
        self._opened_at = 0.0
        self._interval = COMMIT_SECONDS
        self._timer: threading.Timer | None = None
        self._committing: list[BuiltSegment] = []
        self._marked = False
        """Whether the marker was written for the open writer's work."""
        self.keep_marker = False
        """Set while a marker left by a crash still stands for work not redone yet."""
        self.committed: list[Any] | None = None
        """While the commit's listener runs: the segments of the table of contents it wrote
        (read back from the disk, they cost the listener as much as the rest of it)."""
        self.waiting = 0
        """Batches being analysed elsewhere (worker processes), not in the writer yet: a
        commit keeps the marker for them."""

    @property
    def open(self) -> bool:
        return self._writer is not None

    def holds(self, doc_ids: set[str]) -> bool:
        """Whether uncommitted work touches these documents (Whoosh cannot delete it)."""
        return not self._doc_ids.isdisjoint(doc_ids)

    def mark(self) -> None:
        """Write the marker, if none stands: work is under way that a crash would lose."""
        if not self._storage.file_exists(PENDING_NAME):
            stamp = {"since": datetime.now(UTC).isoformat()}
            with self._storage.create_file(PENDING_NAME) as marker:
                marker.write(json.dumps(stamp).encode("utf-8"))

    def writer(self, *, mark: bool = True) -> Any:
        """The open writer (opened if none is), the marker written first unless `mark` is
        False: work whose loss the next open finds by itself (documents new to the index, which
        it then lacks), until work that needs the marker joins the same writer."""
        if mark and not self._marked:
            self.mark()
            self._marked = True
        if self._writer is None:
            self._writer = self._open_writer()
            self._opened_at = time.monotonic()
            self._timer = threading.Timer(self._interval, self._on_due)
            self._timer.daemon = True
            self._timer.start()
        return self._writer

    def wrote(self, doc_id: str, size: int) -> None:
        self._doc_ids.add(doc_id)
        self._bytes += size

    def add_built(self, built: BuiltSegment, *, mark: bool = True) -> None:
        """Write a segment built by a worker (sealed, under its own name; nothing refers to it
        before the commit, and a crash leaves it for the next open or commit to delete);
        `mark`: see `writer`."""
        self.writer(mark=mark)
        self._built.append(built)
        for name, data in sorted(built.files.items()):
            with self._storage.create_file(name) as out:
                out.write(data)
        self._doc_ids.update(built.doc_ids)
        self._bytes += built.size

    def _commit_policy(self, writer: Any, segments: list[Any]) -> list[Any]:
        return self._policy(writer, segments) + [built.segment for built in self._committing]

    def edited(self) -> None:
        """The open writer holds a user's change (see `holds_edits`)."""
        if self._writer is not None:
            self.holds_edits = True

    def small(self) -> bool:
        """Whether the open writer holds only a few edits (no worker's segment, little text):
        a commit a search may make itself without making the user wait for an import."""
        return not self._built and self._bytes <= SMALL_BYTES

    def due(self) -> bool:
        if self._writer is None:
            return False
        return self._bytes >= COMMIT_BYTES or time.monotonic() - self._opened_at >= self._interval

    def commit(self) -> None:
        if self._writer is None:
            return
        writer, self._writer = self._writer, None
        self._committing = self._built
        self._reset()
        started = time.monotonic()
        # The segments the table of contents names, noted as Whoosh writes it: the listener
        # plans merges from them, without reading the table back (decrypted, unpickled).
        written: list[Any] = []
        write_toc = writer._commit_toc

        def commit_toc(segments: list[Any]) -> None:
            write_toc(segments)
            written[:] = segments

        writer._commit_toc = commit_toc
        try:
            writer.commit(mergetype=self._commit_policy)
        except BaseException:
            abandon(writer)  # its segments' files stay: a table of contents may name them
            raise
        finally:
            self._committing = []
        spent = time.monotonic() - started
        self._interval = max(COMMIT_SECONDS, spent * (1 - COMMIT_SHARE) / COMMIT_SHARE)
        if not self.keep_marker and not self.waiting:
            self.forget_marker()
        self.committed = written
        try:
            self._on_commit()
        finally:
            self.committed = None

    def forget_marker(self) -> None:
        if self._storage.file_exists(PENDING_NAME):
            self._storage.delete_file(PENDING_NAME)

    def cancel(self) -> None:
        """Drop uncommitted work (the marker stays, even past later commits: the work must be
        redone from the catalog, by the next open)."""
        writer, self._writer = self._writer, None
        built = self._built
        self._reset()
        if writer is not None:
            self.keep_marker = True
            abandon(writer)
        self._forget_built(built)

    def _forget_built(self, built: list[BuiltSegment]) -> None:
        # Files no table of contents refers to (the next commit would delete them anyway).
        for segment in built:
            for name in segment.files:
                with contextlib.suppress(OSError, ValueError):
                    self._storage.delete_file(name)

    def _reset(self) -> None:
        self._marked = False
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._doc_ids.clear()
        self._built = []
        self._bytes = 0
        self.holds_edits = False
