"""Old copies of a case's search index put back by someone who has the disk but not the key.

Every sealed index file is authentic on its own: what an old copy lacks is freshness. Whatever
is restored (the whole folder, a single file, old and new files mixed, the pending marker of an
interrupted update removed, another case's index, another vault's), the next unlock must search
what the catalog holds now: the index is reconciled or rebuilt, never silently stale."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.db.models import Document
from dossier.search import analysed, built, merging
from dossier.search.pending import PENDING_NAME
from dossier.services.documents.dto import DocumentEdit
from dossier.services.indexversions import catalog_versions
from dossier.services.people.dto import PersonEdit
from dossier.services.quotes.dto import QuoteEdit
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.pdfgen import text_page, write_pdf


@dataclass
class Scene:
    vault: Path
    case: str
    other_case: str
    old: Path
    """The case's index folder as it was at T1."""
    other_old: Path
    """The other case's index folder at T1."""
    pending: Path | None = None
    """The case's index folder copied while an update was written but not committed."""


# What the catalog holds after T1 (found) and no longer holds (gone), by kind of change.
FOUND = {
    "replaced original": "yankee",
    "re-extracted (new title)": "Zorglub",
    "new document": "delta",
    "edited quote": "nouvelle",
    "new person": "Quartermaine",
    "renamed person": "Belvédère",
}
GONE = {
    "replaced original": "zebra",
    "deleted document": "bravo",
    "edited quote": "ancienne",
    "renamed person": "Tournesol",
}


def _pdf(folder: Path, name: str, *lines: str) -> Path:
    return write_pdf(folder / name, [text_page(*lines)])


def _copy(ws: Workspace, case: str, to: Path) -> Path:
    """A copy of the case's index, taken under its writer's lock: a merge the workers finished
    is committed by a thread of the app, and a copy taken meanwhile caught one of its temporary
    files between its listing and its reading (loaded full run)."""
    with ws.search._indexes[case]._write_lock:
        shutil.copytree(ws.vault.index_dir(case), to)
    return to


def _make(tmp_path: Path, *, catch_pending: bool = False) -> Scene:
    vault = tmp_path / "Live.dossier"
    files = tmp_path / "files"
    files.mkdir()
    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("Port").id
        other = ws.cases.create("Quai").id
        a = ws.documents.import_file(case, _pdf(files, "a.pdf", "alpha zebra"), kind="source").id
        b = ws.documents.import_file(case, _pdf(files, "b.pdf", "bravo charlie")).id
        c = ws.documents.import_file(case, _pdf(files, "c.pdf", "charlie echo")).id
        ws.documents.import_file(other, _pdf(files, "o.pdf", "bravo zebra ancienne"))
        ws.people.add(case, "Professeur Tournesol")
        quote = ws.quotes.add(case, "une phrase ancienne", speaker="Tournesol").id
        assert ws.search.query("zebra", case=case) and ws.search.query("bravo", case=other)
        old = _copy(ws, case, tmp_path / "old-index")
        other_old = _copy(ws, other, tmp_path / "other-old-index")
    scene = Scene(vault, case, other, old, other_old)
    with Workspace.open(vault, PASSPHRASE) as ws:
        ws.documents.replace_original(a, _pdf(files, "a2.pdf", "alpha yankee"))
        ws.documents.update(c, DocumentEdit(title="Rapport Zorglub"))
        ws.documents.delete(b)
        ws.documents.import_file(case, _pdf(files, "d.pdf", "delta foxtrot"))
        ws.quotes.update(quote, QuoteEdit(text="une phrase nouvelle"))
        ws.people.add(case, "Amiral Quartermaine")
        ws.people.update(case, "Tournesol", PersonEdit(name="Capitaine Belvédère"))
        if catch_pending:
            # An update written to the open index writer, not committed yet: what a crash
            # (or a copy taken now) leaves, its pending marker standing for it.
            ws.documents.update(a, DocumentEdit(title="Rapport Hotel"))
            index = ws.vault.index_dir(case)
            if (index / PENDING_NAME).exists():
                scene.pending = _copy(ws, case, tmp_path / "pending-index")
        ws.search.query("yankee", case=case)
    return scene


