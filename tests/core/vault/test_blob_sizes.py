"""A seized vault's originals do not tell which documents it holds by their sizes.

Originals are named by a keyed hash so that someone holding a leaked document cannot check that
it is in the vault; yet each sealed original was exactly as long as the file plus a fixed cost
per 64 KiB block, so the size of the leaked file predicted the size of one file under `blobs/`
to the byte. Originals are now padded (Padmé: to a size with few significant bits, at most
12% more) before they are sealed, the true length sealed with them.
The catalog's page rows are padded too (`test_page_sizes`)."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from dossier.blobstore import SMALL, BlobStore
from dossier.crypto.sealedfile import BLOCK, SealedReader, SealedWriter, padded_length
from dossier.errors import CorruptData
from dossier.services.workspace import Workspace


def _blob_sizes(vault: Path) -> list[int]:
    return sorted(p.stat().st_size for p in (vault / "blobs").rglob("*") if p.is_file())


@pytest.mark.usefixtures("index_in_process")
def test_files_of_close_sizes_leave_originals_of_one_size(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = workspace.cases.create("Fuite").id
    rng = random.Random(5)
    folder = tmp_path / "in"
    folder.mkdir()
    paths = []
    for number in range(12):
        path = folder / f"memo-{number}.txt"
        words = " ".join(rng.choice(["quai", "préfet", "budget"]) for _ in range(20_000))
        # Files: smaller originals are rows of the catalog (`test_small_originals`).
        path.write_text(f"Mémo {number} {words}"[: SMALL + 30_000 + number * 7], encoding="utf-8")
        paths.append(path)
    outcomes = workspace.documents.import_many(case, paths, ocr=False)
    assert all(o.document is not None for o in outcomes), [o.error for o in outcomes]
    sizes = _blob_sizes(workspace.vault.folder)
    assert len(sizes) == 12
    assert len(set(sizes)) == 1, f"each original's size tells its file's: {sizes}"
    for path, outcome in zip(paths, outcomes, strict=True):
        assert outcome.document is not None
        assert workspace.documents.original(outcome.document.id) == path.read_bytes()
    assert workspace.fsck.run().ok


@pytest.mark.parametrize(
    "size", [0, 1, 7, 8, 9, 100, BLOCK - 9, BLOCK - 8, BLOCK, BLOCK + 1, 3 * BLOCK + 5]
)
def test_a_padded_file_reads_back_its_own_bytes_at_every_length(tmp_path: Path, size: int) -> None:
    data = random.Random(size).randbytes(size)
    path = tmp_path / "f"
    with SealedWriter(path, b"k" * 32, b"ad", padded=True) as writer:
        writer.write(data[: size // 2])
        writer.write(data[size // 2 :])
    on_disk = path.stat().st_size
    with SealedReader(path, b"k" * 32, b"ad", what="f") as reader:
        assert reader.size == size
        assert reader.read_all() == data
        assert reader.read_at(max(0, size - 10), 50) == data[max(0, size - 10) :]
    assert on_disk >= padded_length(size)


def test_an_original_sealed_before_padding_still_reads(workspace: Workspace) -> None:
    case = workspace.cases.create("Ancien").id
    keys = workspace.vault.case_keys(case)
    data = b"%PDF-1.4 un original d'une version d'avant\n" * 100
    store: BlobStore = workspace.blobs
    blob_id, _created = store.put_bytes(keys, data)
    target = store.path(case, blob_id)
    target.unlink()
    with SealedWriter(target, keys.blobs, f"blob|{case}|{blob_id}".encode()) as writer:
        writer.write(data)  # unpadded, as every original written before
    assert store.read(keys, blob_id) == data
    store.verify(keys, blob_id)


def test_a_padded_original_read_as_an_unpadded_one_fails(workspace: Workspace) -> None:
    """The format byte is authenticated: turning it back would expose the padding as content."""
    case = workspace.cases.create("Format").id
    keys = workspace.vault.case_keys(case)
    store: BlobStore = workspace.blobs
    blob_id, _created = store.put_bytes(keys, b"contenu " * 5000)
    target = store.path(case, blob_id)
    raw = bytearray(target.read_bytes())
    raw[4] = 1
    target.write_bytes(bytes(raw))
    with pytest.raises(CorruptData):
        store.read(keys, blob_id)


def test_pages_of_close_lengths_leave_page_rows_of_one_size(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = workspace.cases.create("Pages").id
    note = tmp_path / "pages.txt"
    note.write_text("\f".join("mot " * (500 + 3 * n) for n in range(4)), encoding="utf-8")
    info = workspace.documents.import_file(case, note, ocr=False)
    assert info.page_count == 4
    db = sqlite3.connect(workspace.vault.folder / "catalog.sqlite")
    try:
        sizes = [row[0] for row in db.execute("SELECT length(sealed) FROM page")]
    finally:
        db.close()
    assert len(sizes) == 4
    assert len(set(sizes)) == 1, f"each page row's size tells its page's text length: {sizes}"
