"""SIGKILL at each step of a group's import: while the writer threads write and sync its
originals, between two of them put in place, once all are in place, once its pages went to the
index's workers before the catalog commit, inside that commit, after it and while the index
writes what the workers built. The next unlock opens a vault fsck finds clean (at most an
orphan original, which gc removes), no document half there, no index entry the catalog does
not hold, no plaintext under the vault or the temp folder, and the import redone completes."""

from __future__ import annotations

import signal
import zipfile
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.fsutil import TEMP_PREFIX
from dossier.search.facade import SearchIndex
from dossier.services.search import ITEMS_DOC
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.killable import Driver
from tests.leakscan import needles_for, scan

STEP_DRIVER = """
import itertools, os, signal, sys
from pathlib import Path
from dossier.crypto import sealedfile
from dossier import blobstore
from dossier.db import inventory
from dossier.search import analysed, pending
from dossier.services import search
from dossier.services.workspace import Workspace
vault, case, step, *files = sys.argv[1:]
analysed.PARALLEL_MIN_BYTES = 100  # the group's pages go to the workers before its commit


def die(*_args, **_kwargs):
    os.kill(os.getpid(), signal.SIGKILL)


def at_call(owner, name, nth, *, then=False):
    original = getattr(owner, name)
    calls = itertools.count(1)

    def counted(*args, **kwargs):
        # The call's own number, taken once: the folders are synced side by side, and a count
        # read again after the call had already grown past `nth` in every thread.
        number = next(calls)
        if number == nth and not then:
            die()
        result = original(*args, **kwargs)
        if number == nth and then:
            die()
        return result

    setattr(owner, name, counted)


STEPS = {{
    "an original half written": lambda: at_call(sealedfile.SealedWriter, "_emit", 2),
    "an original synced, not in place": lambda: at_call(
        sealedfile.SealedWriter, "sync", 1, then=True
    ),
    "two originals in place of more": lambda: at_call(
        sealedfile.SealedWriter, "place", 2, then=True
    ),
    "every original in place, folders synced": lambda: at_call(
        blobstore, "fsync_dir", 1, then=True
    ),
    "pages handed to the workers, catalog not committed": lambda: at_call(
        search.SearchService, "documents_storing", 1, then=True
    ),
    "the rows signed, catalog not committed": lambda: at_call(
        inventory, "seal_changes", 1, then=True
    ),
    "the catalog committed, index not told": lambda: at_call(
        search.SearchService, "documents_imported", 1
    ),
    "the workers' segments written to the index": lambda: at_call(
        pending.PendingWriter, "add_built", 1, then=True
    ),
}}
with Workspace.open(Path(vault), {passphrase!r}) as ws:
    STEPS[step]()
    ws.documents.import_many(case, [Path(f) for f in files], ocr=False)
    ws.search.query("commun", case=case)
    print("NOT KILLED", flush=True)
"""
STEPS = (
    "an original half written",
    "an original synced, not in place",
    "two originals in place of more",
    "every original in place, folders synced",
    "pages handed to the workers, catalog not committed",
    "the rows signed, catalog not committed",
    "the catalog committed, index not told",
    "the workers' segments written to the index",
)
WORDS = ("Zygomorphe", "Xylophage", "Quetzalcoatl", "Wapitiroux", "Batrachien", "Ophicléide")


def group_files(folder: Path, filler: int = 30_000) -> list[Path]:
    """Notes (each of `filler` more words: originals in files, above `SMALL`; the first
    written in two blocks by default) and a zip of three members (small originals: rows of
    the catalog): each holds a word of `WORDS` of its own, and "commun"."""
    folder.mkdir()
    paths = []
    for number, word in enumerate(WORDS[:3]):
        path = folder / f"note-{number}.txt"
        more = " ".join(f"remplissage{n}" for n in range(filler if number == 0 else 6_000))
        path.write_text(f"{word} commun {number}.\n{more}\n", encoding="utf-8")
        paths.append(path)
    archive = folder / "envoi.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for word in WORDS[3:]:
            out.writestr(f"pièce-{word}.txt", f"Pièce {word} commun.\n")
    paths.append(archive)
    return paths


def index_entries(ws: Workspace, case: str) -> set[str]:
    """The documents the case's index holds, as the disk has it (no search reconciled it)."""
    index = SearchIndex.open(ws.vault.index_dir(case), ws.vault.case_keys(case).index, case)
    try:
        return set(index.doc_versions()) - {ITEMS_DOC}
    finally:
        index.close()


@pytest.mark.slow
@pytest.mark.parametrize("step", STEPS)
def test_a_kill_at_each_step_of_a_group_leaves_a_whole_vault_and_an_import_to_redo(
    tmp_path: Path, step: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    vault = tmp_path / "Kill.dossier"
    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("Kill").id
    files = group_files(tmp_path / "in")
    driver = Driver(
        STEP_DRIVER.format(passphrase=PASSPHRASE), str(vault), case, step, *map(str, files)
    )
    out, err = driver.communicate(timeout=120)
    assert driver.returncode == -signal.SIGKILL, (out, err)
    assert scan([vault, temp], needles_for(WORDS)) == []
    with Workspace.open(vault, PASSPHRASE) as ws:
        assert not list(vault.rglob(f"{TEMP_PREFIX}*")), "a temp file outlived the next open"
        report = ws.fsck.run()
        assert report.ok, report.problems
        docs = {doc.id: doc for doc in ws.documents.of_case(case)}
        for doc in docs.values():
            assert len(ws.documents.pages(doc.id, with_words=False)) == doc.page_count
        # Whatever the index kept of the group is what the catalog holds, before any search
        # reconciles them, and a search finds exactly the catalog's documents.
        assert index_entries(ws, case) <= set(docs), "the index holds a document never committed"
        found = {hit.doc_id for hit in ws.search.query("commun", case=case, limit=100)}
        assert found == {doc.id for doc in docs.values() if doc.filename != "envoi.zip"}
        # The import done again completes, and leaves nothing for gc but what the kill left.
        again = ws.documents.import_many(case, files, ocr=False)
        assert all(o.document is not None or o.already_as for o in again), [o.error for o in again]
        for word in WORDS:
            assert ws.search.query(word, case=case), word
        ws.fsck.collect_garbage()
        report = ws.fsck.run()
        assert report.ok and not report.notes, (report.problems, report.notes)
        assert len(ws.documents.of_case(case)) == 4 + 3
    assert scan([vault, temp], needles_for(WORDS)) == []
