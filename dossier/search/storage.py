"""A Whoosh `Storage` whose every file is sealed: no indexed word is ever on disk in clear.

Each file is written in the block format of `dossier.crypto.sealedfile` (AES-256-GCM, 64 KiB
blocks, block number and last-block flag authenticated) under the case's index key, with the
file's name in the associated data: a file copied or moved to another name fails to open.

Choices, and why:
- Renames re-seal. Whoosh renames only one kind of file: the table of contents, written under a
  temporary name and renamed into place (a few KB). Re-sealing it under its new name keeps the
  rule "the name is bound" without exception, so an attacker cannot swap an old table of
  contents in for a new one under another generation number.
- Temporary files (the writer's posting runs and per-document column spill) go to a sub-folder
  sealed with a random key that lives only in memory: a crash leaves ciphertext nobody can read,
  which the next open deletes. `RamStorage` is not used because its own `temp_storage()` writes
  plain files to the system temp folder, and holding the spill in memory would double the
  writer's peak memory.
- Locks are in-process (the vault lock already keeps a second process out): no lock file.
- No mmap: reads go through `SealedReader`, which decrypts only the blocks a read touches;
  decrypted blocks are kept in one bounded cache per index (16 MiB), and the small per-document
  length columns, read once per scored document, are held decrypted while a searcher lives.
- Only the compound segment files, the table of contents and the version stamp are synced to
  disk; segment parts that Whoosh copies into the compound file and deletes are not. The
  draft of a table of contents is kept in memory, never written: `rename_file` seals it,
  synced, under its own name (it was written sealed, read back and sealed again). A
  compound segment's name is made durable by the folder sync that publishes the next table of
  contents (one sync for all the segments of a commit, not one each): until a table of
  contents names it, losing it loses nothing.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import threading
from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import Storage
from whoosh.filedb.structfile import BufferFile, StructFile
from whoosh.system import IS_LITTLE
from whoosh.util import random_name

from dossier.crypto.sealedfile import (
    HEADER,
    NONCE,
    PADDED_HEADER,
    STORED_BLOCK,
    TAG,
    SealedReader,
    SealedWriter,
)
from dossier.errors import CorruptData, EnvironmentFailure
from dossier.fsutil import TEMP_PREFIX, fsync_dir
from dossier.i18n import _
from dossier.search.blockfile import SealedBlockFile
from dossier.search.sealedview import BlockCache, SealedView

AD_PREFIX = b"dossier/search-index/v1|"
SHARED_CACHE_BLOCKS = 256
"""Decrypted 64 KiB blocks one index keeps for all its open files (16 MiB): the bounded cache."""
READ_BUFFER = 8192
"""Bytes read ahead for sequential reads (Whoosh reads varints and pickles byte by byte)."""
SMALL_SUBFILE = 256 * 1024
"""Parts of a compound file up to this size are held decrypted while a reader uses them."""
TEMP_SUFFIX = ".tmp"
_SEGMENT_PART = re.compile(r"^[^_.]+_[0-9a-z]+\.(?!seg$)")
"""A part of a segment ("MAIN_<id>.trm"), not the compound "MAIN_<id>.seg" made from them."""
_SEGMENT = re.compile(r"^[^_.]+_[0-9a-z]+\.seg$")
_TOC_DRAFT = re.compile(r"^_[^.]+_[0-9]+\.toc\.")
"""A table of contents written under a temporary name ("_MAIN_3.toc.<time>"), then renamed."""


class _ProcessLock:
    """Whoosh's lock protocol (`acquire(blocking=False)` returns a bool) over a thread lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def acquire(self, blocking: bool = False) -> bool:
        return self._lock.acquire(blocking)

    def release(self) -> None:
        self._lock.release()


_LOCKS: dict[tuple[str, str], _ProcessLock] = {}
_LOCKS_GUARD = threading.Lock()


def _process_lock(folder: Path, name: str) -> _ProcessLock:
    # One lock per folder and name for the whole process, whichever storage object asks.
    key = (str(folder.resolve()), name)
    with _LOCKS_GUARD:
        lock = _LOCKS.get(key)
        if lock is None:
            lock = _LOCKS[key] = _ProcessLock()
        return lock


