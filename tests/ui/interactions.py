"""Driving the desktop app in tests: waiting for the viewer, dragging on a page,
answering the dialogs a panel opens (each panel runs them through `exec_dialog`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog

from ui.main_window import MainWindow
from ui.viewer.pdf_view import PdfView


def open_and_wait(qtbot, win: MainWindow, doc_id: str, page: int = 0) -> PdfView:
    win.state.open_document(doc_id, page)
    qtbot.waitUntil(lambda: win.viewer.doc_id == doc_id, timeout=10000)
    view = win.viewer.pdf
    wait_rendered(qtbot, view, page)
    return view


def wait_rendered(qtbot, view: PdfView, index: int) -> None:
    zoom = view._render_zoom()
    qtbot.waitUntil(lambda: view.cache.get(view.doc_id, index, zoom) is not None, timeout=15000)


def on_screen(view: PdfView, index: int, x: float, y: float) -> QPoint:
    """Viewport pixel of a point given in PDF points (word-map coordinates) on page `index`."""
    item = view._items[index]
    scene = item.mapToScene(item.to_item((x, y, x, y)).topLeft())
    return view.mapFromScene(scene)


def drag(qtbot, view: PdfView, index: int, start: tuple[float, float], end: tuple[float, float]):
    """Press, move and release the left button between two points of page `index`."""
    a, b = on_screen(view, index, *start), on_screen(view, index, *end)
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(viewport, pos=a + QPoint(8, 3))
    qtbot.mouseMove(viewport, pos=b)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=b)


def word_box(view: PdfView, index: int, word: str) -> tuple[float, float, float, float]:
    page = view.pages[index]
    found = next(w for w in page.words if page.text[w.start : w.end].strip(".,") == word)
    return found.rect


def answer(
    panel: Any, respond: Callable[[QDialog], Any], method: str = "exec_dialog"
) -> list[QDialog]:
    """Make `panel.exec_dialog` (or `method`, e.g. `show_beside` for a modeless dialog) call
    `respond(dialog)` instead of showing it; returns the list of dialogs it was given.
    `respond` fills fields and calls the dialog's save."""
    seen: list[QDialog] = []

    def fake(dialog: QDialog) -> bool:
        seen.append(dialog)
        respond(dialog)
        # A form that saves in the background (a letter with its file) closes when stored.
        deadline = time.monotonic() + 120
        while getattr(dialog, "saving", False) and time.monotonic() < deadline:
            QTest.qWait(10)
        return dialog.result() == QDialog.DialogCode.Accepted

    setattr(panel, method, fake)
    return seen
