"""During an import no full collection of the heap starts by itself, in any thread: each one
holds the GIL, so the GUI thread waits for it, and it went over everything the session made
since unlock (the import's rows, the documents shown, what the catalog read): 50-80 ms frames
through a 10,000-file import. The panel collects after each of its jobs instead, when only
what that job left is new; the collector's own schedule is back once the import ends, or the
vault locks under it."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from pathlib import Path

from tests.ui.case.test_import_frames import small_files
from ui.case.import_dialog import ImportRequest
from ui.case.import_panel import DONE, RUNNING, WAITING


class FullPasses:
    """Full collections the collector started by itself (not through `gc.collect`) while
    `during()` is true, and in which thread."""

    def __init__(self, during: Callable[[], bool]) -> None:
        self.unasked: list[str] = []
        self._asked = 0
        self._collect = gc.collect
        self._during = during

    def collect(self, *args: int) -> int:
        self._asked += 1
        try:
            return self._collect(*args)
        finally:
            self._asked -= 1

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2 and not self._asked and self._during():
            self.unasked.append(threading.current_thread().name)


def test_no_full_collection_starts_by_itself_during_an_import(
    qtbot, unlocked, tmp_path: Path, monkeypatch
) -> None:
    win = unlocked
    before = gc.get_threshold()
    paths = small_files(tmp_path / "boite", 400)
    # Once the last file is told the import is over and the collector's schedule back: the
    # views' reads of what it brought start then (in workers) and may run a full pass.
    passes = FullPasses(lambda: any(row.state in (WAITING, RUNNING) for row in win.imports.rows))
    monkeypatch.setattr(gc, "collect", passes.collect)
    # A schedule that asks for full passes often: 400 files' rows and documents reach the
    # default one's only in a larger import (a pass every few seconds of 10,000 files).
    gc.set_threshold(100, 2, 2)
    gc.callbacks.append(passes)
    try:
        with qtbot.waitSignal(win.imports.batch_finished, timeout=300_000):
            win.imports.enqueue(win.state.case_id, [ImportRequest(p, ocr=False) for p in paths])
        after = gc.get_threshold()
    finally:
        gc.callbacks.remove(passes)
        gc.set_threshold(*before)
    assert all(row.state == DONE for row in win.imports.rows)
    assert passes.unasked == []
    assert after == (100, 2, 2)  # the import over, the collector's schedule is back


def test_locking_under_an_import_gives_the_collector_its_schedule_back(
    qtbot, unlocked, tmp_path: Path
) -> None:
    win = unlocked
    before = gc.get_threshold()
    paths = small_files(tmp_path / "boite", 200)
    win.imports.enqueue(win.state.case_id, [ImportRequest(p, ocr=False) for p in paths])
    assert gc.get_threshold() != before
    win.lock()
    assert gc.get_threshold() == before


def test_the_end_of_an_import_leaves_the_young_threshold_to_the_job_that_raised_it() -> None:
    """A file's reading raises the young threshold (`dossier.jobs.fewer_collections`) and may
    end after the import: the window sets back only what it changed, so neither undoes the
    other's."""
    from dossier.jobs import fewer_collections
    from ui import heap

    before = gc.get_threshold()
    reading = fewer_collections()
    try:
        reading.__enter__()  # a file's reading begins, then an import
        heap.importing()
        reading.__exit__(None, None, None)  # the reading ends first
        assert gc.get_threshold() == (before[0], before[1], heap.NO_FULL_PASS)
        heap.imported()
        assert gc.get_threshold() == before
        heap.importing()
        with fewer_collections():
            pass
        assert gc.get_threshold()[0] == before[0]
        heap.imported()
        assert gc.get_threshold() == before
    finally:
        gc.set_threshold(*before)
