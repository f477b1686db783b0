"""A name hidden again stays hidden: no answer read before the change is shown after it.

The viewer reads the open document's facts again in a worker at each documents notice (one a
second through an import). Found by attack: a read begun while the names were revealed, slow
behind the import's thread, answered after the user masked them again (or protected a person)
and put the source's real name back in the viewer's title, after the reload had masked it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtTest import QTest

from dossier.services.documents.dto import DocumentEdit
from dossier.services.people.dto import PersonEdit
from tests.pdfgen import text_page, write_pdf
from tests.ui.conftest import documents_read

NAME = "Hyacinthe Quartermaine"


@pytest.fixture(autouse=True)
def roomy_pool() -> Iterator[None]:
    """Threads enough that the reads held back never keep the reload behind them waiting."""
    pool = QThreadPool.globalInstance()
    before = pool.maxThreadCount()
    pool.setMaxThreadCount(max(before, 8))
    yield
    pool.setMaxThreadCount(before)


def _open_revealed(qtbot, win, tmp_path) -> tuple[str, str]:
    ws = win.state.ws
    case_id = win.state.case_id
    ws.people.add(case_id, NAME, role="source", protection="protected")
    pdf = write_pdf(tmp_path / "memo.pdf", [text_page("Le chantier a pris six mois de retard.")])
    doc_id = ws.documents.import_file(
        case_id, pdf, kind="source", title=f"Note de {NAME}", ocr=False
    ).id
    win.state.documents_changed.emit(case_id)
    documents_read(win)
    ws.screen.reveal(case_id, where="test")
    win.state.people_changed.emit(case_id)
    win.state.open_document(doc_id, 0)
    qtbot.waitUntil(
        lambda: win.viewer.info is not None and NAME in win.viewer.info.title, timeout=15000
    )
    return case_id, doc_id


class _SlowReads:
    """The catalog, busy with an import, answers the workers' reads begun until `changed()`
    late: when `release()`d (with `revealed`, only those that reveal names)."""

    def __init__(self, monkeypatch, ws, *, revealed: bool = False, read: str = "get") -> None:
        self.entered, self._release, self._holding = (threading.Event() for _ in range(3))
        self._holding.set()
        get = getattr(ws.documents, read)

        def slow_get(*args: Any, **kwargs: Any) -> Any:
            found = get(*args, **kwargs)
            worker = threading.current_thread() is not threading.main_thread()
            if worker and self._holding.is_set() and (kwargs.get("reveal") or not revealed):
                self.entered.set()
                self._release.wait(20)
            return found

        monkeypatch.setattr(ws.documents, read, slow_get)

    def changed(self) -> None:
        self._holding.clear()

    def release(self) -> None:
        self._release.set()


def _shown_title(win) -> str:
    viewer = win.viewer
    return (viewer.info.title if viewer.info else "") + viewer.title.toolTip()


def _while_held(win, slow: _SlowReads, case_id: str, change: Callable[[], object]) -> None:
    """`change` the people or the screen while a worker's read is held back, and tell."""
    deadline = time.monotonic() + 120
    while not slow.entered.is_set():  # the views' timers run on this thread: no blocking wait
        assert time.monotonic() < deadline, "no read was held back"
        QTest.qWait(10)
    change()
    slow.changed()
    win.state.people_changed.emit(case_id)


def _stays_masked(qtbot, win, slow: _SlowReads, word: str) -> None:
    """The viewer, masked anew after the change, stays so when the reads held back answer."""
    qtbot.waitUntil(
        lambda: win.viewer.info is not None and word not in win.viewer.info.title, timeout=15000
    )
    slow.release()
    documents_read(win)
    qtbot.wait(100)
    assert word not in _shown_title(win)


def test_a_read_begun_revealed_is_not_shown_after_the_names_are_hidden(
    qtbot, unlocked, tmp_path, monkeypatch
) -> None:
    win = unlocked
    case_id, doc_id = _open_revealed(qtbot, win, tmp_path)
    ws = win.state.ws
    slow = _SlowReads(monkeypatch, ws)
    win.state.documents_changed.emit(case_id)  # an import's notice: read in a worker
    _while_held(win, slow, case_id, lambda: ws.screen.hide(case_id))
    _stays_masked(qtbot, win, slow, "Quartermaine")
    assert win.viewer.doc_id == doc_id


