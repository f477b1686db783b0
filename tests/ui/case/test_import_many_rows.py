"""A folder of many files is listed step by step (never every row in one frame), imported whole,
and cancelled whole, rows not made yet included."""

from __future__ import annotations

from pathlib import Path

from ui.case import import_panel
from ui.case.import_dialog import ImportRequest
from ui.case.import_panel import CANCELLED_STATE, DONE


def _files(folder: Path, count: int) -> list[ImportRequest]:
    folder.mkdir()
    requests = []
    for number in range(count):
        path = folder / f"note-{number:03d}.txt"
        path.write_text(f"Note {number} sur le stade.\n", encoding="utf-8")
        requests.append(ImportRequest(path, ocr=False))
    return requests


def test_rows_are_made_a_turn_at_a_time_and_every_file_is_imported(
    qtbot, unlocked, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(import_panel, "ROWS_PER_TURN", 4)
    monkeypatch.setattr(import_panel, "ROWS_SECONDS_PER_TURN", 60.0)  # four, however slow
    win = unlocked
    requests = _files(tmp_path / "notes", 11)
    with qtbot.waitSignal(win.imports.batch_finished, timeout=120_000):
        first = win.imports.enqueue(win.state.case_id, requests)
        assert len(first) == 4  # the others come at the next turns of the event loop
    rows = win.imports.rows
    assert [r.request.path for r in rows] == [r.path for r in requests]
    assert all(r.state == DONE for r in rows)
    assert len(win.state.ws.documents.of_case(win.state.case_id)) == 11


def test_cancel_all_cancels_the_files_whose_rows_are_not_made_yet(
    qtbot, unlocked, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(import_panel, "ROWS_PER_TURN", 3)
    win = unlocked
    requests = _files(tmp_path / "notes", 9)
    finished: list[tuple[str, str]] = []
    win.imports.file_finished.connect(lambda path, state: finished.append((path, state)))
    win.imports.enqueue(win.state.case_id, requests)
    win.imports.cancel_all()
    qtbot.waitUntil(lambda: len(finished) == 9, timeout=60_000)
    imported = {path for path, state in finished if state == DONE}
    assert {path for path, state in finished if state == CANCELLED_STATE} >= {
        str(r.path) for r in requests[3:]
    }
    assert len(win.state.ws.documents.of_case(win.state.case_id)) == len(imported)
    assert len(win.imports.rows) == 3
