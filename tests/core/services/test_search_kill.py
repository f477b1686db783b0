"""SIGKILL while documents are replaced and imported, at every step of an update of the index
(the catalog's commit, the index's open writer and its pending marker, the segments, the table of
contents, the marker removed): the next unlock searches exactly what the catalog holds, indexes
again only the documents the kill left behind, and never rebuilds the whole index."""

from __future__ import annotations

import logging
import random
import re
import signal
import time
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.search.facade import SearchIndex
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.killable import Driver

DRIVER = """
import sys
from pathlib import Path
from dossier.services.workspace import Workspace
vault, case, texts, start, *docs = sys.argv[1:]
with Workspace.open(Path(vault), {passphrase!r}) as ws:
    print("OPEN", flush=True)
    for r in range(int(start), int(start) + 1000):
        path = Path(texts) / f"v{{r}}.txt"
        path.write_text(f"version{{r}} commun\\n\\nune ligne de plus, {{r}}.\\n", "utf-8")
        print(f"WRITING {{r}}", flush=True)
        if r % 3 == 2:
            ws.documents.import_file(case, path, ocr=False)
        else:
            ws.documents.replace_original(docs[r % len(docs)], path, ocr=False)
        print(f"DONE {{r}}", flush=True)
"""
STALE = re.compile(r"(\d+) document\(s\) older than the catalog")


def _vault(folder: Path, notes: int) -> tuple[Path, str, list[str]]:
    """(vault, case, documents): notes saying "premier<n> commun", indexed."""
    vault = folder / "Kill.dossier"
    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("Kill").id
        docs = []
        for n in range(notes):
            note = folder / f"d{n}.txt"
            note.write_text(f"premier{n} commun\n", "utf-8")
            docs.append(ws.documents.import_file(case, note, ocr=False).id)
        assert ws.search.query("commun", case=case)
    return vault, case, docs


def _assert_not_rebuilt(ws: Workspace, case: str) -> None:
    """The index the kill left opens as it is: no rebuild waits for the next search."""
    index = SearchIndex.open(ws.vault.index_dir(case), ws.vault.case_keys(case).index, case)
    try:
        assert not index.needs_rebuild, index.rebuild_reason
    finally:
        index.close()


@pytest.mark.slow
def test_sigkill_during_index_updates_leaves_an_index_in_step_without_a_rebuild(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rng = random.Random(20261204)
    texts = tmp_path / "texts"
    texts.mkdir()
    vault, case, docs = _vault(texts, 4)
    start, kills, pace = 0, 0, 0.5
    for _round in range(8):
        proc = Driver(
            DRIVER.format(passphrase=PASSPHRASE), str(vault), case, str(texts), str(start), *docs
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "OPEN"
        time.sleep(rng.uniform(0.0, 1.0) * pace)
        killed = proc.poll() is None
        if killed:
            proc.kill()
            kills += 1
        out, err = proc.communicate(timeout=60)
        assert "Traceback" not in err or proc.returncode == -signal.SIGKILL, err
        written = [int(line.split()[1]) for line in out.splitlines() if line.startswith("WRITING")]
        if not written:
            pace *= 2  # killed before its first change: slower than thought
            continue
        with Workspace.open(vault, PASSPHRASE) as ws:
            _assert_not_rebuilt(ws, case)
            caplog.clear()
            with caplog.at_level(logging.INFO, logger="dossier.services.search"):
                found = ws.search.query("commun", case=case, limit=1000)
            current = {d.id: ws.documents.text(d.id) for d in ws.documents.of_case(case)}
            assert {h.doc_id for h in found} == set(current)
            held = set()
            for doc_id, text in current.items():
                for word in re.findall(r"(?:premier|version)\d+", text):
                    held.add(word)
                    hits = ws.search.query(word, case=case)
                    assert {h.doc_id for h in hits} == {doc_id}, word
            for r in range(written[-1] + 1):
                if f"version{r}" not in held:
                    assert not ws.search.query(f"version{r}", case=case), r
            # Only what the kill interrupted is indexed again: changes not committed to the index
            # yet (a few seconds of them are gathered into one commit), never every document.
            redone = sum(
                int(m.group(1)) for r in caplog.records if (m := STALE.search(r.getMessage()))
            )
            assert redone <= len(written), (redone, written)
        start = written[-1] + 1
    assert kills >= 4, "the test must really interrupt updates"


STEP_DRIVER = """
import os, signal, sys
from pathlib import Path
from dossier.search import analysed, pending, storage
from dossier.services import search
from dossier.services.workspace import Workspace
vault, case, doc, text, step = sys.argv[1:]
analysed.PARALLEL_MIN_BYTES = 0  # the workers build the segments, the app writes them


def die(*_args, **_kwargs):
    os.kill(os.getpid(), signal.SIGKILL)


def after(owner, name):
    original = getattr(owner, name)

    def then_die(self, *args, **kwargs):
        original(self, *args, **kwargs)
        die()

    setattr(owner, name, then_die)


STEPS = {{
    "the catalog committed": lambda: setattr(search.SearchService, "document_changed", die),
    "the pending marker written": lambda: after(pending.PendingWriter, "mark"),
    "the workers' segments written": lambda: after(pending.PendingWriter, "add_built"),
    "the table of contents written, not renamed": lambda: setattr(
        storage.EncryptedStorage, "rename_file", die
    ),
    "the table of contents in place": lambda: setattr(
        pending.PendingWriter, "forget_marker", die
    ),
}}
with Workspace.open(Path(vault), {passphrase!r}) as ws:
    ws.search.query("commun", case=case)
    STEPS[step]()
    ws.documents.replace_original(doc, Path(text), ocr=False)
    ws.search.query("commun", case=case)
    print("NOT KILLED", flush=True)
"""
STEPS = (
    "the catalog committed",
    "the pending marker written",
    "the workers' segments written",
    "the table of contents written, not renamed",
    "the table of contents in place",
)


@pytest.mark.parametrize("step", STEPS)
def test_a_kill_at_each_step_of_an_index_update_costs_one_document_and_no_rebuild(
    tmp_path: Path, step: str, caplog: pytest.LogCaptureFixture
) -> None:
    vault, case, docs = _vault(tmp_path, 3)
    replacement = tmp_path / "r.txt"
    replacement.write_text("second0 commun\n\nune autre ligne.\n", "utf-8")
    driver = Driver(
        STEP_DRIVER.format(passphrase=PASSPHRASE),
        str(vault),
        case,
        docs[0],
        str(replacement),
        step,
    )
    out, err = driver.communicate(timeout=120)
    assert driver.returncode == -signal.SIGKILL, (out, err)
    with Workspace.open(vault, PASSPHRASE) as ws:
        _assert_not_rebuilt(ws, case)
        with caplog.at_level(logging.INFO, logger="dossier.services.search"):
            assert {h.doc_id for h in ws.search.query("second0", case=case)} == {docs[0]}
        assert not ws.search.query("premier0", case=case)
        for n in (1, 2):
            assert {h.doc_id for h in ws.search.query(f"premier{n}", case=case)} == {docs[n]}
        redone = [int(m.group(1)) for r in caplog.records if (m := STALE.search(r.getMessage()))]
        assert sum(redone) <= 1, redone