def test_a_read_begun_before_a_protection_is_not_shown_after_it(
    qtbot, unlocked, tmp_path, monkeypatch
) -> None:
    win = unlocked
    ws = win.state.ws
    case_id, doc_id = _open_revealed(qtbot, win, tmp_path)
    ws.screen.hide(case_id)
    other = ws.people.add(case_id, "Anselme Vauquelin", role="source", protection="on_record")
    ws.documents.update(doc_id, DocumentEdit(title="Note de Anselme Vauquelin"))
    win.state.people_changed.emit(case_id)
    qtbot.waitUntil(
        lambda: win.viewer.info is not None and "Vauquelin" in win.viewer.info.title,
        timeout=15000,
    )
    slow = _SlowReads(monkeypatch, ws)
    win.state.documents_changed.emit(case_id)
    _while_held(
        win,
        slow,
        case_id,
        lambda: ws.people.update(
            case_id, other.id, PersonEdit(protection="protected", pseudonym="S. B")
        ),
    )
    _stays_masked(qtbot, win, slow, "Vauquelin")


def test_a_document_opening_while_the_names_are_hidden_shows_them_masked(
    qtbot, unlocked, tmp_path, monkeypatch
) -> None:
    win = unlocked
    ws = win.state.ws
    case_id, doc_id = _open_revealed(qtbot, win, tmp_path)
    win.viewer.clear()
    win.viewer._attach()
    slow = _SlowReads(monkeypatch, ws, revealed=True)
    win.state.open_document(doc_id, 0)  # read revealed, shown after the hide below
    _while_held(win, slow, case_id, lambda: ws.screen.hide(case_id))
    slow.release()
    qtbot.waitUntil(lambda: win.viewer.info is not None, timeout=15000)
    documents_read(win)
    qtbot.wait(200)
    assert win.viewer.doc_id == doc_id
    assert "Quartermaine" not in _shown_title(win)


def test_the_documents_tree_shows_no_title_read_before_the_names_were_hidden(
    qtbot, unlocked, tmp_path, monkeypatch
) -> None:
    win = unlocked
    ws = win.state.ws
    case_id, _doc_id = _open_revealed(qtbot, win, tmp_path)
    documents_read(win)
    model = win.contents.tabs[0].model
    assert any(NAME in doc.title for doc in model.documents)
    slow = _SlowReads(monkeypatch, ws, read="changes")
    pdf = write_pdf(tmp_path / "lettre.pdf", [text_page("Une lettre sur le chantier.")])
    ws.documents.import_file(case_id, pdf, kind="source", title=f"Lettre de {NAME}", ocr=False)
    win.state.documents_changed.emit(case_id)  # the tree reads what changed, names revealed
    _while_held(win, slow, case_id, lambda: ws.screen.hide(case_id))
    shown: list[str] = []

    def seen(*_: object) -> None:
        shown.extend(d.title for d in model.documents if d.title == f"Lettre de {NAME}")

    for signal in (model.rowsInserted, model.dataChanged, model.modelReset):
        signal.connect(seen)
    slow.release()
    documents_read(win)
    assert shown == []
    assert len(model.documents) == 2


def test_the_documents_tree_shows_no_real_name_once_they_are_hidden(
    qtbot, unlocked, tmp_path
) -> None:
    """Masked again, the tree's titles read with the names revealed go at once, not when its
    new read (behind an import's, maybe seconds) comes back."""
    win = unlocked
    case_id, _doc_id = _open_revealed(qtbot, win, tmp_path)
    documents_read(win)
    model = win.contents.tabs[0].model
    assert any(NAME in doc.title for doc in model.documents)
    win.state.ws.screen.hide(case_id)
    win.state.people_changed.emit(case_id)
    assert not [doc.title for doc in model.documents if "Quartermaine" in doc.title]
    documents_read(win)
    titles = [doc.title for doc in model.documents]
    assert len(titles) == 1 and "Quartermaine" not in titles[0]
