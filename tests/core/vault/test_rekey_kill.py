"""SIGKILL at random points of `rekey`, round after round: the vault always opens with its one
passphrase, passes fsck, holds every document, page, quote and letter, and search works; the
next `rekey` finishes what the killed one began."""

from __future__ import annotations

import hashlib
import random
import signal
import time
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.errors import WrongPassphrase
from dossier.services.workspace import Workspace
from tests import killable
from tests.conftest import PASSPHRASE
from tests.killable import Driver
from tests.pdfgen import lined_pdf

DRIVER = """
import sys
from pathlib import Path
from dossier.services.workspace import Workspace
with Workspace.open(Path(sys.argv[1]), {passphrase!r}) as ws:
    print("OPEN", flush=True)
    result = ws.rekey.run(
        {passphrase!r}, progress=lambda f, m: print(f"PROGRESS {{f:.3f}} {{m}}", flush=True)
    )
    print("DONE", result.resumed, flush=True)
"""


def _pdf(path: Path, pages: int, seed: int) -> Path:
    return lined_pdf(
        path, pages, lambda i, line: f"pièce {seed} page {i} ligne {line} marmotte", lines=30
    )


def _build(ws: Workspace, tmp_path: Path, rng: random.Random) -> list[str]:
    """Three cases; the small originals of the last in files, as a vault written before they
    were rows of the catalog holds them (a rekey moves them there)."""
    cases = []
    for name in ("Caméras", "Marchés", "Archives"):
        case = ws.cases.create(name).id
        cases.append(case)
        first = None
        catalog = ws.blobs.catalog
        if name == "Archives":
            ws.blobs.catalog = None
        for n in range(8):
            doc = ws.documents.import_file(
                case, _pdf(tmp_path / f"{name}{n}.pdf", rng.randint(1, 8), n), kind="source"
            )
            first = first or doc
        ws.blobs.catalog = catalog
        ws.blobs.touched(case)
        assert first is not None
        ws.people.add(case, "Jeanne Rédaction")
        ws.people.add(case, "Paul Préfecture", protection="protected", pseudonym="Source A")
        ws.quotes.add(case, "pièce 0 page 0 ligne 3 marmotte", source=first.id)
        ws.letters.add(
            case, sender="Jeanne Rédaction", recipients=["Paul Préfecture"], questions=["Où ?"]
        )
        ws.redactions.add_term("marmotte", case=case)
    return cases


def _state(ws: Workspace, cases: list[str]) -> dict[str, object]:
    state: dict[str, object] = {}
    for case in cases:
        docs = sorted(ws.documents.of_case(case), key=lambda d: d.id)
        state[case] = {
            "documents": [(d.id, d.page_count) for d in docs],
            "pages": [[p.text for p in ws.documents.pages(d.id, with_words=True)] for d in docs],
            "originals": [hashlib.sha256(ws.documents.original(d.id)).hexdigest() for d in docs],
            "quotes": [(q.text, q.verdict) for q in ws.quotes.of_case(case)],
            "letters": [[q.text for q in lt.questions] for lt in ws.letters.of_case(case)],
            "people": sorted(p.name for p in ws.people.of_case(case)),
            "hits": len(ws.search.query("marmotte", case=case, limit=500)),
        }
    return state


def _run(vault: Path) -> Driver:
    return Driver(DRIVER.format(passphrase=PASSPHRASE), str(vault))


def _wait_for_random_progress(proc: Driver, rng: random.Random) -> None:
    """Returns at a random point of the rekey, at this machine's pace: once its progress has
    passed a fraction drawn at random, after a random part of the time its last step took.
    (A random delay of up to 0.4 s after its start outlasted whole rekeys on a fast machine,
    and fell in the first cases only on a loaded one.)"""
    assert proc.stdout is not None
    target = rng.uniform(0.0, 1.0)
    last: float | None = None
    step = 0.0
    for line in iter(proc.stdout.readline, ""):
        if not line.startswith("PROGRESS"):
            continue
        now = time.monotonic()
        step, last = (0.0 if last is None else now - last), now
        if float(line.split()[1]) >= target:
            break
    time.sleep(rng.uniform(0.0, step))


@pytest.mark.slow
def test_sigkill_during_rekey_never_loses_anything_and_rekey_resumes(tmp_path: Path) -> None:
    rng = random.Random(20261204)
    vault = tmp_path / "Rekey.dossier"
    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        cases = _build(ws, tmp_path, rng)
        expected = _state(ws, cases)
        assert len([p for p in ws.blobs.root.rglob("*") if p.is_file()]) == 8
    kills = completed = interrupted = 0
    # Rounds go on until enough kills landed mid-rekey (a kill drawn late may find it done).
    for _round in range(20):
        if _round >= 8 and kills >= 3 and interrupted >= 2:
            break
        proc = _run(vault)
        _wait_for_random_progress(proc, rng)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        out, err = proc.communicate(timeout=120)
        assert "Traceback" not in err, err
        completed += "DONE" in out
        with pytest.raises(WrongPassphrase):
            Workspace.open(vault, "not the passphrase at all")
        with Workspace.open(vault, PASSPHRASE) as ws:
            report = ws.fsck.run()
            assert report.ok, report.problems
            assert _state(ws, cases) == expected
            interrupted += ws.rekey.unfinished() is not None
    assert kills >= 3 and interrupted >= 2, "the test must really interrupt rekeys"
    # Whatever the last kill left, one more rekey finishes it and leaves no old file behind.
    with Workspace.open(vault, PASSPHRASE) as ws:
        ws.rekey.run(PASSPHRASE)
        assert ws.rekey.unfinished() is None
        report = ws.fsck.run()
        assert report.ok and not report.notes, (report.problems, report.notes)
        assert _state(ws, cases) == expected
        assert not [p for p in ws.blobs.root.rglob("*") if p.is_file()], "small originals"
    assert not ws.warnings


KILLED_IN_REINDEX = """
import os, sys
from pathlib import Path
from dossier.services.search import SearchService
from dossier.services.workspace import Workspace

def reindex(self, case=None, progress=None, cancel=None):
    # The new index's folder is made, nothing is in it yet: the kill lands there.
    self.ws.vault.index_dir(self.ws.cases.resolve(case)).mkdir(parents=True, exist_ok=True)
    os._exit(9)

SearchService.reindex = reindex
with Workspace.open(Path(sys.argv[1]), {passphrase!r}) as ws:
    ws.rekey.run({passphrase!r})
"""


def test_a_kill_while_the_new_index_is_written_is_finished_by_the_next_open(
    tmp_path: Path,
) -> None:
    """The gap between removing a case's old index and writing its new one: the case stays in
    the journal until its index is rebuilt, so the next open rebuilds it."""
    vault = tmp_path / "Gap.dossier"
    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        cases = _build(ws, tmp_path, random.Random(7))
        expected = _state(ws, cases)
    code, _out, err = killable.run(
        KILLED_IN_REINDEX.format(passphrase=PASSPHRASE), str(vault), timeout=120
    )
    assert code == 9, err
    with Workspace.open(vault, PASSPHRASE) as ws:
        report = ws.fsck.run()
        assert report.ok, report.problems
        assert _state(ws, cases) == expected
        ws.rekey.run(PASSPHRASE)
        assert ws.rekey.unfinished() is None
        assert ws.fsck.run().ok
