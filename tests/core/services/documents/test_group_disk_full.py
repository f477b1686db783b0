"""A batch import on a disk that fills up at any point of a group (a write or an fsync fails,
SQLite's included): one clear failure, every file reported imported is on disk and readable,
no orphan original, no partial file, fsck clean, and importing the folder again completes."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.errors import DossierError, EnvironmentFailure
from dossier.fsutil import TEMP_PREFIX
from dossier.services.dto import ImportOutcome
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.faults import FullDisk


def _folder(folder: Path, rng: random.Random) -> list[Path]:
    folder.mkdir(parents=True)
    paths = []
    for number in range(rng.randrange(6, 30)):
        path = folder / f"note-{number:03d}.txt"
        words = " ".join(rng.choice(["quai", "préfet", "budget", "témoin"]) for _ in range(200))
        path.write_text(f"Note {number} Ornithoptère{number} {words}\n", encoding="utf-8")
        paths.append(path)
    bundle = folder / "envoi.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        for n in range(3):
            archive.writestr(f"pièce-{n}.txt", f"Pièce {n} Batrachomyomachie{n}\n")
    paths.insert(rng.randrange(len(paths)), bundle)
    paths.append(paths[0])  # the same file twice in one batch
    return paths


def _partial_files(vault: Path) -> list[Path]:
    return [p for p in vault.rglob(f"{TEMP_PREFIX}*") if p.is_file()]


def _one_run(tmp_path: Path, seed: int) -> tuple[int, str]:
    rng = random.Random(seed)
    disk = FullDisk(rng)
    vault = tmp_path / f"V{seed}.dossier"
    paths = _folder(tmp_path / f"in{seed}", rng)
    ws = Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST)
    reported: list[ImportOutcome] = []
    failure = ""
    try:
        case = ws.cases.create("Quai").id
        size, fsyncs = disk.random_fault()
        try:
            with disk.armed(size, fsyncs):
                ws.documents.import_many(case, paths, ocr=False, on_outcome=reported.append)
        except DossierError as exc:
            assert isinstance(exc, EnvironmentFailure), repr(exc)
            assert "\n" not in str(exc) and str(exc)
            failure = str(exc)
            assert size is not None or fsyncs is not None, f"failed on a healthy disk: {exc}"
    finally:
        ws.close()
    assert not _partial_files(vault), "a partial file stayed behind"
    ws = Workspace.open(vault, PASSPHRASE)
    try:
        report = ws.fsck.run()
        assert report.ok, report.problems
        stored = {d.id for d in ws.documents.of_case(case)}
        for outcome in reported:
            if outcome.document is None:
                continue
            assert outcome.document.id in stored, f"{outcome.path} reported, not stored"
            assert ws.documents.text(outcome.document.id)
        # Every stored document has its words in the index (no half-indexed document).
        for doc in ws.documents.of_case(case):
            if doc.filename.startswith("note-"):
                word = ws.documents.text(doc.id).split()[2].lower()
                assert any(h.doc_id == doc.id for h in ws.search.query(word, case=case))
        # Importing the folder again completes on a healthy disk.
        again = ws.documents.import_many(case, paths, ocr=False)
        assert all(o.document is not None or o.already_as for o in again), [
            o.error for o in again if o.document is None and not o.already_as
        ]
        assert ws.fsck.run().ok
        notes = [d for d in ws.documents.of_case(case) if d.filename.startswith("note-")]
        assert len(notes) == len(set(paths)) - 1
    finally:
        ws.close()
    return len(reported), failure


@pytest.mark.slow
@pytest.mark.parametrize("block", range(2))
def test_disk_full_at_any_point_of_a_group_loses_nothing(tmp_path: Path, block: int) -> None:
    failures = [_one_run(tmp_path, seed)[1] for seed in range(block * 12, block * 12 + 12)]
    assert sum(1 for f in failures if f) >= 3, failures
