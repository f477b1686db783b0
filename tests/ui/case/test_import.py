"""Import through the panel: progress to completion, refusals per file, password, cancel, drop."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent

from dossier.search import analysed
from tests.ui.conftest import documents_read, imports_held, sample_pdf
from ui import main_window
from ui.case.import_dialog import ImportDialog, ImportRequest, expand_paths
from ui.case.import_panel import CANCELLED_STATE, DONE, FAILED, NEEDS_PASSWORD, ImportRow


def _protected_pdf(path: Path, password: str) -> Path:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Texte protégé du mémo.")
    doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw=password, owner_pw="owner")
    doc.close()
    return path


def test_import_dialog_collects_kind_title_and_date(qtbot, tmp_path) -> None:
    paths = [sample_pdf(tmp_path / "in", "a.pdf"), sample_pdf(tmp_path / "in", "b.pdf")]
    dialog = ImportDialog(paths, kind="source")
    qtbot.addWidget(dialog)
    dialog.all_kinds.setCurrentIndex(dialog.all_kinds.findData("letter"))
    dialog.set_row(0, kind="article", title="Le mémo", date="2023-03-14")
    requests = dialog.requests()
    assert [(r.kind, r.title, r.date) for r in requests] == [
        ("article", "Le mémo", "2023-03-14"),
        ("letter", None, None),
    ]


def test_folders_expand_to_their_visible_files(tmp_path) -> None:
    folder = tmp_path / "source"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.pdf").write_bytes(b"x")
    (folder / "sub" / "b.txt").write_text("y")
    (folder / ".hidden").write_text("z")
    assert expand_paths([folder, folder / "a.pdf"]) == [folder / "a.pdf", folder / "sub" / "b.txt"]


def test_links_and_fifos_in_a_folder_are_listed_to_be_refused_not_dropped(tmp_path) -> None:
    folder = tmp_path / "source"
    folder.mkdir()
    (folder / "a.txt").write_text("y")
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep" / "secret.txt").write_text("z")
    (folder / "link.txt").symlink_to(outside / "deep" / "secret.txt")
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    os.mkfifo(folder / "pipe")
    assert expand_paths([folder]) == [
        folder / "a.txt",
        folder / "link.txt",
        folder / "linked",
        folder / "pipe",
    ]


def test_import_a_pdf_and_watch_progress_to_completion(
    qtbot, unlocked, tmp_path, monkeypatch
) -> None:
    win = unlocked
    pdf = sample_pdf(tmp_path / "in")
    seen: list[tuple[int, str]] = []
    shown = ImportRow.progress

    def watch(row: ImportRow, fraction: float, message: str) -> None:
        shown(row, fraction, message)
        seen.append((row.percent, row.stage))

    monkeypatch.setattr(ImportRow, "progress", watch)
    with qtbot.waitSignal(win.imports.batch_finished, timeout=60000):
        (row,) = win.imports.enqueue(
            win.state.case_id, [ImportRequest(pdf, kind="article", title="Mémo", date="2023-05-02")]
        )
    assert row.state == DONE, row.reason
    assert row.percent == 100
    values = [v for v, _ in seen]
    assert len(values) >= 3 and values == sorted(values), seen
    stages = " / ".join(text for _, text in seen)
    assert "encrypting" in stages and "indexing" in stages, stages
    assert row.document is not None and row.document.title == "Mémo"
    assert row.document.date == "2023-05-02"
    documents_read(win)
    docs = win.contents.tabs[0].model.documents
    assert [d.title for d in docs] == ["Mémo"]
    assert "1 imported" in win.imports.summary.text()


def test_a_refused_file_does_not_stop_the_batch(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    bad = tmp_path / "in" / "broken.pdf"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"%PDF-1.7\n garbage, not a document")
    good = sample_pdf(tmp_path / "in")
    with qtbot.waitSignal(win.imports.batch_finished, timeout=60000):
        rows = win.imports.enqueue(win.state.case_id, [ImportRequest(bad), ImportRequest(good)])
    assert [r.state for r in rows] == [FAILED, DONE]
    assert rows[0].reason and "Traceback" not in rows[0].reason
    win.imports.select([rows[0]])  # its whole reason under the list, a retry offered
    assert win.imports.details.text() == rows[0].reason and not win.imports.details.isHidden()
    assert win.imports.retry_button.isEnabled() and not win.imports.cancel_button.isEnabled()
    assert len(win.state.ws.documents.of_case(win.state.case_id)) == 1


def test_a_protected_pdf_asks_for_its_password(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    pdf = _protected_pdf(tmp_path / "secret.pdf", "s3cret")
    with qtbot.waitSignal(win.imports.batch_finished, timeout=60000):
        (row,) = win.imports.enqueue(win.state.case_id, [ImportRequest(pdf)])
    assert row.state == NEEDS_PASSWORD
    win.imports.select([row])
    assert win.imports.password_button.isEnabled()
    with qtbot.waitSignal(win.imports.batch_finished, timeout=60000):
        win.imports.retry_with_password(row, "s3cret")
    assert row.state == DONE


def test_cancel_a_waiting_file(qtbot, unlocked, tmp_path, monkeypatch) -> None:
    win = unlocked
    # The job (both files) waits for the click: one that had stored both before the click
    # reached it would rightly keep the second.
    clicked = imports_held(monkeypatch, win)
    first, second = sample_pdf(tmp_path / "a"), sample_pdf(tmp_path / "b", "other.pdf")
    with qtbot.waitSignal(win.imports.batch_finished, timeout=60000):
        rows = win.imports.enqueue(win.state.case_id, [ImportRequest(first), ImportRequest(second)])
        win.imports.select([rows[1]])
        qtbot.mouseClick(win.imports.cancel_button, Qt.MouseButton.LeftButton)
        clicked.set()
    assert [r.state for r in rows] == [DONE, CANCELLED_STATE]
    assert len(win.state.ws.documents.of_case(win.state.case_id)) == 1


def test_drop_files_on_the_window(qtbot, unlocked, tmp_path, monkeypatch) -> None:
    win = unlocked
    folder = tmp_path / "dropped"
    sample_pdf(folder, "one.pdf")
    sample_pdf(folder, "two.pdf")
    asked: list[list[Path]] = []

    def answer(paths: list[Path]) -> list[ImportRequest]:
        asked.append(paths)
        return [ImportRequest(p, kind="source") for p in paths]

    monkeypatch.setattr(win, "ask_import_options", answer)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    enter = QDragEnterEvent(
        QPoint(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    win.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    with qtbot.waitSignal(win.imports.batch_finished, timeout=60000):
        win.dropEvent(drop)
    assert [p.name for p in asked[0]] == ["one.pdf", "two.pdf"]
    assert win.import_dock.isVisible()
    assert len(win.state.ws.documents.of_case(win.state.case_id)) == 2


def test_a_folder_import_reloads_the_document_lists_a_few_times_not_per_file(
    qtbot, unlocked, tmp_path
) -> None:
    win = unlocked
    folder = tmp_path / "notes"
    folder.mkdir()
    for number in range(30):
        (folder / f"note-{number:02d}.txt").write_text(f"Note {number} sur la préfecture.\n")
    notices: list[str] = []
    win.state.documents_changed.connect(notices.append)
    requests = [ImportRequest(path) for path in sorted(folder.iterdir())]
    with qtbot.waitSignal(win.imports.batch_finished, timeout=120000):
        rows = win.imports.enqueue(win.state.case_id, requests)
    assert all(r.state == DONE for r in rows)
    # Once a second at most, and once at the end: the list is complete when the batch ends.
    assert 1 <= len(notices) < 30
    assert notices[-1] == win.state.case_id
    documents_read(win)
    assert len(win.contents.tabs[0].model.documents) == 30


def test_a_refusal_is_read_whole_without_selecting_or_hovering(qtbot, unlocked, tmp_path) -> None:
    """The dock opens a few rows tall: a refusal's sentence, cut in the list's column, is
    shown whole under it, wrapped across the dock and not cut, with nothing selected."""
    win = unlocked
    bad = tmp_path / "in" / "un compte rendu de réunion au nom assez long.pdf"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"%PDF-1.7\n garbage, not a document")
    win.import_dock.show()
    (row,) = win.imports.enqueue(win.state.case_id, [ImportRequest(bad)])
    qtbot.waitUntil(lambda: row.finished, timeout=20000)
    assert row.state == FAILED and len(row.reason) > 60
    panel = win.imports
    assert panel.selected() == []
    qtbot.waitUntil(lambda: not panel.details.isHidden(), timeout=5000)
    assert row.reason in panel.details.text() and bad.name in panel.details.text()
    qtbot.waitUntil(
        lambda: panel.details.height() >= panel.details.heightForWidth(panel.details.width()),
        timeout=5000,
    )
    # Wide enough to read: the dock's width, not what the buttons leave beside them.
    assert panel.details.width() > panel.width() * 0.8
    assert panel.details.geometry().bottom() <= panel.rect().bottom()
    panel.remove(row)
    assert panel.details.isHidden()


def test_an_email_shows_its_attachments_as_they_come_and_nests_them(
    qtbot, unlocked, tmp_path
) -> None:
    from tests.core.services.documents.test_attachments import reply_with_attachments

    win = unlocked
    (tmp_path / "in").mkdir()
    message = reply_with_attachments(tmp_path / "in")
    with qtbot.waitSignal(win.imports.batch_finished, timeout=60000):
        (row,) = win.imports.enqueue(win.state.case_id, [ImportRequest(message)])
    assert row.state == DONE, row.reason
    assert row.children_seen == ["rapport.pdf", "note.docx"]
    assert "2 files inside" in row.inside
    win.imports.select([row])
    assert "2 files inside" in win.imports.details.text()
    documents_read(win)
    tree = win.contents.tabs[0]
    parent_index = tree.model.index_of(row.document.id)
    parent_item = tree.model.itemFromIndex(parent_index)
    children = [tree.model.document_at(parent_item.child(n).index()) for n in range(2)]
    assert parent_item.rowCount() == 2
    assert [c.filename for c in children] == ["rapport.pdf", "note.docx"]
    child = children[1]
    assert child is not None and child.parent_id == row.document.id
    win.inspector.show_item("document", child)
    facts = win.inspector.editors["document"].facts.text()
    assert "Réponse à vos questions" in facts and "attachment 2" in facts
    win.inspector.show_item("document", row.document)
    assert "2: " in win.inspector.editors["document"].facts.text()


def test_a_dropped_folder_is_walked_off_the_gui_thread(
    qtbot, unlocked, tmp_path, monkeypatch
) -> None:
    win = unlocked
    folder = tmp_path / "dropped"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "note.txt").write_text("Note sur le stade.\n", encoding="utf-8")
    walked_on: list[threading.Thread] = []

    def walk(paths: list[Path]) -> list[Path]:
        walked_on.append(threading.current_thread())
        return expand_paths(paths)

    monkeypatch.setattr(main_window, "expand_paths", walk)
    asked: list[list[Path]] = []
    monkeypatch.setattr(win, "ask_import_options", lambda paths: asked.append(paths) or [])
    win.import_files([folder])
    assert not asked  # not before the walk, in the worker, has ended
    qtbot.waitUntil(lambda: bool(asked), timeout=30_000)
    assert asked == [[folder / "sub" / "note.txt"]]
    assert walked_on and walked_on[0] is not threading.main_thread()


@pytest.mark.parametrize(("files", "started"), [(2, True), (1, False)])
def test_the_index_workers_start_while_the_import_dialog_is_read(
    qtbot, unlocked, tmp_path, monkeypatch, files: int, started: bool
) -> None:
    # Starting them costs a batch a second or more: the user's reading of the dialog hides it.
    # One file is indexed in the app itself, so it starts nothing.
    win = unlocked
    analysed.shutdown()
    folder = tmp_path / "dropped"
    folder.mkdir()
    for n in range(files):
        (folder / f"note{n}.txt").write_text(f"Note {n} sur le stade.\n", encoding="utf-8")
    seen: list[bool] = []
    monkeypatch.setattr(
        win, "ask_import_options", lambda paths: seen.append(analysed._pool is not None) or []
    )
    try:
        win.import_files([folder])
        qtbot.waitUntil(lambda: bool(seen), timeout=30_000)
    finally:
        analysed.shutdown()
    assert seen == [started]
