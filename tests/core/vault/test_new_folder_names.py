"""A folder made to hold a durable file is named durably too: after a power cut, a file whose
folder's own entry never reached the disk is lost with it, however well it was synced.

The originals of a case live in folders made as they are first needed (`blobs/<case>/<xx>`,
and `blobs/` and `blobs/<case>` at a vault's first import): each writer syncs the file and
the folder holding it, and, for every folder it made, the folder holding that one, before it
returns (a group's import: before its catalog commit names them). Here each writer of a
durable file is watched: every folder made under the test's folder has its parent synced after
it was made and before the write returned, including when another writer made it and has not
synced it yet."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dossier.blobstore import BlobStore
from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.crypto.keys import CaseKeys
from dossier.fsutil import atomic_write
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE

KEYS = CaseKeys.derive("c" * 32, bytes(range(32)))


class Disk:
    """The folders made under `root` and the folders synced, in order, by any thread."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
        self.root = str(root)
        self.events: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._folders: dict[int, str] = {}
        real_open, real_fsync, real_mkdir = os.open, os.fsync, os.mkdir

        def opened(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            fd = real_open(path, flags, *args, **kwargs)
            if os.path.isdir(path):
                with self._lock:
                    self._folders[fd] = os.path.abspath(path)
            return fd

        def synced(fd: int) -> None:
            real_fsync(fd)
            with self._lock:
                folder = self._folders.pop(fd, None)
                if folder is not None:
                    self.events.append(("sync", folder))

        def made(path: Any, *args: Any, **kwargs: Any) -> None:
            real_mkdir(path, *args, **kwargs)
            if os.path.abspath(path).startswith(self.root):
                with self._lock:
                    self.events.append(("mkdir", os.path.abspath(path)))

        monkeypatch.setattr(os, "open", opened)
        monkeypatch.setattr(os, "fsync", synced)
        monkeypatch.setattr(os, "mkdir", made)

    def unnamed(self) -> list[str]:
        """Folders made whose parent was not synced after they were made."""
        missing = []
        for number, (kind, folder) in enumerate(self.events):
            parent = os.path.dirname(folder)
            later = self.events[number + 1 :]
            if kind == "mkdir" and ("sync", parent) not in later:
                missing.append(folder)
        return missing

    def made(self) -> list[str]:
        return [folder for kind, folder in self.events if kind == "mkdir"]


def _originals(count: int) -> list[bytes]:
    return [f"original {number} ".encode() * 30 for number in range(count)]


def test_a_group_of_originals_names_the_folders_it_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = Disk(monkeypatch, tmp_path)
    store = BlobStore(tmp_path / "vault" / "blobs")
    batch = store.batch()
    for data in _originals(40):
        batch.put(KEYS, data, absent=True)
    batch.settle()
    batch.forget()
    monkeypatch.undo()
    assert len(disk.made()) > 3, disk.events  # blobs/, blobs/<case>/ and some of its folders
    assert disk.unnamed() == [], disk.events


def test_a_folder_another_group_made_is_named_before_this_one_settles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two imports of one case: the first makes a folder and waits; the second, writing into
    it, must not commit before the folder's name is synced."""
    store = BlobStore(tmp_path / "blobs")
    data = _originals(1)[0]
    prefix = KEYS.blob_id(hashlib.sha256(data).digest())[:2]
    # Another original whose id puts it in the same folder.
    other = next(
        candidate
        for number in range(100_000)
        if KEYS.blob_id(hashlib.sha256(candidate := f"other {number}".encode()).digest())[:2]
        == prefix
    )
    first, second = store.batch(), store.batch()
    first.put(KEYS, data, absent=True)
    first._written()  # its writer made the folders, not synced yet
    disk = Disk(monkeypatch, tmp_path)
    folder = store.root / KEYS.case_id / prefix
    for made in (store.root, folder.parent, folder):  # by `first`, before the watch began
        disk.events.append(("mkdir", str(made)))
    second.put(KEYS, other, absent=True)
    second.settle()
    second.forget()
    monkeypatch.undo()
    assert disk.unnamed() == [], disk.events
    first.discard()


@pytest.mark.parametrize(
    "write",
    [
        lambda root: BlobStore(root / "blobs").put_bytes(KEYS, b"a replaced original"),
        lambda root: atomic_write(root / "a" / "b" / "file", b"written whole"),
    ],
    ids=["sealed original", "atomic file"],
)
def test_a_single_write_names_the_folders_it_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write: Callable[[Path], object]
) -> None:
    disk = Disk(monkeypatch, tmp_path)
    write(tmp_path)
    monkeypatch.undo()
    assert len(disk.made()) >= 2, disk.events
    assert disk.unnamed() == [], disk.events


@pytest.mark.usefixtures("index_in_process")
def test_a_first_import_names_its_originals_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "vault"
    sources = []
    for number in range(6):
        source = tmp_path / f"note{number}.txt"
        # Above `SMALL`: smaller originals are rows of the catalog, in no folder.
        source.write_text(f"Note {number}: the council voted the subsidy.\n" * 2000)
        sources.append(source)
    with Workspace.create(folder, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("durable").id
        disk = Disk(monkeypatch, folder / "blobs")
        outcomes = ws.documents.import_many(case, sources)
        monkeypatch.undo()
        assert all(outcome.document for outcome in outcomes), outcomes
    assert len(disk.made()) > 2, disk.events
    assert disk.unnamed() == [], disk.events
