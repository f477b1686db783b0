"""What this computer last saw of a vault: the inventory counter, kept outside the vault.

Row MACs and inventories catch any change made to part of the catalog. What they cannot catch
is the whole vault folder replaced by an older copy of itself: every row, every inventory is
then genuine, only old. The counter of the vault inventory grows with every commit; this
computer remembers the highest value it saw, in its state folder, and warns when a vault
opens with a lower one.

The remembered value reveals nothing to someone reading the state folder: the file name is a
MAC of nothing under a key derived from the master key, and the counter is sealed under it.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import threading
from pathlib import Path

import platformdirs

from dossier.crypto import aead
from dossier.crypto.keys import subkey
from dossier.errors import DossierError
from dossier.fsutil import atomic_write

STATE_ENV = "DOSSIER_STATE_DIR"
_AD = b"dossier/seen-counter/v1"


def state_dir() -> Path:
    override = os.environ.get(STATE_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_state_dir("Dossier", appauthor=False))


def _path(master: bytes) -> tuple[Path, bytes]:
    key = subkey(master, "seen-counter")
    name = hmac.new(key, b"file-name", "sha256").hexdigest()[:32]
    return state_dir() / "seen" / name, key


def remembered(master: bytes) -> int | None:
    path, key = _path(master)
    try:
        data = path.read_bytes()
        return int(aead.open_sealed(key, data, _AD).decode())
    except (OSError, ValueError, DossierError):
        return None


_remembering = threading.Lock()
"""Checks run on several threads: one remembering a lower counter after another read the
higher one made this computer forget the higher."""


def remember(master: bytes, counter: int, *, sync: bool = True) -> None:
    """Record `counter` if it is higher than what is remembered; never fails the caller.
    `sync=False` (after each commit): kept through a crash of the app, not always through a
    power cut, for the fsyncs that doubled a small commit's time."""
    with _remembering:
        previous = remembered(master)
        if previous is not None and previous >= counter:
            return
        path, key = _path(master)
        with contextlib.suppress(OSError, DossierError):
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            atomic_write(path, aead.seal(key, str(counter).encode(), _AD), sync=sync)


def forget(master: bytes) -> None:
    path, _key = _path(master)
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def rollback_warning(master: bytes, counter: int) -> str | None:
    previous = remembered(master)
    if previous is None or previous <= counter:
        return None
    return (
        f"this vault is older than the copy this computer last opened (change {counter}, "
        f"last seen {previous}): it may have been replaced by an older copy; "
        "work done since then is not in it"
    )
