"""The sealed Whoosh storage: block files, renames, tampering, and no plaintext on disk."""

from __future__ import annotations

import os
import random
import stat
import tempfile
from pathlib import Path
from typing import Any

import pytest
from whoosh import fields
from whoosh.filedb.filestore import FileStorage

from dossier.crypto.sealedfile import BLOCK, SealedReader
from dossier.errors import CorruptData
from dossier.search import IndexItem, SearchIndex
from dossier.search import facade as facade_module
from dossier.search.blockfile import SealedBlockFile
from dossier.search.storage import EncryptedStorage
from tests.leakscan import needles_for, scan

KEY = bytes(range(32))
AD = b"test|file"


def _sealed_bytes(path: Path, ad: bytes = AD) -> bytes:
    with SealedReader(path, KEY, ad, what="test file") as reader:
        return reader.read_all()


@pytest.mark.parametrize("size", [0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK + 17])
def test_block_file_matches_a_plain_model(tmp_path: Path, size: int) -> None:
    rng = random.Random(size)
    data = bytes(rng.getrandbits(8) for _ in range(size))
    out = SealedBlockFile(tmp_path / "f", KEY, AD)
    model = bytearray()
    pos = 0
    while pos < size:
        step = rng.choice([1, 7, 1000, BLOCK // 2, BLOCK + 3])
        out.write(data[pos : pos + step])
        model += data[pos : pos + step]
        pos += step
    if size >= 12:
        # Seek back and patch, as Whoosh does for a compound file's directory pointer.
        out.seek(0)
        out.write(b"HEADER-PATCH")
        model[0:12] = b"HEADER-PATCH"
        out.seek(0, 2)
    assert not (tmp_path / "f").exists(), "the file must appear only when closed"
    out.close()
    assert _sealed_bytes(tmp_path / "f") == bytes(model)
    assert [p.name for p in tmp_path.iterdir()] == ["f"]


def test_block_file_reads_back_what_it_is_writing(tmp_path: Path) -> None:
    out = SealedBlockFile(tmp_path / "spill", KEY, AD, durable=False)
    payload = os.urandom(2 * BLOCK + 500)
    out.write(payload)
    out.seek(BLOCK - 10)
    assert out.read(20) == payload[BLOCK - 10 : BLOCK + 10]
    out.seek(2 * BLOCK + 490)
    assert out.read() == payload[-10:]
    out.seek(5)
    buffer = bytearray(4)
    assert out.readinto(buffer) == 4 and bytes(buffer) == payload[5:9]
    out.close()
    assert _sealed_bytes(tmp_path / "spill") == payload


def test_a_dropped_block_file_is_never_published(tmp_path: Path) -> None:
    out = SealedBlockFile(tmp_path / "half", KEY, AD)
    out.write(os.urandom(BLOCK * 2))
    del out
    assert list(tmp_path.iterdir()) == []


def test_rename_reseals_and_a_moved_file_fails(tmp_path: Path) -> None:
    storage = EncryptedStorage(tmp_path / "ix", KEY, context="case-1").create()
    with storage.create_file("_MAIN_1.toc.123") as out:
        out.write(b"table of contents")
    storage.rename_file("_MAIN_1.toc.123", "_MAIN_1.toc", safe=True)
    assert storage.list() == ["_MAIN_1.toc"]
    assert storage.file_length("_MAIN_1.toc") == len(b"table of contents")
    with storage.open_file("_MAIN_1.toc") as back:
        assert back.read() == b"table of contents"
    # An attacker copying the file under another name (an older or newer generation) fails.
    (tmp_path / "ix" / "_MAIN_2.toc").write_bytes((tmp_path / "ix" / "_MAIN_1.toc").read_bytes())
    with pytest.raises(CorruptData):
        storage.open_file("_MAIN_2.toc")
    # The same file under the same name but another case's context fails too.
    other = EncryptedStorage(tmp_path / "ix", KEY, context="case-2")
    with pytest.raises(CorruptData):
        other.open_file("_MAIN_1.toc")
    with pytest.raises(NameError):
        storage.rename_file("_MAIN_2.toc", "_MAIN_1.toc", safe=True)


def test_a_commit_syncs_its_segments_before_the_table_naming_them_and_the_folder_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a Whoosh commit writes (compound segments, a draft table of contents renamed into
    place) reaches the disk in an order no crash can break: each segment's bytes synced before
    its name appears, every segment's name synced before the table of contents that names it
    appears, and that table synced. The draft never reaches the disk (kept in memory until the
    rename seals it, once, under its own name), and the folder is synced twice a commit, not
    once per file."""
    storage = EncryptedStorage(tmp_path / "ix", KEY, context="case-1").create()
    events: list[str] = []
    real_fsync, real_replace, real_open = os.fsync, os.replace, os.open

    def fsync(fd: int) -> None:
        events.append("sync-folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "sync-file")
        real_fsync(fd)

    def replace(source: str | Path, target: str | Path) -> None:
        events.append(f"name {Path(target).name}")
        real_replace(source, target)

    def opened(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & os.O_CREAT:
            events.append("create")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "open", opened)
    for name in ("MAIN_a1.seg", "MAIN_b2.seg", "MAIN_c3.seg"):
        with storage.create_file(name) as out:
            out.write(os.urandom(BLOCK + 10))
    segments = len(events)
    with storage.create_file("_MAIN_4.toc.1733349000.25") as out:
        out.write(b"table of contents")
    assert len(events) == segments, f"the draft reached the disk: {events}"
    storage.rename_file("_MAIN_4.toc.1733349000.25", "_MAIN_4.toc", safe=True)
    monkeypatch.undo()

    named = [n for n, e in enumerate(events) if e.startswith("name MAIN_")]
    assert len(named) == 3
    assert all(events[n - 1] == "sync-file" for n in named), events
    assert events.count("create") == 4, events  # three segments and the table, once each
    table = events.index("name _MAIN_4.toc")
    assert "sync-folder" in events[max(named) : table], events
    assert events[table - 1] == "sync-file" and events[table + 1 :] == ["sync-folder"], events
    assert events.count("sync-folder") == 2, events
    assert sorted(storage.list()) == ["MAIN_a1.seg", "MAIN_b2.seg", "MAIN_c3.seg", "_MAIN_4.toc"]
    with storage.open_file("_MAIN_4.toc") as back:
        assert back.read() == b"table of contents"


def test_lock_is_in_process_and_leaves_no_file(tmp_path: Path) -> None:
    storage = EncryptedStorage(tmp_path / "ix", KEY).create()
    first = storage.lock("WRITELOCK")
    again = EncryptedStorage(tmp_path / "ix", KEY).lock("WRITELOCK")
    assert first.acquire()
    assert not again.acquire(), "a second writer in the process must be refused"
    first.release()
    assert again.acquire()
    again.release()
    assert list((tmp_path / "ix").iterdir()) == []


WORDS = ["Zorglubéquation", "Quuxtrepidation", "Xylofragmentiste", "Wombatocratie"]
NEEDLES = needles_for(["zorglub", "quuxtrep", "xylofrag", "wombatoc"])


def _leak_items(case_id: str, count: int = 150, words: int = 400) -> list[IndexItem]:
    # Enough varied text for the writer's 1 MB posting pool to spill runs to temp files.
    rng = random.Random(7)
    items = []
    for n in range(count):
        filler = " ".join(f"{rng.choice(WORDS)}{rng.randint(0, 5000)}" for _ in range(words))
        items.append(
            IndexItem(
                item_id=f"d{n}:0",
                doc_id=f"d{n}",
                case_id=case_id,
                item_type="page",
                kind="article",
                title=f"{WORDS[n % 4]} report",
                text=f"{WORDS[n % 4]} {filler}",
                page_index=0,
                language="fr",
                people=[WORDS[1]],
                tags=[WORDS[2]],
            )
        )
    return items


def test_no_indexed_word_reaches_the_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Anything Whoosh might write to the system temp folder lands here instead, to be seen.
    systemp = tmp_path / "systemp"
    systemp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(systemp))
    # Written by this process's writer, whose posting pool spills runs to the index's temp
    # folder (the workers build segments in memory: test_search_workers scans theirs).
    monkeypatch.setattr(facade_module, "_in_workers", lambda _items: False)
    folder = tmp_path / "index" / "case-1"
    index = SearchIndex.open(folder, KEY, "case-1")
    index.writer_limit_mb = 1
    seen_during: list[str] = []
    temp_files_seen: set[str] = set()

    def inspect(fraction: float, message: str) -> None:
        # Scan while the writer works: spilled posting runs exist only now.
        for path in folder.rglob("*"):
            if path.is_file() and path.parent != folder:
                temp_files_seen.add(path.name)
        try:
            seen_during.extend(scan([folder], NEEDLES))
        except FileNotFoundError:
            pass  # a sealed file was renamed into place between listing and reading it

    index.add(_leak_items("case-1"), progress=inspect)
    # The word that opens every fourth page (a prefix query would rank thousands of words).
    assert index.search("zorglubequation"), "the words were indexed"
    index.remove(["d3"])
    index.close()
    assert temp_files_seen, "the test must see the writer's temporary files"
    assert seen_during == []
    assert scan([folder], NEEDLES) == []
    assert list(systemp.iterdir()) == []

    # Control: the same scan finds the words in a plain Whoosh index of the same text.
    plain = FileStorage(str(tmp_path / "plain")).create()
    writer = plain.create_index(fields.Schema(body=fields.TEXT(stored=True))).writer()
    for item in _leak_items("case-1")[:5]:
        writer.add_document(body=item.text)
    writer.commit()
    assert scan([tmp_path / "plain"], NEEDLES)


def _small_items() -> list[IndexItem]:
    return _leak_items("case-1", count=60, words=150)


def _built_index(tmp_path: Path, items: list[IndexItem] | None = None) -> Path:
    folder = tmp_path / "index" / "case-1"
    index = SearchIndex.open(folder, KEY, "case-1")
    index.add(items if items is not None else _small_items())
    index.close()
    return folder


def _flagged(index: SearchIndex) -> bool:
    # Read through a call so the type checker does not keep an earlier assert's narrowing.
    return index.needs_rebuild


def _segment(folder: Path) -> Path:
    return next(p for p in folder.iterdir() if p.suffix == ".seg")


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "damage",
    ["segment-tail", "toc", "truncate", "missing-segment", "moved-toc", "meta"],
)
def test_damaged_index_is_flagged_for_rebuild_on_open(tmp_path: Path, damage: str) -> None:
    folder = _built_index(tmp_path)
    toc = next(p for p in folder.iterdir() if p.suffix == ".toc")
    if damage == "segment-tail":
        _flip(_segment(folder), _segment(folder).stat().st_size - 5)
    elif damage == "toc":
        _flip(toc, 40)
    elif damage == "truncate":
        segment = _segment(folder)
        segment.write_bytes(segment.read_bytes()[:-100])
    elif damage == "missing-segment":
        _segment(folder).unlink()
    elif damage == "moved-toc":
        toc.rename(folder / "_MAIN_99.toc")
    else:
        _flip(folder / "dossier-index.meta", 30)
    index = SearchIndex.open(folder, KEY, "case-1")
    assert index.needs_rebuild
    assert index.rebuild_reason is not None and "damaged" in index.rebuild_reason
    assert index.search("wombatocratie") == []
    assert index.rebuild(_small_items()) == 60
    assert not _flagged(index)
    assert len(index.search("wombatocratie", limit=100)) == 15
    index.close()


def test_damage_found_while_searching_raises_a_rebuild_signal(tmp_path: Path) -> None:
    from dossier.search import IndexDamaged

    items = _leak_items("case-1", count=60, words=600)
    folder = _built_index(tmp_path, items)
    segment = _segment(folder)
    assert segment.stat().st_size > 4 * BLOCK, "the segment must span several blocks"
    index = SearchIndex.open(folder, KEY, "case-1")
    assert not _flagged(index)
    # Damage every block but the last (which open() checks): the next read finds it.
    data = bytearray(segment.read_bytes())
    for offset in range(100, len(data) - BLOCK - 100, BLOCK // 2):
        data[offset] ^= 0x01
    segment.write_bytes(bytes(data))
    with pytest.raises(IndexDamaged, match="damaged"):
        index.search("wombatocratie")
    assert index.needs_rebuild
    with pytest.raises(IndexDamaged):
        index.verify()
    index.rebuild(items)
    assert len(index.search("wombatocratie", limit=100)) == 15
    index.verify()
    index.close()


def test_wrong_key_means_rebuild_not_crash(tmp_path: Path) -> None:
    folder = _built_index(tmp_path)
    index = SearchIndex.open(folder, bytes(32), "case-1")
    assert index.needs_rebuild
    index.close()


def test_crash_leftovers_are_removed_on_open(tmp_path: Path) -> None:
    folder = _built_index(tmp_path)
    (folder / "MAIN.tmp").mkdir()
    (folder / "MAIN.tmp" / "abc.run").write_bytes(os.urandom(100))
    (folder / ".tmp-0123456789abcdef").write_bytes(os.urandom(100))
    (folder / "_MAIN_7.toc.1712345678.9").write_bytes(os.urandom(100))
    (tmp_path / "index" / "case-1.rebuild-abcdef").mkdir()
    index = SearchIndex.open(folder, KEY, "case-1")
    assert not _flagged(index)
    assert len(index.search("wombatocratie", limit=100)) == 15
    names = sorted(p.name for p in folder.iterdir())
    assert all(not n.startswith(".tmp-") and ".toc." not in n for n in names)
    assert not [p for p in folder.iterdir() if p.is_dir()]
    assert [p.name for p in (tmp_path / "index").iterdir()] == ["case-1"]
    index.close()
