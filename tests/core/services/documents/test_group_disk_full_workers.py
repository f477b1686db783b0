"""A disk that fills up during a group whose pages went to the index's workers before its
catalog commit: at each fsync, and at each size a file may not grow past. One clear sentence,
nothing reported lost, no document the catalog does not hold in the index, fsck clean, and the
import redone completes."""

from __future__ import annotations

import random
from concurrent.futures import wait
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.errors import DossierError, EnvironmentFailure
from dossier.fsutil import TEMP_PREFIX
from dossier.search import analysed
from dossier.search import built as built_module
from dossier.services.dto import ImportOutcome
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.services.documents.test_group_kill_steps import group_files, index_entries
from tests.faults import FullDisk


def _one_run(tmp_path: Path, size: int | None, fsyncs: int | None) -> str:
    vault = tmp_path / f"V{size}-{fsyncs}.dossier"
    files = group_files(tmp_path / f"in{size}-{fsyncs}", 6_000)
    reported: list[ImportOutcome] = []
    failure = ""
    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("Quai").id
        ws.search.query("commun", case=case)  # the index open, as an app's would be
        try:
            with FullDisk(random.Random(0)).armed(size, fsyncs):
                ws.documents.import_many(case, files, ocr=False, on_outcome=reported.append)
                # The index's writer commits what the workers built.
                ws.search.query("commun", case=case)
        except DossierError as exc:
            assert isinstance(exc, EnvironmentFailure), repr(exc)
            assert "\n" not in str(exc) and str(exc)
            failure = str(exc)
    assert not [p for p in vault.rglob(f"{TEMP_PREFIX}*") if p.is_file()]
    with Workspace.open(vault, PASSPHRASE) as ws:
        report = ws.fsck.run()
        assert report.ok, report.problems
        docs = {doc.id: doc for doc in ws.documents.of_case(case)}
        for outcome in reported:
            if outcome.document is not None:
                assert outcome.document.id in docs, f"{outcome.path} reported, not stored"
        assert index_entries(ws, case) <= set(docs), "the index holds a document never committed"
        found = {hit.doc_id for hit in ws.search.query("commun", case=case, limit=100)}
        assert found == {d.id for d in docs.values() if d.filename != "envoi.zip"}
        again = ws.documents.import_many(case, files, ocr=False)
        assert all(o.document is not None or o.already_as for o in again), [o.error for o in again]
        assert len(ws.documents.of_case(case)) == 7
        ws.fsck.collect_garbage()
        report = ws.fsck.run()
        assert report.ok and not report.notes, (report.problems, report.notes)
    return failure


@pytest.mark.slow
# Up to the last sync of the group's three files and their folders: its four small originals
# are rows of the catalog, synced by SQLite's commit (`test_disk_full` fills the disk under it).
@pytest.mark.parametrize("fsyncs", [0, 2, 4, 6, 9, 12])
def test_a_sync_failing_in_a_group_handed_to_the_workers_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fsyncs: int
) -> None:
    monkeypatch.setattr(analysed, "PARALLEL_MIN_BYTES", 100)
    wait(built_module.start_workers())
    assert _one_run(tmp_path, None, fsyncs), "the disk never filled up"


@pytest.mark.slow
@pytest.mark.parametrize("size", [4096, 16384, 65536])
def test_a_file_that_cannot_grow_in_a_group_handed_to_the_workers_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    monkeypatch.setattr(analysed, "PARALLEL_MIN_BYTES", 100)
    wait(built_module.start_workers())
    assert _one_run(tmp_path, size, None), "the disk never filled up"
