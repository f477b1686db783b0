"""Lock (Ctrl+L, idle timer): keys and caches dropped, views cleared, edits never lost."""

from __future__ import annotations

import gc
import sys
import threading
import time
import weakref
from collections.abc import Callable
from functools import partial
from types import FrameType

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QLabel

from dossier.pdf import mupdf
from dossier.pdf.mupdf import CallWatch
from dossier.services import Workspace
from tests.conftest import PASSPHRASE
from tests.ui.conftest import NEEDLE, documents_read, import_now, sample_pdf, unlock


def _open_with_search(qtbot, win, tmp_path, doc_id: str = "") -> str:
    doc_id = doc_id or import_now(win, sample_pdf(tmp_path / "in"))
    win.search.field.setText(NEEDLE)
    win.search.search_now()
    qtbot.waitUntil(lambda: bool(win.search.model.hits), timeout=10000)
    win.search.open_hit(win.search.model.hits[0])
    qtbot.waitUntil(lambda: win.viewer.doc_id == doc_id, timeout=10000)
    view = win.viewer.pdf
    qtbot.waitUntil(lambda: len(view.cache) > 0, timeout=15000)
    return doc_id


def _assert_cleared(win) -> None:
    assert not win.state.is_unlocked
    assert win.stack.currentWidget() is win.unlock_panel
    viewer = win.viewer
    assert viewer.doc_id == "" and viewer.renderer is None
    assert len(viewer.pdf.cache) == 0 and viewer.pdf.pages == [] and viewer.pdf.overlays == {}
    assert viewer.text.toPlainText() == ""
    assert win.cases.list.count() == 0
    assert win.contents.tabs[0].model.rowCount() == 0
    assert win.search.model.rowCount() == 0 and win.search.field.text() == ""
    assert win.inspector.editors["document"].title.text() == ""
    assert win.imports.rows == []