def sealed_length(path: Path) -> int:
    """Plaintext length of a sealed file, computed from its size without decrypting it."""
    stored = path.stat().st_size - len(HEADER)
    blocks = max(1, -(-stored // STORED_BLOCK))
    return max(0, stored - blocks * (NONCE + TAG))


class _RawSource(io.RawIOBase):
    """`io.RawIOBase` face of a `SealedView`, so `io.BufferedReader` can sit on top of it."""

    def __init__(self, view: SealedView) -> None:
        super().__init__()
        self._view = view

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        return self._view.readinto(buffer)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._view.seek(offset, whence)

    def tell(self) -> int:
        return self._view.tell()

    def close(self) -> None:
        if not self.closed:
            self._view.close()
        super().close()


class SealedStructFile(StructFile):  # type: ignore[misc]  # whoosh is untyped
    """Whoosh's structured file over a `SealedView`.

    Sequential reads (pickle, varints, posting runs) go through an `io.BufferedReader`, so the
    many one-byte reads Whoosh makes stay in C; positioned reads (`get`) and `subset` go
    straight to the view.
    """

    def __init__(self, view: SealedView, name: str | None = None) -> None:
        buffered = io.BufferedReader(_RawSource(view), buffer_size=READ_BUFFER)
        super().__init__(buffered, name=name)
        # Not a real file: Whoosh must neither mmap it nor hand it to array.fromfile.
        self.is_real = False
        with contextlib.suppress(AttributeError):
            del self.fileno
        self._view = view
        # Bound straight to the buffer and the view: Whoosh calls these millions of times.
        self.read = buffered.read
        self.seek = buffered.seek
        self.tell = buffered.tell
        self.get = view.read_at

    def get_array(self, position: int, typecode: str, length: int) -> array[Any]:
        values: array[Any] = array(typecode)
        values.frombytes(self.get(position, length * values.itemsize))
        if IS_LITTLE:
            # Whoosh writes arrays big-endian (see StructFile.write_array).
            values.byteswap()
        return values

    def subset(self, offset: int, length: int, name: str | None = None) -> StructFile:
        if length <= SMALL_SUBFILE:
            # Small parts of a compound segment (per-document length columns, read once per
            # scored document) are decrypted whole: as fast as plain Whoosh's mmap slices.
            return BufferFile(self._view.read_at(offset, length), name=name or self._name)
        return SealedStructFile(self._view.sub(offset, length), name=name or self._name)


class EncryptedStorage(Storage):  # type: ignore[misc]  # whoosh is untyped
    """A folder of sealed files, one Whoosh index per folder."""

    supports_mmap = False
    readonly = False

    def __init__(
        self,
        folder: Path,
        key: bytes,
        *,
        context: str = "",
        durable: bool = True,
        cache_blocks: int = SHARED_CACHE_BLOCKS,
    ) -> None:
        if len(key) != 32:
            raise ValueError("the index key must be 32 bytes")
        self.folder = Path(folder)
        self._key = key
        self._context = context.encode("utf-8")
        self._durable = durable
        self._cache = BlockCache(cache_blocks)
        self._temp_key: bytes | None = None
        self._unsynced_names = False
        self._drafts: dict[str, bytes] = {}
        """Tables of contents written, not yet renamed into place (see the module docstring)."""
        self._folder_made = True
        """Segments synced but their names not yet (see the module docstring)."""
        self.locks: dict[str, _ProcessLock] = {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.folder)!r})"

    # -- names ---------------------------------------------------------------------------

    def associated_data(self, name: str) -> bytes:
        return AD_PREFIX + self._context + b"|" + name.encode("utf-8")

    def _path(self, name: str) -> Path:
        if (
            not name
            or name in (".", "..")
            or "/" in name
            or "\\" in name
            or name.startswith(TEMP_PREFIX)
        ):
            raise ValueError(f"not a valid index file name: {name!r}")
        return self.folder / name

    @staticmethod
    def _needs_fsync(name: str) -> bool:
        # Whoosh writes a segment's parts, copies them into one compound ".seg" file and deletes
        # them: only that file and the table of contents (re-sealed by rename_file, which
        # always syncs) must survive a crash. Anything else lost in one makes the index fail
        # authentication on open, and a failed index is rebuilt, never fatal.
        return _SEGMENT_PART.match(name) is None and _TOC_DRAFT.match(name) is None

    def _what(self, name: str) -> str:
        return f"search index file {name}"

    # -- Storage API ---------------------------------------------------------------------

    def create(self) -> EncryptedStorage:
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise EnvironmentFailure(
                _("could not create the search index folder: {exc}").format(exc=exc)
            ) from exc
        return self

    def destroy(self, *args: object, **kwargs: object) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def clean(self, ignore: bool = False) -> None:
        for name in self.list():
            try:
                (self.folder / name).unlink()
            except OSError:
                if not ignore:
                    raise

    def create_file(
        self, name: str, excl: bool = False, mode: str = "wb", **kwargs: Any
    ) -> StructFile:
        path = self._path(name)
        if _TOC_DRAFT.match(name) is not None:

            def drafted(file: StructFile) -> None:
                self._drafts[name] = file.file.getvalue()

            return StructFile(io.BytesIO(), name=name, onclose=drafted)
        if not self._folder_made:
            self.create()
            self._folder_made = True
        if excl and path.exists():
            raise FileExistsError(f"index file {name} exists")
        durable = self._durable and self._needs_fsync(name)
        segment = _SEGMENT.match(name) is not None
        raw = SealedBlockFile(
            path,
            self._key,
            self.associated_data(name),
            durable=durable,
            sync_dir=not segment,
            what=self._what(name),
        )
        if durable and segment:
            self._unsynced_names = True
        return StructFile(raw, name=name, onclose=kwargs.get("onclose"))

    def open_file(self, name: str, **kwargs: Any) -> SealedStructFile:
        reader = SealedReader(
            self._path(name),
            self._key,
            self.associated_data(name),
            what=self._what(name),
            cache_blocks=1,  # the storage's shared cache does the caching
        )
        view = SealedView(reader, 0, reader.size, owner=True, cache=self._cache)
        return SealedStructFile(view, name=name)

    def list(self) -> list[str]:
        try:
            with os.scandir(self.folder) as entries:
                return [
                    e.name
                    for e in entries
                    if e.is_file(follow_symlinks=False) and not e.name.startswith(TEMP_PREFIX)
                ]
        except FileNotFoundError:
            return []

    def file_exists(self, name: str) -> bool:
        return self._path(name).is_file()

    def file_modified(self, name: str) -> float:
        return os.path.getmtime(self._path(name))

    def file_length(self, name: str) -> int:
        path = self._path(name)
        with open(path, "rb") as fh:
            padded = fh.read(len(PADDED_HEADER)) == PADDED_HEADER
        if not padded:
            return sealed_length(path)
        # Its own length is sealed at its end: the file's size tells only the padded one.
        with SealedReader(path, self._key, self.associated_data(name), what=self._what(name)) as r:
            return r.size

    def delete_file(self, name: str) -> None:
        if self._drafts.pop(name, None) is None:
            os.remove(self._path(name))

    def rename_file(self, oldname: str, newname: str, safe: bool = False) -> None:
        source, target = self._path(oldname), self._path(newname)
        if safe and target.exists():
            raise NameError(f"File {newname!r} exists")
        if self._unsynced_names:
            # The segments a new table of contents names reach the disk before it does.
            fsync_dir(self.folder)
            self._unsynced_names = False
        draft = self._drafts.pop(oldname, None)
        if draft is not None:
            with SealedWriter(
                target, self._key, self.associated_data(newname), padded=True
            ) as writer:
                writer.write(draft)
            return
        # Re-seal under the new name (see module docstring); atomic, then drop the old file.
        with (
            SealedReader(
                source, self._key, self.associated_data(oldname), what=self._what(oldname)
            ) as reader,
            SealedWriter(target, self._key, self.associated_data(newname), padded=True) as writer,
        ):
            for chunk in reader.iter_chunks():
                writer.write(chunk)
        source.unlink()

    def lock(self, name: str) -> _ProcessLock:
        return _process_lock(self.folder, name)

    def temp_storage(self, name: str | None = None) -> EncryptedStorage:
        if self._temp_key is None:
            # Never written anywhere: leftovers of a crash are unreadable, and deleted on open.
            self._temp_key = os.urandom(32)
        folder = self.folder / (name or f"{random_name()}{TEMP_SUFFIX}")
        temp = EncryptedStorage(
            folder, self._temp_key, context="temp", durable=False, cache_blocks=64
        )
        temp._folder_made = False  # made by its first file: a writer adding no page has none
        return temp

    # -- Dossier helpers -----------------------------------------------------------------

    def remove_leftovers(self) -> int:
        """Delete what a crash can leave: temp folders, unfinished files, unrenamed TOCs."""
        count = 0
        if not self.folder.is_dir():
            return 0
        with os.scandir(self.folder) as entries:
            for entry in list(entries):
                path = Path(entry.path)
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(path, ignore_errors=True)
                    count += 1
                elif entry.name.startswith(TEMP_PREFIX) or ".toc." in entry.name:
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()
                    count += 1
        return count

    def verify(self, names: Iterable[str] | None = None) -> None:
        """Decrypt every block of every file (or of `names`); raise CorruptData at the first
        bad one. One of `names` gone meanwhile (merged away by a commit) is skipped."""
        for name in sorted(self.list() if names is None else names):
            path = self._path(name)
            try:
                reader = SealedReader(
                    path, self._key, self.associated_data(name), what=self._what(name)
                )
            except CorruptData:
                if names is not None and not path.exists():
                    continue
                raise
            with reader:
                for _chunk in reader.iter_chunks():
                    pass
