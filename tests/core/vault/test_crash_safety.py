"""SIGKILL at random points during imports, many times over: the vault always opens, passes
fsck, and holds every import that had returned."""

from __future__ import annotations

import json
import random
import signal
import time
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.killable import Driver
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
    files: list[Path] = []

    def more_files(count: int) -> list[Path]:
        made = []
        for _ in range(count):
            n = len(files)
            path = tmp_path / f"f{n:02d}.pdf"
            _pdf(path, pages=rng.randint(1, 12), seed=n)
            files.append(path)
            made.append(path)
        return made

    returned: dict[str, tuple[str, int]] = {}
    pending = more_files(40)
    kills = 0
    # Seconds one import takes on this machine, measured between a child's lines: the delay
    # before a kill is drawn within what the batch's remaining imports should take, so the kill
    # lands inside one (not after the last) however fast or loaded the machine is.
    import_seconds: list[float] = []
    for _round in range(30):
        if kills >= 3 and (_round >= 14 or not pending):
            break
        if not pending:
            pending = more_files(6)  # a fast machine finished the files before enough kills
        batch = pending[:6]
        proc = Driver(DRIVER.format(passphrase=PASSPHRASE), str(vault), case_id, *map(str, batch))
        assert proc.stdout is not None
        early: list[str] = [proc.stdout.readline()]  # "OPEN"
        last = time.monotonic()
        finished = rng.randrange(len(batch))
        for _done in range(finished):
            early.append(proc.stdout.readline())
            now = time.monotonic()
            import_seconds.append(now - last)
            last = now
        typical = sorted(import_seconds)[len(import_seconds) // 2] if import_seconds else 0.05
        time.sleep(rng.uniform(0.0, typical * (len(batch) - finished)))
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


GROUP_DRIVER = """
import sys, json
from pathlib import Path
from dossier.services.documents import group
from dossier.services.workspace import Workspace
group.GROUP_SECONDS = 0.05  # many groups in a short run: kills land in every phase of one
vault, case, *files = sys.argv[1:]

def done(outcome):
    print("DONE " + json.dumps([outcome.path, outcome.document.id]), flush=True)

with Workspace.open(Path(vault), {passphrase!r}) as ws:
    print("OPEN", flush=True)
    ws.documents.import_many(case, [Path(f) for f in files], ocr=False, on_outcome=done)
"""


@pytest.mark.slow
def test_sigkill_during_a_grouped_batch_keeps_every_reported_file_and_no_half_group(
    tmp_path: Path,
) -> None:
    rng = random.Random(20240607)
    vault = tmp_path / "Groups.dossier"
    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case_id = ws.cases.create("Groups").id
    files = []
    for n in range(240):
        path = tmp_path / f"n{n:03d}.txt"
        path.write_text(f"Note {n} sur la vidéosurveillance, mot{n}x.\n" * rng.randint(1, 40))
        files.append(path)
    reported: dict[str, str] = {}
    pending = list(files)
    kills = 0
    batch_seconds = 0.2  # until a batch has run to its end here
    for _round in range(8):
        if not pending:
            break
        batch = pending[:40]
        proc = Driver(
            GROUP_DRIVER.format(passphrase=PASSPHRASE), str(vault), case_id, *map(str, batch)
        )
        assert proc.stdout is not None
        early: list[str] = [proc.stdout.readline()]  # "OPEN"
        opened = time.monotonic()
        # The kill lands at a random point of the batch, at this machine's pace: that of the
        # last batch that ran to its end, or longer while kills land before the first group.
        # (A group's files are reported together at its end, and a fixed delay of up to 0.3 s
        # after a few of them outlasted whole batches on a RAM disk.)
        time.sleep(rng.uniform(0.0, 0.9) * batch_seconds)
        killed = proc.poll() is None
        if killed:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        rest, err = proc.communicate(timeout=120)
        if not killed:
            batch_seconds = time.monotonic() - opened
        elif "DONE" not in "".join(early) + rest:
            batch_seconds *= 2  # killed before its first group: slower than thought
        assert "Traceback" not in err or proc.returncode == -signal.SIGKILL, err
        for line in ("".join(early) + rest).splitlines():
            if line.startswith("DONE "):
                name, doc_id = json.loads(line[5:])
                reported[name] = doc_id
        with Workspace.open(vault, PASSPHRASE) as ws:
            report = ws.fsck.run()
            assert report.ok, report.problems
            docs = {d.id: d for d in ws.documents.of_case(case_id)}
            for name, doc_id in reported.items():
                assert doc_id in docs, f"{name} was reported imported but is gone"
            for doc in docs.values():  # no half document, no stray temp file
                assert len(ws.documents.pages(doc.id, with_words=False)) == doc.page_count
            assert not list((vault / "blobs").rglob(".tmp-*"))
            # Committed but killed before it was reported: complete, and counted as done.
            by_name = {Path(name).name: name for name in map(str, batch)}
            for doc in docs.values():
                if doc.id not in reported.values():
                    assert doc.filename in by_name, f"unexpected document {doc.filename}"
                    reported[by_name[doc.filename]] = doc.id
            hits = ws.search.query("vidéosurveillance", case=case_id, limit=1000)
            assert {h.doc_id for h in hits} == set(docs)
        pending = [p for p in pending if str(p) not in reported]
    assert kills >= 3, "the test must really interrupt imports"
    assert len(reported) > 40, "groups must complete between the kills"
