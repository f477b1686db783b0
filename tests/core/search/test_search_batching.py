"""Index writes are batched: never a commit per imported file, searchable within seconds, and a
process killed with writes uncommitted loses nothing (the catalog is the source of truth)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.errors import UsageError
from dossier.search import IndexItem, SearchIndex
from dossier.search import pending as pending_module
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.paths import REPO

KEY = bytes(range(32))


def _page(doc: str, index: int, text: str, case_id: str = "case-a") -> IndexItem:
    return IndexItem(
        item_id=f"{doc}:{index}",
        doc_id=doc,
        case_id=case_id,
        item_type="page",
        kind="source",
        title=doc,
        text=text,
        page_index=index,
        language="fr",
    )


def _write_files(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    paths = []
    for number in range(count):
        path = folder / f"note-{number:03d}.txt"
        path.write_text(f"Note {number}: le dossier mot{number}x parle de surveillance.\n")
        paths.append(path)
    return paths


def test_a_folder_import_commits_the_index_a_few_times_not_per_file(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The timer's commits (every two seconds) counted too: an import slowed past ten seconds
    # by a loaded machine would have failed. The test that pages become searchable has them.
    monkeypatch.setattr(pending_module, "COMMIT_SECONDS", 3600.0)
    case = workspace.cases.create("Lot").id
    assert workspace.search.query("surveillance", case=case) == []  # the index exists
    index = workspace.search._indexes[case]
    before = index.generation()
    paths = _write_files(tmp_path / "notes", 40)
    outcomes = workspace.documents.import_many(case, paths, ocr=False)
    assert all(o.document is not None for o in outcomes)
    hits = workspace.search.query("mot17x", case=case)
    assert [h.title for h in hits] == ["note-017"]
    assert len(workspace.search.query("surveillance", case=case, limit=100)) == 40
    # The commits of its groups and the one the search made: never one per file.
    assert index.generation() - before <= 5


def test_pages_become_searchable_while_the_writer_stays_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pending_module, "COMMIT_SECONDS", 0.2)
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        # The timer's commit waits until the marker has been seen: a test thread kept off its
        # core past the timer (load 11) found the work committed and the marker gone.
        seen = threading.Event()
        due = index._pending._on_due
        index._pending._on_due = lambda: (seen.wait(120), due())  # type: ignore[assignment]
        first = index.generation()
        index.add([_page("a", 0, "Le préfet a signé l’arrêté.")])
        marker = tmp_path / "ix" / pending_module.PENDING_NAME
        assert marker.exists()
        seen.set()
        deadline = time.monotonic() + 120
        while (index.generation() == first or marker.exists()) and time.monotonic() < deadline:
            time.sleep(0.05)  # no read, no close: only the timer can commit
        assert index.generation() > first
        assert not marker.exists()
        assert [h.item_id for h in index.search("préfet")] == ["a:0"]


def test_a_search_that_must_not_wait_commits_an_edit_but_not_a_running_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Committing a running import's writes made each search typed during it pay for a commit
    # (0.7 s under load), at every keystroke; an edit just made must still be found.
    monkeypatch.setattr(pending_module, "COMMIT_SECONDS", 3600.0)

    def answer(index: SearchIndex, text: str) -> list[str]:
        return [h.item_id for h in index.search_parsed(index.parse(text), None, 50, wait=False)]

    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        index.add([_page("edit", 0, "Le préfet a signé l’arrêté.")])
        assert answer(index, "préfet") == ["edit:0"]
        committed = index.generation()
        filler = " ".join(f"mot{n}" for n in range(2_000))
        pages = [_page("import", n, f"vidéosurveillance {filler}") for n in range(40)]
        assert sum(len(page.text) for page in pages) > pending_module.SMALL_BYTES
        index.importers += 1  # what `SearchService.importing` does while an import runs
        index.replace_documents([], pages, edit=False)  # an import's new pages, no edit
        assert answer(index, "vidéosurveillance") == []
        assert index.generation() == committed
        index.importers -= 1  # the import has ended: what it wrote is found at once
        assert len(answer(index, "vidéosurveillance")) == 40


def test_a_document_changed_twice_before_a_commit_is_indexed_once(tmp_path: Path) -> None:
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        index.replace_documents(["a"], [_page("a", 0, "premier texte"), _page("a", 1, "suite")])
        index.replace_documents(["a"], [_page("a", 0, "second texte")])
        assert index.count() == 1
        assert [h.item_id for h in index.search("second")] == ["a:0"]
        assert index.search("premier") == [] and index.search("suite") == []


def test_a_refused_write_keeps_the_pending_work_of_others(tmp_path: Path) -> None:
    with SearchIndex.open(tmp_path / "ix", KEY, "case-a") as index:
        index.add([_page("a", 0, "gendarmerie nationale")])
        with pytest.raises(UsageError):
            index.add([_page("b", 0, "ailleurs"), _page("c", 0, "autre", case_id="case-b")])
        assert [h.item_id for h in index.search("gendarmerie")] == ["a:0"]
        assert index.search("ailleurs") == []


CRASHING_SESSION = """
import os, sys
from pathlib import Path
from dossier.services.documents.dto import DocumentEdit
from dossier.services.workspace import Workspace
ws = Workspace.open(Path(sys.argv[1]), sys.argv[2])
case, old_doc = sys.argv[3], sys.argv[4]
paths = sorted(Path(sys.argv[5]).iterdir())
ws.documents.import_many(case, paths, ocr=False)
ws.documents.update(old_doc, DocumentEdit(title="Rapport Zorglub"))
os._exit(0)  # killed: nothing closed, the index writer never committed
"""


def test_a_session_killed_before_the_index_commit_loses_nothing(
    vault_path: Path, tmp_path: Path
) -> None:
    first = tmp_path / "first.txt"
    first.write_text("Le premier document parle de la préfecture.\n")
    with Workspace.create(vault_path, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("Crash").id
        old_doc = ws.documents.import_file(case, first, ocr=False).id
        assert ws.search.query("préfecture", case=case)
        index_dir = ws.vault.index_dir(case)
    folder = tmp_path / "notes"
    _write_files(folder, 12)
    subprocess.run(
        [sys.executable, "-c", CRASHING_SESSION, str(vault_path), PASSPHRASE, case, old_doc,
         str(folder)],
        check=True, cwd=REPO, timeout=120,
    )  # fmt: skip
    marker = index_dir / pending_module.PENDING_NAME
    assert marker.exists()
    assert b"since" not in marker.read_bytes()  # sealed like every index file
    with Workspace.open(vault_path, PASSPHRASE) as ws:
        assert [h.doc_id for h in ws.search.query("Zorglub", case=case)] == [old_doc]
        assert [h.title for h in ws.search.query("mot7x", case=case)] == ["note-007"]
        assert len(ws.search.query("surveillance", case=case, limit=100)) == 12
        assert not marker.exists()
