"""Single-writer lock on a vault: a second process gets a clear "vault is in use" error.

An OS advisory lock (not a PID file) so that a crashed process never leaves a stale lock.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

from dossier.errors import EnvironmentFailure, VaultInUse, os_failure, safe_text
from dossier.i18n import _

LOCK_NAME = ".lock"


class VaultLock:
    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            raise VaultInUse(
                _("this vault is in use by another Dossier window or command; close it and retry")
            ) from None
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds only
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def refused_folder(folder: Path, exc: OSError) -> EnvironmentFailure:
    """The sentence for a vault folder the system will not let Dossier open and lock."""
    shown = safe_text(str(folder))
    if exc.errno == errno.EROFS:
        return EnvironmentFailure(
            _(
                "the vault {folder} is on a read-only disk; Dossier writes its lock and catalog "
                "there: copy the vault to a writable disk to open it"
            ).format(folder=shown)
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return EnvironmentFailure(
            _(
                "Dossier is not allowed to read and write the vault {folder}; check the "
                "folder's owner and permissions"
            ).format(folder=shown)
        )
    return os_failure(exc, shown)
