"""The import panel with thousands of files: no widget per file, every file told, short frames;
and the time the import has left, in the panel and the status bar once it means something."""

from __future__ import annotations

import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from dossier.jobs import TimeLeft
from tests.ui.case.test_import_frames import BARE_MS, TICK_MS, FrameWatch
from ui.case import import_list, import_panel
from ui.case.import_dialog import ImportRequest
from ui.case.import_panel import DONE, FAILED

FILES = 3000
BOUND_MS = 800
"""The goal is 100 ms (bench_gui_import measures it); this bound catches the class of failure
(a widget per row: 1.5 ms each, 4.5 s for these rows, and every row added laid the others out
again) on a loaded 2-core CI run, less the jitter of the bare event loop just before and after.
At 300 ms it failed at load 14 (354 ms) on code that meets the goal on a quiet machine."""


def _bare_loop(watch: FrameWatch) -> float:
    """The longest gap of the idle event loop for a while: a loaded machine's own jitter."""
    watch.start()
    QTest.qWait(BARE_MS)
    return watch.stop()


def test_thousands_of_files_are_listed_without_a_widget_each(qtbot, unlocked, tmp_path) -> None:
    """Files that are not there are refused one by one, fast: the list itself is what is
    measured, with every row's reason."""
    win = unlocked
    panel = win.imports
    win.import_dock.show()
    widgets = len(panel.findChildren(QWidget))
    watch = FrameWatch()
    bare = _bare_loop(watch)
    watch.start()
    missing = [ImportRequest(tmp_path / f"gone-{n:05d}.txt", ocr=False) for n in range(FILES)]
    with qtbot.waitSignal(panel.batch_finished, timeout=300_000):
        panel.enqueue(win.state.case_id, missing)
    longest = watch.stop()
    gaps = watch.gaps
    jitter = max(0.0, max(bare, _bare_loop(watch)) - TICK_MS)  # the machine's, not the app's
    assert len(panel.rows) == FILES and all(r.state == FAILED and r.reason for r in panel.rows)
    assert len(panel.findChildren(QWidget)) == widgets
    assert f"0 imported, {FILES} refused, 0 to go" in panel.summary.text()
    assert longest - jitter < BOUND_MS, (jitter, sorted(gaps)[-10:])
    panel.select(panel.rows[-2:])  # the last rows, shown and acted on like the first
    assert panel.remove_button.isEnabled() and panel.details.text() == panel.rows[-2].reason
    panel.remove_button.click()
    assert len(panel.rows) == FILES - 2
    assert [r.position for r in panel.rows[-3:]] == [FILES - 5, FILES - 4, FILES - 3]
    panel.clear_finished()
    assert panel.rows == [] and panel.summary.text() == "No imports."


def test_the_time_left_is_shown_once_it_means_something(
    qtbot, unlocked, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(TimeLeft, "SETTLING", 1.0)

    # The estimate's clock runs twenty times faster than the import: 400 notes take about a
    # second on a quiet machine, before an estimate meant anything at the real pace.
    def fast_clock() -> float:
        return 20 * time.monotonic()

    fast = partial(TimeLeft, clock=fast_clock)
    monkeypatch.setattr(import_panel, "TimeLeft", fast)
    monkeypatch.setattr(import_list, "TimeLeft", fast)
    win = unlocked
    panel = win.imports
    panel.model.time_left = fast()  # the window's own was made before the clock was changed
    folder = tmp_path / "notes"
    folder.mkdir()
    requests = []
    for number in range(400):
        path = folder / f"note-{number:03d}.txt"
        path.write_text(f"Note {number} sur le stade et la préfecture.\n" * 20, encoding="utf-8")
        requests.append(ImportRequest(path, ocr=False))
    lines: list[str] = []
    summaries: list[str] = []
    panel.status.connect(lines.append)
    stamped: list[tuple[float, str]] = []
    panel.status.connect(lambda line: stamped.append((fast_clock(), line)))
    panel.status.connect(lambda _line: summaries.append(panel.summary.text()))
    shown_in_bar: list[bool] = []
    panel.status.connect(lambda _line: shown_in_bar.append(win.import_status.isVisibleTo(win)))
    with qtbot.waitSignal(panel.batch_finished, timeout=300_000):
        enqueued = fast_clock()
        panel.enqueue(win.state.case_id, requests)
    assert all(r.state == DONE for r in panel.rows)
    assert all(r.size == r.request.path.stat().st_size for r in panel.rows)  # measured
    with_time = [line for line in lines if " left" in line]
    assert with_time, lines[-5:]
    assert with_time[0].startswith("Importing: ") and " of 400 files — " in with_time[0]
    assert any(" to go — " in text and text.endswith(" left") for text in summaries)
    # Nothing before the estimate settles. (That some line came first was asked too: at load
    # 7 the batch's first line came after the settling time, and it proved nothing.)
    told = [at - enqueued for at, line in stamped if " left" in line]
    assert told and min(told) >= TimeLeft.SETTLING, told[:3]
    assert any(shown_in_bar)
    assert lines[-1] == "" and win.import_status.isHidden()  # none left: no status
    assert panel.summary.text() == "400 imported, 0 refused, 0 to go"


def test_rows_changed_in_one_turn_are_told_to_the_view_once(qtbot) -> None:
    # A group of hundreds of files is stored at once and their rows change in one turn of the
    # event loop: one signal per row was a repaint and a slot each on the GUI thread.
    model = import_list.ImportListModel()
    rows = [
        import_list.ImportRow("case", ImportRequest(Path(f"f{n}.txt")), "Waiting")
        for n in range(500)
    ]
    model.append(rows)
    told: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom, *_: told.append((top.row(), bottom.row())))
    for row in rows[10:400]:
        row.set_state(DONE, "Imported")
    assert model.index(399, model.STAGE).data() == "Imported"  # read from the rows at once
    QTest.qWait(20)
    assert told == [(10, 399)]
    assert model.counts[DONE] == 390


def test_the_list_asks_python_for_the_rows_on_screen_not_for_every_row(
    qtbot, unlocked, tmp_path: Path, monkeypatch
) -> None:
    """As files are listed (1,000 a turn) the view lays its rows out again: a tree view asked
    the model's Python for each row of the list each time (rowCount and columnCount through
    `index`, 20,000 calls at 10,000 files, each taking the GIL from the import's threads:
    frames of 60-120 ms of the GUI thread's own time at the start of a 10,000-file import).
    The calls counted grow with the rows on screen and the turns, not with the list twice
    over."""
    win = unlocked
    panel = win.imports
    win.import_dock.show()
    QTest.qWait(50)
    calls = 0
    asked = {"rowCount", "columnCount", "index", "parent", "hasChildren", "flags", "data"}

    def count(frame: Any, event: str, _arg: object) -> None:
        nonlocal calls
        if event == "call" and frame.f_code.co_name in asked:  # what Qt asks the model
            calls += 1

    requests = [ImportRequest(tmp_path / f"later-{n:05d}.txt", ocr=False) for n in range(6000)]
    monkeypatch.setattr(panel, "_next", lambda: None)  # listed, not imported
    sys.setprofile(count)
    try:
        panel.enqueue(win.state.case_id, requests)
        qtbot.waitUntil(lambda: len(panel.rows) == len(requests), timeout=60_000)
        QTest.qWait(50)  # the last rows laid out and painted
    finally:
        sys.setprofile(None)
    # About 100 calls a turn of the loop here (the rows on screen painted), 7 calls per file
    # listed before; a loaded machine lists the files in more turns (100 rows at least each).
    assert calls < 2 * len(requests), calls
