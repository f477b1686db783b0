"""A group's originals are written with as few calls to the system as their safety allows.

Each call a writer thread makes releases the GIL and takes it back from the import's thread: a
mailbox of small messages paid a dozen of them per original (the folder made again, the file
opened twice, a buffered file's questions about the terminal and its size). A small original
is now opened once, written in one call, synced through the descriptor it was written with
and closed; its folder is made only when it is missing. Each is still synced before it is put
in place, and each folder synced once it holds them (and a folder made, once, in the folder
holding it)."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from dossier.blobstore import BlobStore
from dossier.crypto.keys import CaseKeys
from dossier.fsutil import TEMP_PREFIX


def _counting(monkeypatch: pytest.MonkeyPatch, root: Path) -> Counter[str]:
    """Counts of the system calls made on files and folders under `root` (by any thread)."""
    calls: Counter[str] = Counter()
    under = str(root)
    temp_fds: set[int] = set()
    real_open, real_write, real_fsync = os.open, os.write, os.fsync
    real_close, real_mkdir, real_fstat = os.close, os.mkdir, os.fstat

    def opened(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        fd = real_open(path, flags, *args, **kwargs)
        if str(path).startswith(under):
            temp = Path(path).name.startswith(TEMP_PREFIX)
            calls["open temp" if temp else "open folder"] += 1
            if temp:
                temp_fds.add(fd)
        return fd

    def on_temp(name: str, real: Any) -> Any:
        def call(fd: int, *args: Any) -> Any:
            if fd in temp_fds:
                calls[name] += 1
                if name == "close":
                    temp_fds.discard(fd)
            return real(fd, *args)

        return call

    def made(path: Any, *args: Any, **kwargs: Any) -> None:
        if str(path).startswith(under):
            calls["mkdir"] += 1
        real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", opened)
    monkeypatch.setattr(os, "write", on_temp("write", real_write))
    monkeypatch.setattr(os, "fsync", on_temp("fsync", real_fsync))
    monkeypatch.setattr(os, "close", on_temp("close", real_close))
    monkeypatch.setattr(os, "fstat", on_temp("fstat", real_fstat))
    monkeypatch.setattr(os, "mkdir", made)
    return calls


def test_a_small_original_is_opened_written_and_synced_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = CaseKeys.derive("c" * 32, bytes(range(32)))
    store = BlobStore(tmp_path / "blobs")
    datas = [f"message {number} ".encode() * 40 for number in range(300)]
    ids = [keys.blob_id(hashlib.sha256(data).digest()) for data in datas]
    folders = {blob_id[:2] for blob_id in ids}
    # A first group made every folder the second one writes into.
    first = store.batch()
    for data, blob_id in zip(datas[:150], ids[:150], strict=True):
        first.put(keys, data, blob_id, absent=True)
    first.settle()
    first.forget()
    missing = folders - {blob_id[:2] for blob_id in ids[:150]}

    calls = _counting(monkeypatch, tmp_path)
    second = store.batch()
    for data, blob_id in zip(datas[150:], ids[150:], strict=True):
        second.put(keys, data, blob_id, absent=True)
    second.settle()
    second.forget()
    monkeypatch.undo()

    written = len(datas) - 150
    assert calls["open temp"] == written, calls
    assert calls["write"] == written, calls
    assert calls["fsync"] == written, calls  # each original synced, through its descriptor
    assert calls["close"] == written, calls
    assert calls["fstat"] == 0, calls
    assert calls["mkdir"] <= 2 * len(missing), calls  # only folders that were missing
    placed = {blob_id[:2] for blob_id in ids[150:]}
    # Each folder synced once, and the case's folder once for the folders made in it.
    assert calls["open folder"] == len(placed) + bool(missing), calls
    for data, blob_id in zip(datas, ids, strict=True):
        assert store.read(keys, blob_id) == data
    assert not list(store.root.rglob(f"{TEMP_PREFIX}*"))