_BUILT: dict[bool, Scene] = {}
"""One scene of each kind per test process, copied for each test (each takes seconds)."""


@pytest.fixture
def scenes(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Scene]:
    def scene(*, catch_pending: bool = False) -> Scene:
        built = _BUILT.get(catch_pending)
        if built is None:
            folder = tmp_path_factory.mktemp("rollback-scene")
            built = _BUILT[catch_pending] = _make(folder, catch_pending=catch_pending)
        copy = tmp_path / "scene"
        shutil.copytree(built.vault.parent, copy)

        def moved(path: Path) -> Path:
            return copy / path.relative_to(built.vault.parent)

        pending = moved(built.pending) if built.pending is not None else None
        return replace(
            built,
            vault=moved(built.vault),
            old=moved(built.old),
            other_old=moved(built.other_old),
            pending=pending,
        )

    return scene


def _restore(scene: Scene, source: Path, *, whole: bool = True) -> None:
    target = scene.vault / "index" / scene.case
    if whole:
        shutil.rmtree(target)
        shutil.copytree(source, target)
    else:
        for path in source.iterdir():
            if path.is_file():
                shutil.copy2(path, target / path.name)


def _assert_current(scene: Scene) -> None:
    with Workspace.open(scene.vault, PASSPHRASE) as ws:
        for change, word in FOUND.items():
            assert ws.search.query(word, case=scene.case), f"{change}: {word} not found"
        for change, word in GONE.items():
            assert not ws.search.query(word, case=scene.case), f"{change}: {word} still found"
        assert ws.search.query("bravo", case=scene.other_case)


def _toc_only(scene: Scene) -> None:
    target = scene.vault / "index" / scene.case
    for toc in target.glob("_MAIN_*.toc"):
        toc.unlink()
    for toc in scene.old.glob("_MAIN_*.toc"):
        shutil.copy2(toc, target / toc.name)


ATTACKS: dict[str, Callable[[Scene], None]] = {
    "the whole folder of T1": lambda s: _restore(s, s.old),
    "T1's files over the current ones": lambda s: _restore(s, s.old, whole=False),
    "T1's table of contents alone": _toc_only,
    "another case's index of T1": lambda s: _restore(s, s.other_old),
}


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_an_old_copy_of_the_index_is_never_searched_stale(
    scenes: Callable[..., Scene], attack: str
) -> None:
    scene = scenes()
    ATTACKS[attack](scene)
    _assert_current(scene)


