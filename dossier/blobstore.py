"""Encrypted originals, addressed by a keyed id: `blobs/<case>/<xx>/<HMAC(case key, sha256)>`.

The id deduplicates within a case without letting anyone holding a known document check that it
is in the vault. Files are hashed in one pass and encrypted in a second, streaming in blocks, so
a 500 MB scan is never held in memory.

An original of up to `SMALL` bytes imported in a batch is sealed in the catalog instead
(`Catalog`, rows written in the group's own commit): a file each cost a mailbox of small
messages a create, a write, a sync, a rename and a folder sync apiece, more than indexing them.
Both kinds are read, checked, re-encrypted and removed here by the same id; a vault written
before holds only files, read as ever.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any, Protocol

from dossier.crypto.keys import CaseKeys
from dossier.crypto.sealedfile import SealedReader, SealedWriter
from dossier.errors import CorruptData
from dossier.fsutil import fsync_dir, unnamed_parents
from dossier.i18n import _

IN_MEMORY = 64 << 20
"""Originals up to this size are re-encrypted from memory; larger ones are decrypted twice."""
SMALL = 64 << 10
"""Originals up to this size are sealed in the catalog, not in files (`BlobStore.in_catalog`)."""
SYNC_THREADS = 8
"""Files of a group synced at once (each sync waits on the disk, not on the processor)."""


class _Pool:
    executor: ThreadPoolExecutor | None = None
    lock = threading.Lock()
    """Two imports (or an import and an export) starting together made two pools."""


_pool = _Pool()


def _threads() -> ThreadPoolExecutor:
    """The threads that write, sync and place the originals of every group, kept once made:
    each group started three pools of its own (24 threads, each started and ended under the
    GIL, every start waiting for the new thread to get a core), hundreds of them a minute
    through an import of small files while the window waited for the same GIL."""
    with _pool.lock:
        if _pool.executor is None:
            _pool.executor = ThreadPoolExecutor(SYNC_THREADS, thread_name_prefix="blob-io")
        return _pool.executor


def _on_each(work: Callable[[Any], object], items: Iterable[Any]) -> None:
    """`work` on every item side by side; once all have ended, the first failure is raised
    (none still runs on a file the caller then removes)."""
    futures = [_threads().submit(work, item) for item in items]
    wait(futures)
    for future in futures:
        future.result()


_BLOB_ID = re.compile("[0-9a-f]{64}")


def _ad(case_id: str, blob_id: str) -> bytes:
    return f"blob|{case_id}|{blob_id}".encode()


class Catalog(Protocol):
    """The small originals the catalog holds (`dossier.services.originals`)."""

    def ids(self, case_id: str) -> frozenset[str]: ...
    def read(self, keys: CaseKeys, blob_id: str) -> bytes | None: ...
    def delete(self, case_id: str, blob_id: str) -> None: ...
    def case_ids(self) -> set[str]: ...


def _check_id(keys: CaseKeys, digest: bytes, blob_id: str) -> None:
    """The content whose SHA-256 is `digest` is the blob's: its keyed hash is its id."""
    if keys.blob_id(digest) != blob_id:
        raise CorruptData(_("blob {blob_id} does not match its id").format(blob_id=blob_id[:12]))


