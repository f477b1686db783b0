"""SIGKILL at random points during imports, many times over: the vault always opens, passes
fsck, and holds every import that had returned."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE, REPO
from tests.pdfgen import lined_pdf

DRIVER = """
import sys, json
from pathlib import Path
from dossier.services.workspace import Workspace
vault, case, *files = sys.argv[1:]
with Workspace.open(Path(vault), {passphrase!r}) as ws:
    print("OPEN", flush=True)
    for name in files:
        info = ws.documents.import_file(case, Path(name), kind="source", ocr=False)
        print("DONE " + json.dumps([name, info.id, info.page_count]), flush=True)
"""


def _pdf(path: Path, pages: int, seed: int) -> None:
    lined_pdf(path, pages, lambda i, line: f"document {seed} page {i} ligne {line} " * 3, lines=30)


@pytest.mark.slow
def test_sigkill_during_imports_never_loses_a_returned_import(tmp_path: Path) -> None:
    rng = random.Random(20231120)
    vault = tmp_path / "Crash.dossier"
    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case_id = ws.cases.create("Crash").id
    files = []
    for n in range(40):
        path = tmp_path / f"f{n:02d}.pdf"
        _pdf(path, pages=rng.randint(1, 12), seed=n)
        files.append(path)
    returned: dict[str, tuple[str, int]] = {}
    pending = list(files)
    kills = 0
    for _round in range(14):
        if not pending:
            break
        batch = pending[:6]
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                DRIVER.format(passphrase=PASSPHRASE),
                str(vault),
                case_id,
                *map(str, batch),
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        # The kill comes after a random number of finished imports plus a random delay, so
        # it lands inside an import however fast or loaded the machine is.
        assert proc.stdout is not None
        early: list[str] = [proc.stdout.readline()]  # "OPEN"
        for _done in range(rng.randrange(len(batch))):
            early.append(proc.stdout.readline())
        time.sleep(rng.uniform(0.0, 0.4))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        rest, err = proc.communicate(timeout=60)
        out = "".join(early) + rest
        assert "Traceback" not in err or proc.returncode == -signal.SIGKILL, err
        for line in out.splitlines():
            if line.startswith("DONE "):
                name, doc_id, pages = json.loads(line[5:])
                returned[name] = (doc_id, pages)
        with Workspace.open(vault, PASSPHRASE) as ws:
            report = ws.fsck.run()
            assert report.ok, report.problems
            docs = {d.id: d for d in ws.documents.of_case(case_id)}
            for name, (doc_id, pages) in returned.items():
                assert doc_id in docs, f"import of {name} returned but is gone"
                assert docs[doc_id].page_count == pages
            # A killed import left no half document: every document has all its pages.
            for doc in docs.values():
                assert len(ws.documents.pages(doc.id, with_words=False)) == doc.page_count
            # A kill between commit and the "DONE" line: the import is complete, just unreported.
            known = {doc_id for doc_id, _ in returned.values()}
            by_name = {Path(name).name: name for name in map(str, batch)}
            for doc in docs.values():
                if doc.id not in known:
                    assert doc.filename in by_name, f"unexpected document {doc.filename}"
                    returned[by_name[doc.filename]] = (doc.id, doc.page_count)
        pending = [p for p in pending if str(p) not in returned]
    assert kills >= 3, "the test must really interrupt imports"
    assert returned, "some imports must complete"