def test_an_index_from_another_vault_is_rebuilt(
    tmp_path: Path, scenes: Callable[..., Scene]
) -> None:
    scene = scenes()
    stranger = tmp_path / "Stranger.dossier"
    with Workspace.create(stranger, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("Port").id
        ws.documents.import_file(case, _pdf(tmp_path, "s.pdf", "zebra ancienne bravo"))
        ws.search.query("zebra", case=case)
        foreign = _copy(ws, case, tmp_path / "foreign-index")
    _restore(scene, foreign)
    _assert_current(scene)


@pytest.mark.parametrize("marker", ["kept", "removed"])
def test_an_interrupted_update_is_redone_even_without_its_marker(
    scenes: Callable[..., Scene], marker: str
) -> None:
    scene = scenes(catch_pending=True)
    assert scene.pending is not None, "the update was committed at once: nothing to catch"
    if marker == "removed":
        (scene.pending / PENDING_NAME).unlink()
    _restore(scene, scene.pending)
    _assert_current(scene)
    with Workspace.open(scene.vault, PASSPHRASE) as ws:
        assert ws.search.query("Hotel", case=scene.case)


def test_a_stale_index_is_reconciled_with_a_line_that_says_why(
    scenes: Callable[..., Scene], caplog: pytest.LogCaptureFixture
) -> None:
    scene = scenes()
    _restore(scene, scene.old)
    with caplog.at_level(logging.INFO, logger="dossier.services.search"):
        _assert_current(scene)
    assert any("older than the catalog" in r.getMessage() for r in caplog.records)


def test_an_index_in_step_is_neither_rebuilt_nor_written_at_unlock(
    scenes: Callable[..., Scene], caplog: pytest.LogCaptureFixture
) -> None:
    scene = scenes()
    folder = scene.vault / "index" / scene.case
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    with caplog.at_level(logging.INFO, logger="dossier.services.search"):
        _assert_current(scene)
    after = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert after == before
    assert not any("older than the catalog" in r.getMessage() for r in caplog.records)


def test_segments_built_and_merged_by_the_workers_are_versioned_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large batch's segments come back from worker processes and are written sealed at the
    app's next commit; too many are merged by a worker: an old copy of what they made is
    brought up to date as any other."""
    monkeypatch.setattr(analysed, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(built, "PART_BYTES", 64)
    monkeypatch.setattr(merging, "MAX_SEGMENTS", 2)
    vault = tmp_path / "Live.dossier"
    files = tmp_path / "files"
    files.mkdir()

    def note(name: str, text: str) -> Path:
        path = files / f"{name}.txt"
        path.write_text(f"{text}\n\nune page de {name}, ligne {name}.\n", "utf-8")
        return path

    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("Port").id
        outcomes = ws.documents.import_many(
            case, [note(f"n{n}", f"ancien{n} commun") for n in range(6)], ocr=False
        )
        docs = [o.document.id for o in outcomes if o.document is not None]
        assert ws.search.query("ancien3", case=case)
        old = _copy(ws, case, tmp_path / "old-index")
    with Workspace.open(vault, PASSPHRASE) as ws:
        for n in (1, 3):
            ws.documents.replace_original(docs[n], note(f"r{n}", f"nouveau{n} commun"))
        ws.documents.import_many(
            case, [note(f"m{n}", f"nouveau{n} commun") for n in (6, 7, 8)], ocr=False
        )
        ws.documents.delete(docs[5])
        assert ws.search.query("nouveau7", case=case)
    shutil.rmtree(vault / "index" / case)
    shutil.copytree(old, vault / "index" / case)
    with Workspace.open(vault, PASSPHRASE) as ws:
        for n in (1, 3, 6, 7, 8):
            assert ws.search.query(f"nouveau{n}", case=case), n
        for n in (1, 3, 5):
            assert not ws.search.query(f"ancien{n}", case=case), n
        for n in (0, 2, 4):
            assert ws.search.query(f"ancien{n}", case=case), n


def test_versions_from_the_case_check_are_the_catalogs_and_only_while_nothing_changed(
    scenes: Callable[..., Scene],
) -> None:
    """The first search after unlock takes the documents' versions from the MACs the case's
    check has just read (not reading every page row twice): the same versions as read from
    the catalog, and never once something was committed after the check."""
    scene = scenes()
    with Workspace.open(scene.vault, PASSPHRASE) as ws:
        ws.vault.case_keys(scene.case)  # the case checked, its MACs kept
        kept = catalog_versions(ws.vault, scene.case)
        assert ws.vault.checked_macs(scene.case) is None  # used once
        read = catalog_versions(ws.vault, scene.case)
        assert kept == read and len(read) == len(ws.documents.of_case(scene.case))
    with Workspace.open(scene.vault, PASSPHRASE) as ws:
        doc = ws.documents.of_case(scene.case)[0].id  # the case checked, its MACs kept
        with ws.vault.session() as session:  # committed after the check, nothing told
            session.get_one(Document, doc).notes = "vu au port"
            session.commit()
        after = catalog_versions(ws.vault, scene.case)
        assert after[doc] != read[doc]
        assert {d: v for d, v in after.items() if d != doc} == {
            d: v for d, v in read.items() if d != doc
        }


def test_a_document_without_pages_is_no_reason_to_write_the_index_at_each_unlock(
    tmp_path: Path,
) -> None:
    vault = tmp_path / "Live.dossier"
    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("Port").id
        ws.documents.import_file(case, _pdf(tmp_path, "a.pdf", "alpha zebra"))
        with ws.vault.session() as session:  # nothing in it to search
            session.add(Document(case_id=case, kind="source", title="Vide"))
            session.commit()
        assert ws.search.query("zebra", case=case)
    folder = vault / "index" / case
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    with Workspace.open(vault, PASSPHRASE) as ws:
        assert ws.search.query("zebra", case=case)
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before
