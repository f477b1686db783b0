"""A notice that documents changed (one a second through an import) is read by every view in a
worker: the GUI thread never waits for the catalog, which the import's thread holds busy.

The case list, the case's details and the viewer each read the catalog on the GUI thread at
each notice (the counts, whether the case is empty, the open document's title): frames of
50-150 ms, once a second, through a 10,000-file import."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.pdfgen import text_page, write_pdf
from tests.ui.conftest import documents_read, import_now, sample_pdf


def test_views_read_a_documents_notice_off_the_gui_thread(
    qtbot, unlocked, tmp_path, monkeypatch
) -> None:
    win = unlocked
    doc_id = import_now(win, sample_pdf(tmp_path / "in"))
    win.state.open_document(doc_id, 0)
    qtbot.waitUntil(lambda: win.viewer.doc_id == doc_id, timeout=10000)
    ws = win.state.ws
    other = write_pdf(tmp_path / "note.pdf", [text_page("Une autre note sur le chantier.")])
    ws.documents.import_file(win.state.case_id, other, kind="article", ocr=False)
    vault = ws.vault
    opened = vault.session
    readers: list[str] = []

    @contextmanager
    def session() -> Iterator[Any]:
        readers.append(threading.current_thread().name)
        with opened() as inner:
            yield inner

    monkeypatch.setattr(vault, "session", session)
    win.state.documents_changed.emit(win.state.case_id)
    documents_read(win)
    assert readers, "the views read nothing"
    assert threading.main_thread().name not in readers
    assert win.inspector.editors["case"].count.text() == "2"
    assert "(2)" in win.cases.list.currentItem().text()
    assert win.viewer.info is not None and win.viewer.info.id == doc_id
