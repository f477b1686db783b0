"""Atomic, permission-first file writes (temp file in the same folder, fsync, replace).

Every write the core makes ends in one of two states: complete and in place, or absent (its
temp file removed). A write the system refuses becomes an `EnvironmentFailure` (exit code 7)
whose sentence says what could not be written and why, through `os_failure`.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import BinaryIO

from dossier.errors import os_failure

TEMP_PREFIX = ".tmp-"


_unnamed: set[Path] = set()
"""Folders `make_folder` made whose own name (their entry in their parent) is not synced yet:
a writer that finds one made by another, still unsynced, syncs it too."""
_unnamed_lock = threading.Lock()


def fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable, as far as the system lets us.

    Called once the renamed file is complete and in place: a failure here cannot be undone
    (the file is there), so it is not reported as a failed write. The data itself was synced.
    """
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        if _unnamed:
            with _unnamed_lock:
                _unnamed.difference_update([f for f in _unnamed if f.parent == path])


def make_folder(folder: Path, mode: int = 0o700) -> None:
    """`folder.mkdir(parents=True, exist_ok=True, mode=mode)`, each folder made noted until its
    parent is synced (`unnamed_parents`): a file synced in a folder whose own name never
    reached the disk is lost with it at a power cut."""
    try:
        os.mkdir(folder, mode)
    except FileNotFoundError:
        make_folder(folder.parent, 0o777)  # as `Path.mkdir` makes the parents
        make_folder(folder, mode)
        return
    except FileExistsError:
        if not folder.is_dir():
            raise
        return
    with _unnamed_lock:
        _unnamed.add(folder)


def unnamed_parents(folders: Collection[Path]) -> set[Path]:
    """The folders to sync, beside `folders` themselves, for every one of them to be found
    after a power cut: the parent of each, or of a folder above it, that `make_folder` made
    (in any thread) and whose parent no `fsync_dir` synced since."""
    if not _unnamed:  # most writes: every folder was there before
        return set()
    parents: set[Path] = set()
    with _unnamed_lock:
        for folder in folders:
            while folder in _unnamed:
                parents.add(folder.parent)
                folder = folder.parent
    return parents


def fsync_dirs(folders: Collection[Path]) -> None:
    """`fsync_dir` on `folders`, and on the parents that name any of them (`unnamed_parents`)."""
    for folder in {*folders, *unnamed_parents(folders)}:
        fsync_dir(folder)


def _open_private(path: Path) -> BinaryIO:
    # 0o600 from creation: the file is never readable by others, not even for an instant.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    return os.fdopen(fd, "wb")


@contextlib.contextmanager
def atomic_writer(path: Path, *, sync: bool = True) -> Iterator[BinaryIO]:
    """Yield a file whose content replaces `path` only if the block completes; `sync`: on
    the disk before this returns (else a crash of the process keeps it, a power cut may
    not)."""
    make_folder(path.parent)
    tmp = path.parent / f"{TEMP_PREFIX}{secrets.token_hex(8)}"
    try:
        with _open_private(tmp) as fh:
            yield fh
            fh.flush()
            if sync:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
        if sync:
            fsync_dirs([path.parent])
    except OSError as exc:
        _discard(tmp)
        raise os_failure(exc, path.name) from exc
    except BaseException:
        _discard(tmp)
        raise


def _discard(tmp: Path) -> None:
    # Removing a file frees space: it works on a full disk. If even that fails, the next open
    # sweeps the temp file (`remove_stale_temps`); it only ever holds ciphertext.
    with contextlib.suppress(OSError):
        tmp.unlink(missing_ok=True)


def atomic_write(path: Path, data: bytes, *, sync: bool = True) -> None:
    with atomic_writer(path, sync=sync) as fh:
        fh.write(data)


def remove_stale_temps(folder: Path) -> int:
    """Delete temp files a crash left behind (they only ever hold ciphertext)."""
    count = 0
    if not folder.exists():
        return 0
    for tmp in folder.rglob(f"{TEMP_PREFIX}*"):
        with contextlib.suppress(OSError):
            tmp.unlink()
            count += 1
    return count
