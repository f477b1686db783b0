"""Atomic, permission-first file writes (temp file in the same folder, fsync, replace)."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from dossier.errors import EnvironmentFailure

TEMP_PREFIX = ".tmp-"


def fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _open_private(path: Path) -> BinaryIO:
    # 0o600 from creation: the file is never readable by others, not even for an instant.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    return os.fdopen(fd, "wb")


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """Yield a file whose content replaces `path` only if the block completes."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.parent / f"{TEMP_PREFIX}{secrets.token_hex(8)}"
    try:
        with _open_private(tmp) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise EnvironmentFailure(f"could not write {path.name}: {exc.strerror or exc}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write(path: Path, data: bytes) -> None:
    with atomic_writer(path) as fh:
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