def test_ctrl_l_locks_and_unlock_restores(qtbot, unlocked, vault, tmp_path) -> None:
    win = unlocked
    _open_with_search(qtbot, win, tmp_path)
    win.activateWindow()
    qtbot.waitActive(win)
    qtbot.keyClick(win.cases.list, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    _assert_cleared(win)
    # The vault is really closed: another process (here, the test) may open it.
    with Workspace.open(vault, PASSPHRASE) as other:
        assert other.cases.all()
    unlock(qtbot, win, vault)
    assert win.cases.list.count() == 1
    documents_read(win)  # the tree reads the catalog in the worker
    assert win.contents.tabs[0].model.rowCount() == 1


def test_nothing_of_the_session_outlives_the_lock(qtbot, unlocked, tmp_path) -> None:
    """The workspace a session used is gone once the window locks: what the background jobs'
    work and callbacks held (the workspace, its catalog, the views) goes with it."""
    win = unlocked
    _open_with_search(qtbot, win, tmp_path)
    session = weakref.ref(win.state.ws)
    catalog = weakref.ref(win.state.ws.vault.engine)
    win.lock()
    assert session() is None and catalog() is None


def test_the_session_goes_at_lock_though_a_qt_object_collected_then_held_it(
    qtbot, unlocked
) -> None:
    """A Qt object left in a cycle (as a job's, a view's) holds on its C++ side, unseen by the
    collector, a callback referring to the session: the lock's collection frees the object,
    and only then is the session garbage. It went at the next collection, whenever that ran,
    with what it had decrypted (a full run failed the test above now and then)."""
    win = unlocked
    session = weakref.ref(win.state.ws)
    held = QObject()
    held.cycle = held  # type: ignore[attr-defined]  # garbage only for the collector
    held.objectNameChanged.connect(lambda _name, ws=win.state.ws: ws.vault)
    del held
    win.lock()
    assert session() is None


def test_closing_the_window_locks_without_collecting_the_whole_heap(qtbot, unlocked, vault) -> None:
    """Closing the window quits the app: it locks (edits saved, keys wiped, the vault free for
    another process), but a full collection would only hold up the exit, whose end gives all
    the process's memory back at once."""
    win = unlocked
    full: list[dict[str, int]] = []

    def collected(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(info)

    gc.disable()  # no automatic collection: only one the app asks for is counted
    gc.callbacks.append(collected)
    try:
        win.close()
    finally:
        gc.callbacks.remove(collected)
        gc.enable()
    assert not win.state.is_unlocked and full == []
    with Workspace.open(vault, PASSPHRASE) as other:
        assert other.cases.all()


def test_idle_timer_locks_the_vault(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    _open_with_search(qtbot, win, tmp_path)
    win.idle.set_timeout(300)
    assert win.idle.active
    with qtbot.waitSignal(win.idle.idle, timeout=5000):
        pass
    _assert_cleared(win)
    assert not win.idle.active


def _restarted_by(timer: QTimer, delay: int, activity: Callable[[], None]) -> bool:
    """Whether `activity` started `timer`'s `delay` again, read from the timer, not from how
    long the test waited: four keys 150 ms apart against a 400 ms delay locked the window
    when a loaded machine held the test back 250 ms between two of them.

    The timer is made precise (a coarse one of a minute ends on a whole second, half a second
    off either way: the test waited two seconds for a margin above that). Counted again, it
    has at least `delay` less the time `activity` took left; not counted again, at most
    what it had before, which is `MARGIN_MS` below `delay`, less that same time."""
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.start(delay)
    QTest.qWait(0)
    while timer.remainingTime() > delay - MARGIN_MS:
        QTest.qWait(5)
    began = time.monotonic()
    activity()
    left = timer.remainingTime()
    took_ms = (time.monotonic() - began) * 1000
    return left >= delay - took_ms - ROUNDING_MS


MARGIN_MS = 20
ROUNDING_MS = 2
"""A timer's remaining time is in whole milliseconds, the test's clock is not."""


def test_activity_postpones_the_idle_lock(qtbot, unlocked) -> None:
    win = unlocked
    delay = 60_000
    win.idle.set_timeout(delay)
    win.cases.list.setFocus()
    # Through the window, as the window system delivers a key (QTest's widget overload hands
    # it to the widget directly).
    key = partial(QTest.keyClick, win.windowHandle(), Qt.Key.Key_Down)
    assert _restarted_by(win.idle._timer, delay, key)  # counted again from the key
    assert win.state.is_unlocked
    win.idle.set_timeout(300)
    qtbot.waitUntil(lambda: not win.state.is_unlocked, timeout=5000)


def test_activity_in_a_dialog_postpones_the_idle_lock(qtbot, unlocked) -> None:
    win = unlocked
    delay = 60_000
    win.idle.set_timeout(delay)
    dialog = QDialog(win)
    dialog.show()
    win.idle.watch(dialog.windowHandle())  # as when it takes the focus

    def move() -> None:
        QTest.mouseMove(dialog.windowHandle(), QPoint(5, 5))
        QTest.mouseMove(dialog.windowHandle(), QPoint(9, 9))

    assert _restarted_by(win.idle._timer, delay, move)  # counted again from the move
    dialog.close()


def test_the_gui_threads_events_run_no_python_to_watch_for_activity(qtbot, unlocked) -> None:
    """Each event of the GUI thread that runs Python waits for the GIL, which an import's
    threads hold: watching for activity must not add a Python call to every event."""
    label = QLabel("stade")
    calls: list[str] = []

    def profile(frame: FrameType, event: str, _arg: object) -> None:
        if event == "call":
            calls.append(frame.f_code.co_name)

    sys.setprofile(profile)
    try:
        for _ in range(200):
            QCoreApplication.postEvent(label, QEvent(QEvent.Type.User))
        QCoreApplication.sendPostedEvents(label)
    finally:
        sys.setprofile(None)
    assert "eventFilter" not in calls


def test_unsaved_edits_are_saved_on_lock(qtbot, unlocked, vault, tmp_path) -> None:
    win = unlocked
    doc_id = _open_with_search(qtbot, win, tmp_path)
    editor = win.inspector.editors["document"]
    assert win.inspector.current is editor
    qtbot.keyClick(editor.title, Qt.Key.Key_End)
    qtbot.keyClicks(editor.title, " (version 2)")
    assert editor.dirty and win.inspector.save_button.isEnabled()
    win.lock()
    with Workspace.open(vault, PASSPHRASE) as ws:
        assert ws.documents.get(doc_id).title.endswith(" (version 2)")


def test_an_edit_that_cannot_be_saved_is_kept_for_after_unlock(
    qtbot, unlocked, vault, tmp_path
) -> None:
    win = unlocked
    doc_id = _open_with_search(qtbot, win, tmp_path)
    editor = win.inspector.editors["document"]
    editor.date.setText("not a date")
    editor._edited()
    win.lock()
    unlock(qtbot, win, vault)
    assert editor.date.text() == ""
    win.state.open_document(doc_id)
    qtbot.waitUntil(lambda: win.viewer.doc_id == doc_id, timeout=10000)
    assert editor.date.text() == "not a date"
    assert editor.dirty
    editor.date.setText("2023-04-01")
    assert win.inspector.flush()
    assert win.state.ws.documents.get(doc_id).date == "2023-04-01"


def test_preferences_set_the_idle_delay_and_language(qtbot, unlocked, settings) -> None:
    from ui.preferences_dialog import PreferencesDialog

    dialog = PreferencesDialog(settings, unlocked)
    qtbot.addWidget(dialog)
    assert dialog.idle.value() == 10
    dialog.idle.setValue(3)
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    dialog.accept()
    assert (settings.idle_minutes, settings.language) == (3, "fr")
    unlocked.idle.set_minutes(settings.idle_minutes)
    assert unlocked.idle._timer.interval() == 3 * 60_000 and unlocked.idle.active
    dialog = PreferencesDialog(settings, unlocked)
    qtbot.addWidget(dialog)
    dialog.idle.setValue(0)
    dialog.accept()
    unlocked.idle.set_minutes(settings.idle_minutes)
    assert not unlocked.idle.active  # 0: never lock by itself


def test_the_gui_thread_never_calls_mupdf_to_show_a_document_or_lock(
    qtbot, unlocked, tmp_path
) -> None:
    """Pages, thumbnails and closing at lock all happen off the GUI thread (PyMuPDF waits for
    its lock, which an import's OCR may hold for seconds): the owner's watch sees no MuPDF call
    on the main thread, and the documents are closed by the owner's thread after the lock."""
    win = unlocked
    win.resize(1920, 1080)  # room for the thumbnails too
    doc_id = import_now(win, sample_pdf(tmp_path / "in"))  # the test's own calls, before
    with CallWatch() as watch:
        _open_with_search(qtbot, win, tmp_path, doc_id)
        qtbot.waitUntil(lambda: len(win.thumbnails._done) == 3, timeout=15000)
        renderer = win.viewer.renderer
        assert renderer is not None and renderer._docs  # the document is open
        opened = list(renderer._docs.values())
        win.lock()
        _assert_cleared(win)
        assert mupdf.wait_later(30)
    assert threading.main_thread().name not in watch.threads, watch.threads
    assert renderer._docs == {} and all(doc.is_closed for doc in opened)
