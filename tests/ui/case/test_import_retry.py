"""A refused file stays on the import panel with its one-sentence reason, and can be tried
again once put right (its kind, title and date asked again) or taken off the list."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tests.ui.conftest import sample_pdf
from ui.case.import_dialog import ImportDialog, ImportRequest
from ui.case.import_panel import DONE, FAILED


def test_a_refused_file_is_retried_once_put_right(qtbot, unlocked, tmp_path: Path) -> None:
    win = unlocked
    panel = win.imports
    broken = tmp_path / "in" / "memo.pdf"
    broken.parent.mkdir()
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 200)
    with qtbot.waitSignal(panel.batch_finished, timeout=60000):
        (row,) = panel.enqueue(win.state.case_id, [ImportRequest(broken, kind="article")])
    assert row.state == FAILED and row.reason
    panel.select([row])
    assert panel.retry_button.isEnabled() and panel.remove_button.isEnabled()
    assert not panel.cancel_button.isEnabled()

    # The journalist fetches a good copy of the file, then Retry (giving a title this time).
    sample_pdf(broken.parent, broken.name)
    asked: list[ImportRequest] = []

    def answer(request: ImportRequest) -> ImportRequest:
        asked.append(request)
        return dataclasses.replace(request, title="Note de la DDSP", date="2023-11-17")

    panel.ask_options = answer  # type: ignore[method-assign]
    with qtbot.waitSignal(panel.batch_finished, timeout=60000):
        panel.retry_button.click()
    assert asked[0].kind == "article"  # what was given before is offered again
    assert row.state == DONE and not row.reason and not panel.retry_button.isEnabled()
    assert panel.details.isHidden()
    (doc,) = win.state.ws.documents.of_case(win.state.case_id)
    assert (doc.title, doc.date, doc.kind) == ("Note de la DDSP", "2023-11-17", "article")


def test_a_refused_file_is_removed_from_the_list(qtbot, unlocked, tmp_path: Path) -> None:
    win = unlocked
    panel = win.imports
    missing = tmp_path / "gone.pdf"
    good = sample_pdf(tmp_path / "in")
    with qtbot.waitSignal(panel.batch_finished, timeout=60000):
        bad, ok = panel.enqueue(win.state.case_id, [ImportRequest(missing), ImportRequest(good)])
    assert (bad.state, ok.state) == (FAILED, DONE)
    panel.select([ok])
    assert not panel.remove_button.isEnabled()  # an imported file's row has nothing to retry
    panel.select([ok, bad])
    panel.remove_button.click()
    assert panel.rows == [ok]
    assert "0 refused" in panel.summary.text()


def test_retry_asks_again_with_what_was_given(qtbot, unlocked, tmp_path, monkeypatch) -> None:
    shown: list[ImportDialog] = []

    def accept(dialog: ImportDialog) -> int:
        shown.append(dialog)
        dialog.set_row(0, date="2023-11-21")  # the date put right
        return 1

    monkeypatch.setattr(ImportDialog, "exec", accept)
    before = ImportRequest(
        tmp_path / "a.pdf", kind="letter", title="Courrier", date=None, ocr=False, password="pw"
    )
    again = unlocked.imports.ask_options(before)
    assert again is not None and len(shown) == 1
    assert (again.kind, again.title, again.date) == ("letter", "Courrier", "2023-11-21")
    assert (again.ocr, again.password) == (False, "pw")
