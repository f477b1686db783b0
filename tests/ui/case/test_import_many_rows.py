"""A folder of many files is listed step by step (never every row in one frame), imported whole,
and cancelled whole, rows not made yet included."""

from __future__ import annotations

from pathlib import Path

import pymupdf
from PySide6.QtCore import QCoreApplication, QObject

from dossier.services.dto import ImportOutcome
from tests.alongside import at_once
from tests.ui.conftest import imports_held
from ui.case import import_panel
from ui.case.import_dialog import ImportRequest
from ui.case.import_panel import CANCELLED_STATE, DONE, FAILED, NEEDS_PASSWORD


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


def test_files_with_the_same_options_are_imported_together_each_row_told(
    qtbot, unlocked, tmp_path, monkeypatch
) -> None:
    """One `import_many` job for the notes; a refused file and one that needs a password
    among them get their own reason on their own row, the others are imported."""
    monkeypatch.setattr(import_panel, "ROWS_SECONDS_PER_TURN", 60.0)  # every row at once
    win = unlocked
    requests = _files(tmp_path / "notes", 6)
    secret = tmp_path / "notes" / "secret.pdf"
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Texte protégé du mémo.")
    doc.save(secret, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="s3cret", owner_pw="o")
    empty = tmp_path / "notes" / "empty.txt"
    empty.write_bytes(b"")
    requests[2:2] = [ImportRequest(secret, ocr=False), ImportRequest(empty, ocr=False)]
    jobs: list[int] = []
    with qtbot.waitSignal(win.imports.batch_finished, timeout=120_000):
        rows = win.imports.enqueue(win.state.case_id, requests)
        jobs.append(len(win.imports.batch))
    assert jobs == [8]  # every file in one job
    states = [r.state for r in rows]
    assert states == [DONE, DONE, NEEDS_PASSWORD, FAILED, DONE, DONE, DONE, DONE], states
    assert rows[2].reason and rows[3].reason
    assert "6 imported, 2 refused, 0 to go" in win.imports.summary.text()
    with qtbot.waitSignal(win.imports.batch_finished, timeout=60_000):
        win.imports.retry_with_password(rows[2], "s3cret")
    assert rows[2].state == DONE
    assert len(win.state.ws.documents.of_case(win.state.case_id)) == 7


def test_cancelling_one_file_of_a_job_keeps_the_others_going(
    qtbot, unlocked, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(import_panel, "ROWS_SECONDS_PER_TURN", 60.0)  # every row at once
    win = unlocked
    # The job waits for the click: on a quiet machine it had stored all twelve notes before
    # the cancel reached it, and the cancelled file was rightly kept.
    clicked = imports_held(monkeypatch, win)
    requests = _files(tmp_path / "notes", 12)
    with qtbot.waitSignal(win.imports.batch_finished, timeout=120_000):
        rows = win.imports.enqueue(win.state.case_id, requests)
        assert len(win.imports.batch) == 12
        win.imports.select([rows[7]])
        win.imports.cancel_button.click()
        clicked.set()
    states = [r.state for r in rows]
    assert states == [DONE] * 7 + [CANCELLED_STATE] + [DONE] * 4, states
    assert len(win.state.ws.documents.of_case(win.state.case_id)) == 11


def test_outcomes_reported_before_the_gui_thread_takes_them_come_in_one_signal(qtbot) -> None:
    """A group's hundred outcomes, one signal each, ran Python on the GUI thread a hundred
    times in a turn, each first waiting for the GIL the import's threads hold."""
    owner = QObject()
    outcomes = import_panel._Outcomes(owner)
    taken: list[list[str]] = []
    outcomes.arrived.connect(lambda: taken.append([o.path for o in outcomes.take()]))

    def report() -> None:  # as the core does, on the import's thread, after a group's commit
        for number in range(100):
            outcomes.report(ImportOutcome(path=f"note-{number}.txt"))

    at_once(report)
    qtbot.waitUntil(lambda: bool(taken), timeout=5000)
    QCoreApplication.processEvents()
    assert taken == [[f"note-{number}.txt" for number in range(100)]]
