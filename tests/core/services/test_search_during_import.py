"""A search typed while a big import runs answers at once from what is already indexed: it
never waits for the import's index writes, its worker processes or its commits.

The search committed every pending index write first, under the index's write lock, and
drained the batches still in the worker processes: typed during a 10,000-file import, it
waited for the import's writer (seconds, unbounded). Here a 10,000-file import runs in a
thread while the same word is searched again and again; each answer must come within a bound
set from the same search with no import, and be consistent: every hit a document the catalog
holds, never fewer hits than the answer before (up to the page of hits asked). Once the
import is stopped, a search sees the last document it stored."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from dossier.errors import Cancelled
from dossier.jobs import CancelToken
from dossier.services.workspace import Workspace

pytestmark = pytest.mark.slow

FILES = 10_000
SEARCHES = 40
WORD = "vidéosurveillance"
LIMIT = 50


def _files(folder: Path) -> list[Path]:
    folder.mkdir()
    filler = " ".join(f"mot{n}" for n in range(300))  # batches big enough for the workers
    paths = []
    for number in range(FILES):
        path = folder / f"note-{number:05d}.txt"
        text = f"Note repère{number} sur la {WORD} du stade. {filler}\n"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _timed(ws: Workspace, case_id: str) -> tuple[float, list[str]]:
    started = time.perf_counter()
    hits = ws.search.query(WORD, case=case_id, limit=LIMIT, fresh=False)
    return time.perf_counter() - started, [hit.doc_id or "" for hit in hits]


def test_a_search_during_a_big_import_answers_from_what_is_indexed(
    workspace: Workspace, tmp_path: Path
) -> None:
    ws = workspace
    case_id = ws.cases.create("Stade").id
    paths = _files(tmp_path / "notes")
    ws.documents.import_many(case_id, paths[:200], kind="note", ocr=False)
    ws.search.query(WORD, case=case_id)  # the index open, the first search's costs paid
    quiet = min(_timed(ws, case_id)[0] for _ in range(5))
    bound = max(0.5, 20 * quiet)
    cancel = CancelToken()
    failure: list[BaseException] = []

    def work() -> None:
        try:
            ws.documents.import_many(case_id, paths[200:], kind="note", ocr=False, cancel=cancel)
        except Cancelled:
            pass
        except BaseException as exc:  # the test fails on it below
            failure.append(exc)

    importer = threading.Thread(target=work)
    importer.start()
    answers: list[tuple[float, list[str]]] = []
    try:
        # A number of searches, not a time: at load 18 a search took 0.7 s, and four seconds
        # of them were four answers, too few for the test.
        while len(answers) < SEARCHES and importer.is_alive():
            answers.append(_timed(ws, case_id))
            time.sleep(0.05)
    finally:
        cancel.cancel()
        importer.join()
    assert not failure, failure
    assert len(answers) >= 5, "the import ended before it could be searched"
    slowest = max(seconds for seconds, _ in answers)
    assert slowest < bound, f"a search waited {slowest:.2f} s (alone: {quiet:.3f} s)"
    stored = {doc.id for doc in ws.documents.of_case(case_id)}
    counts = [len(found) for _, found in answers]
    assert counts == sorted(counts), "an answer showed fewer hits than the one before it"
    for _, found in answers:
        assert set(found) <= stored and len(found) == len(set(found))
    last = max(stored, key=lambda doc_id: ws.documents.get(doc_id).filename)
    number = int(ws.documents.get(last).filename.split("-")[1].split(".")[0])
    assert [hit.doc_id for hit in ws.search.query(f"repère{number}", case=case_id)] == [last]