class BlobStore:
    def __init__(self, root: Path, catalog: Catalog | None = None) -> None:
        self.root = root
        self.catalog = catalog
        self._cases: dict[str, threading.RLock] = {}
        self._changes: dict[str, int] = {}
        self._cases_lock = threading.Lock()
        self._small: dict[str, tuple[int, frozenset[str]]] = {}
        """Ids of each case's originals in the catalog, with the `_touches` they were read at."""
        self._touches: dict[str, int] = {}

    @contextlib.contextmanager
    def changing(self, case_id: str) -> Iterator[None]:
        """Held by whoever changes which originals a case's rows refer to (a group of imports
        from its duplicate check to its commit, a deletion, a replaced original) until its
        commit and the removal of the files it no longer needs: one original is one file
        however many jobs meet it, so a job that found a file absent, or removed one, must not
        race another that stores the same content (two documents over one file, the second
        deleted with the first's original)."""
        with self._cases_lock:
            lock = self._cases.setdefault(case_id, threading.RLock())
        with lock:
            try:
                yield
            finally:
                with self._cases_lock:
                    self._changes[case_id] = self._changes.get(case_id, 0) + 1

    def changes(self, case_id: str) -> int:
        """How many times the case's originals were held by `changing` in this session: a
        job that looked for originals on disk need not look again if this has not moved."""
        with self._cases_lock:
            return self._changes.get(case_id, 0)

    def touched(self, case_id: str, added: Collection[str] = ()) -> None:
        """The case's originals in the catalog changed (a removal, a re-encryption; called
        by every writer of them): its ids are read again. A count, not a removal: ids read
        while the change was made are stale. `added`: the change only added these, which
        the ids known are given rather than read again (a batch import's every group)."""
        with self._cases_lock:
            touches = self._touches.get(case_id, 0)
            self._touches[case_id] = touches + 1
            known = self._small.get(case_id)
            if added and known is not None and known[0] == touches:
                self._small[case_id] = (touches + 1, known[1] | frozenset(added))

    def small_ids(self, case_id: str) -> frozenset[str]:
        """Ids of the case's originals sealed in the catalog, read once per change: asked
        for every file imported, where a catalog query each cost more than the file."""
        if self.catalog is None:
            return frozenset()
        with self._cases_lock:
            touches = self._touches.get(case_id, 0)
            known = self._small.get(case_id)
        if known is not None and known[0] == touches:
            return known[1]
        found = self.catalog.ids(case_id)
        with self._cases_lock:
            self._small[case_id] = (touches, found)
        return found

    def in_catalog(self, size: int) -> bool:
        """Whether an original of `size` bytes is sealed in the catalog, not in a file."""
        return size <= SMALL and self.catalog is not None

    def path(self, case_id: str, blob_id: str) -> Path:
        return Path(self._where(case_id, blob_id))

    def exists(self, case_id: str, blob_id: str) -> bool:
        where = self._where(case_id, blob_id)
        return blob_id in self.small_ids(case_id) or os.path.exists(where)

    def _small_content(self, keys: CaseKeys, blob_id: str) -> bytes | None:
        """The original's content if the catalog holds it, None if it is a file."""
        self._where(keys.case_id, blob_id)  # a malformed id is refused as for a file
        if self.catalog is None or blob_id not in self.small_ids(keys.case_id):
            return None
        return self.catalog.read(keys, blob_id)

    def _where(self, case_id: str, blob_id: str) -> str:
        # A string: asked several times per file imported, where four Path objects cost more
        # than the look at the disk.
        if _BLOB_ID.fullmatch(blob_id) is None:
            raise CorruptData(_("invalid blob id {blob_id}").format(blob_id=repr(blob_id)))
        return os.path.join(self.root, case_id, blob_id[:2], blob_id)

    def put_bytes(self, keys: CaseKeys, data: bytes) -> tuple[str, bool]:
        """A file, whatever its size: a case's originals are stored through `batch`, whose
        small ones are rows of the catalog commit that names them."""
        blob_id = keys.blob_id(hashlib.sha256(data).digest())
        target = self.path(keys.case_id, blob_id)
        if self.exists(keys.case_id, blob_id):
            return blob_id, False
        with SealedWriter(target, keys.blobs, _ad(keys.case_id, blob_id), padded=True) as writer:
            writer.write(data)
        return blob_id, True

    def batch(self) -> BlobBatch:
        """Originals written for one catalog commit, synced together just before it."""
        return BlobBatch(self)

    def open(self, keys: CaseKeys, blob_id: str) -> SealedReader:
        return SealedReader(
            self.path(keys.case_id, blob_id),
            keys.blobs,
            _ad(keys.case_id, blob_id),
            what=f"blob {blob_id[:12]}",
        )

    def read(self, keys: CaseKeys, blob_id: str) -> bytes:
        small = self._small_content(keys, blob_id)
        if small is not None:
            return small
        try:
            reader = self.open(keys, blob_id)
        except CorruptData:
            small = self._row_not_known_yet(keys, blob_id)
            if small is None:
                raise
            return small
        with reader:
            return reader.read_all()

    def _row_not_known_yet(self, keys: CaseKeys, blob_id: str) -> bytes | None:
        # A writer tells this store of its rows (`touched`) just after its commit: a reader in
        # between finds the catalog naming an original the ids known here do not hold. Before
        # it is called missing, the catalog itself is asked.
        if self.catalog is None or os.path.exists(self._where(keys.case_id, blob_id)):
            return None
        return self.catalog.read(keys, blob_id)

    def verify(self, keys: CaseKeys, blob_id: str) -> None:
        """Decrypt every block and check the content still hashes to its id."""
        digest = hashlib.sha256()
        small = self._small_content(keys, blob_id)
        if small is not None:
            digest.update(small)
        else:
            with self.open(keys, blob_id) as reader:
                for chunk in reader.iter_chunks():
                    digest.update(chunk)
        _check_id(keys, digest.digest(), blob_id)

    def rekey(self, old: CaseKeys, new: CaseKeys, blob_id: str) -> tuple[str, int, bool]:
        """Write the blob again under `new` (its new id, as new keys give new ids).

        The old file stays until the caller removes it; a new file already in place (a rekey
        that was interrupted and resumed) is kept. An original in the catalog is only read:
        its row is sealed again in the re-encryption's own transaction (`dossier.db.rekey`).
        So is a small original in a file (a vault written before they were rows), which is
        not written again: the caller seals it in the catalog there (`moved`), as any writer
        stores a small original.
        Returns (new id, plaintext size, whether it is left to the caller).
        """
        small = self._small_content(old, blob_id)
        if small is not None:
            digest_of = hashlib.sha256(small).digest()
            _check_id(old, digest_of, blob_id)
            return new.blob_id(digest_of), len(small), False
        source = self.path(old.case_id, blob_id)
        if source.stat().st_size <= IN_MEMORY:
            data = self.read(old, blob_id)
            digest_of = hashlib.sha256(data).digest()
            _check_id(old, digest_of, blob_id)
            new_id = new.blob_id(digest_of)
            if self.exists(new.case_id, new_id):
                return new_id, len(data), False
            if self.in_catalog(len(data)):
                return new_id, len(data), True
            with SealedWriter(
                self.path(new.case_id, new_id),
                new.blobs,
                _ad(new.case_id, new_id),
                padded=True,
            ) as writer:
                writer.write(data)
            return new_id, len(data), False
        digest = hashlib.sha256()
        size = 0
        with self.open(old, blob_id) as reader:
            for chunk in reader.iter_chunks():
                digest.update(chunk)
                size += len(chunk)
        _check_id(old, digest.digest(), blob_id)
        new_id = new.blob_id(digest.digest())
        if not self.exists(new.case_id, new_id):
            target = self.path(new.case_id, new_id)
            writer = SealedWriter(target, new.blobs, _ad(new.case_id, new_id), padded=True)
            try:
                with self.open(old, blob_id) as reader:
                    for chunk in reader.iter_chunks():
                        writer.write(chunk)
                writer.close()
            except BaseException:
                writer.abort()
                raise
        return new_id, size, False

    def moved(self, old: CaseKeys, blob_id: str) -> bytes:
        """The content of a small original in a file that `rekey` left to the caller, read
        again and checked against its id (in the re-encryption's transaction)."""
        with self.open(old, blob_id) as reader:
            data = reader.read_all()
        _check_id(old, hashlib.sha256(data).digest(), blob_id)
        return data

    def delete(self, case_id: str, blob_id: str) -> None:
        self.path(case_id, blob_id).unlink(missing_ok=True)
        if self.catalog is not None and blob_id in self.small_ids(case_id):
            try:
                self.catalog.delete(case_id, blob_id)
            finally:
                self.touched(case_id)

    def delete_case(self, case_id: str) -> None:
        """The case's files; its rows in the catalog went with the case's row."""
        shutil.rmtree(self.root / case_id, ignore_errors=True)
        self.touched(case_id)

    def iter_ids(self, case_id: str) -> Iterator[str]:
        folder = self.root / case_id
        if folder.is_dir():
            for path in folder.glob("??/*"):
                if not path.name.startswith("."):
                    yield path.name
        yield from sorted(self.small_ids(case_id))

    def case_folders(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return [p.name for p in self.root.iterdir() if p.is_dir()]

    def case_ids(self) -> list[str]:
        """The cases that have originals: folders of files, rows in the catalog."""
        found = set(self.case_folders())
        if self.catalog is not None:
            found |= self.catalog.case_ids()
        return sorted(found)


class BlobBatch:
    """The originals of a group of imports committed together.

    Each is encrypted into its temp file as it comes (`put`), by a writer thread while the
    caller goes on (creating a file waits on the disk: under load, a third of a mailbox's
    catalog work) and synced; `settle` then waits for them, puts them in place and syncs each
    folder once, and must return before the catalog commit that refers to them. Until
    `settle`, a crash leaves only temp files (ciphertext, removed at the next open), never a
    blob whose content was not synced under a real id.
    """

    def __init__(self, store: BlobStore) -> None:
        self.store = store
        self._staged: dict[tuple[str, str], SealedWriter] = {}
        self._writing: dict[tuple[str, str], Future[SealedWriter]] = {}
        self._settled: list[tuple[str, str]] = []
        self._small: dict[tuple[str, str], bytes] = {}
        """Originals of up to `SMALL` bytes, for the catalog rows of the group's commit."""

    def put(
        self, keys: CaseKeys, data: bytes, blob_id: str = "", *, absent: bool = False
    ) -> tuple[str, bool]:
        """Like `BlobStore.put_bytes`, but not synced nor in place until `settle` (a failure
        to write it is raised by `settle`). `blob_id`: `keys.blob_id` of `data`'s SHA-256,
        if the caller has it already. `absent`: the caller has just seen that the store has
        no blob of that id (not looked for again: a look at the disk per file imported)."""
        blob_id = blob_id or keys.blob_id(hashlib.sha256(data).digest())
        where = (keys.case_id, blob_id)
        if where in self._writing or where in self._small:
            return blob_id, False
        if not absent and self.store.exists(*where):
            return blob_id, False
        if self.store.in_catalog(len(data)):
            self._small[where] = data
            return blob_id, True
        self._writing[where] = _threads().submit(self._write, keys, where, data)
        return blob_id, True

    def _write(self, keys: CaseKeys, where: tuple[str, str], data: bytes) -> SealedWriter:
        writer = SealedWriter(self.store.path(*where), keys.blobs, _ad(*where), padded=True)
        try:
            writer.write(data)
            writer.finish()
            # Synced now, while the group's next files are read, not all at its settle: the
            # import's thread waited on the disk there (under load, 2.7 s of a mailbox's 15).
            writer.sync()
        except BaseException:
            writer.abort()
            raise
        return writer

    def _written(self) -> None:
        """Wait for every write; the first failure is raised once all have ended (each failed
        one removed its own temp file, the others are staged for `discard`)."""
        writing, self._writing = self._writing, {}
        failure: BaseException | None = None
        for where, future in writing.items():
            try:
                self._staged[where] = future.result()
            except BaseException as exc:
                failure = failure or exc
        if failure is not None:
            raise failure

    def settle(self, kept: Collection[str | None] | None = None) -> None:
        """Wait for every original's write and sync, put it in place, then sync each folder
        once.

        The syncs ran side by side (`SYNC_THREADS`), each in its writer's thread: each file is
        still synced and its failure seen, but the system commits their waits together, not
        one disk flush after another (measured here under load: 100 files in 45 ms instead of
        750). `kept`: the blob ids to keep, the others removed (written ahead for files
        that turned out not to need them)."""
        try:
            self._written()
            if kept is not None:
                self._small = {where: v for where, v in self._small.items() if where[1] in kept}
                for where, writer in list(self._staged.items()):
                    if where[1] not in kept:
                        writer.abort()
                        del self._staged[where]
            folders = sorted({writer.path.parent for writer in self._staged.values()})
            for where, writer in list(self._staged.items()):
                writer.place()
                del self._staged[where]
                self._settled.append(where)
        except BaseException:
            self.discard()
            raise
        if folders:
            # With the folders above that this group or another made and did not sync yet.
            _on_each(fsync_dir, [*folders, *sorted(unnamed_parents(folders) - set(folders))])

    def small(self) -> list[tuple[str, str, bytes]]:
        """(case id, blob id, content) of each original for the catalog, kept by `settle`:
        the caller inserts their rows in the commit that refers to them."""
        return [(case_id, blob_id, data) for (case_id, blob_id), data in self._small.items()]

    def discard(self) -> None:
        """Remove everything this batch wrote (its commit failed); never raises."""
        self._small.clear()
        with contextlib.suppress(BaseException):
            self._written()  # the writes still running end first, staged to be removed
        for writer in self._staged.values():
            writer.abort()
        self._staged.clear()
        for case_id, blob_id in self._settled:
            with contextlib.suppress(OSError):
                self.store.delete(case_id, blob_id)
        self._settled.clear()

    def forget(self) -> None:
        """The catalog commit succeeded: the blobs are the store's now."""
        assert not self._staged, "settle() the batch before its commit"
        self._settled.clear()
        for case_id in {case_id for case_id, _blob_id in self._small}:
            self.store.touched(case_id, [b for c, b in self._small if c == case_id])
        self._small.clear()
