"""Drive the real application through one session, in its own process.

    DOSSIER_PASSPHRASE=... python -m tests.ui.gui_session --vault V --pdf P --query Q --out O

Unlocks from the environment (as `make run` screenshots do), imports the PDF through the
import panel, searches with Ctrl+F, opens the first hit with Enter, waits for the page to be
drawn, saves a screenshot (`import -window root` under X11, else the window's own pixels),
locks, and prints a JSON summary. The screenshot and leak-scan tests run it. The MuPDF
owner's watch is armed for the whole session: the summary names the first MuPDF call made on
the GUI thread, if any, and every read of an encrypted original or decryption of a document's
pages made there (there must be none).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from dossier.blobstore import BlobStore
from dossier.pdf import mupdf
from dossier.pdf.mupdf import CallWatch
from dossier.services.documents.service import DocumentService
from ui.app import create_application
from ui.case.import_dialog import ImportRequest
from ui.i18n import install_translations
from ui.main_window import MainWindow
from ui.settings import AppSettings
from ui.vault.unlock_panel import passphrase_from_environment


def wait_until(what: str, condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            print(json.dumps({"error": f"timed out waiting for {what}"}))
            sys.exit(2)
        QApplication.processEvents()
        time.sleep(0.01)


def pause(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def painted(window: QWidget) -> None:
    """What is due on `window` is drawn and the window system has it: the events posted
    handled, the window painted at once, the X server caught up with. A fixed pause of half a
    second before each screenshot did it in more time (the same pixels but for a status
    message the pause outlived)."""
    for _ in range(3):
        QApplication.processEvents()
    window.repaint()
    QGuiApplication.sync()
    pause(0.1)


def screenshot(window: MainWindow, out: Path) -> str:
    if QGuiApplication.platformName() == "xcb" and shutil.which("import"):
        subprocess.run(["import", "-window", "root", str(out)], check=True, timeout=60)
        return "x11"
    window.grab().save(str(out))
    return "grab"


_WATCH = CallWatch()
_HEAVY_ON_GUI: list[str] = []


def _note_gui_thread_calls(cls: type, name: str) -> None:
    """Record calls of `cls.name` made on the GUI thread (the call itself is unchanged)."""
    method = getattr(cls, name)

    @functools.wraps(method)
    def noted(*args: object, **kwargs: object) -> object:
        if threading.current_thread() is threading.main_thread():
            _HEAVY_ON_GUI.append(f"{cls.__name__}.{name}")
        return method(*args, **kwargs)

    setattr(cls, name, noted)


for _cls, _name in (
    (BlobStore, "open"),
    (BlobStore, "read"),
    (DocumentService, "original"),
    (DocumentService, "pages"),
):
    _note_gui_thread_calls(_cls, _name)


def open_window(vault: Path, lang: str = "en") -> tuple[QApplication, MainWindow]:
    """The app's window at a laptop's size, unlocked from the environment, a case chosen."""
    _WATCH.__enter__()
    app = create_application()
    install_translations(app, lang)
    window = MainWindow(AppSettings())
    window.resize(1400, 870)
    window.show()
    window.start(vault, passphrase_from_environment())
    wait_until("unlock", lambda: window.state.is_unlocked)
    wait_until("a case", lambda: bool(window.state.case_id))
    return app, window


def finish(app: QApplication, window: MainWindow, summary: dict[str, object]) -> int:
    """Lock, say in the summary whether that worked, print it as JSON and quit."""
    window.lock()
    summary["locked"] = not window.state.is_unlocked
    mupdf.wait_later(30)
    _WATCH.__exit__()
    summary["mupdf_on_gui_thread"] = _WATCH.threads.get(threading.main_thread().name)
    summary["documents_read_on_gui_thread"] = sorted(set(_HEAVY_ON_GUI))
    window.close()
    print(json.dumps(summary))
    app.quit()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vault", type=Path, required=True)
    parser.add_argument("--pdf", type=Path, required=True)
    parser.add_argument("--title", default="Rapport")
    parser.add_argument("--query", required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    app, window = open_window(args.vault)
    window.import_dock.show()
    rows = window.imports.enqueue(
        window.state.case_id, [ImportRequest(args.pdf, kind="article", title=args.title)]
    )
    wait_until("the import", lambda: all(r.finished for r in rows), timeout=120)

    # Shortcuts need the active window (no window manager under a bare Xvfb: ask for it).
    window.activateWindow()
    wait_until("an active window", window.isActiveWindow)
    QTest.keyClick(window.cases.list, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    wait_until("the search field", window.search.field.hasFocus)
    QTest.keyClicks(window.search.field, args.query)
    wait_until("search results", lambda: bool(window.search.model.hits))
    QTest.keyClick(window.search.field, Qt.Key.Key_Return)
    viewer = window.viewer
    wait_until("the document", lambda: bool(viewer.doc_id))
    view = viewer.pdf
    wait_until(
        "the page",
        lambda: view.cache.get(view.doc_id, view.current_page, view._render_zoom()) is not None,
    )
    painted(window)
    how = screenshot(window, args.out)
    summary: dict[str, object] = {
        "imported": [r.state for r in rows],
        "hits": len(window.search.model.hits),
        "page": view.current_page,
        "search_rects": sum(len(r) for r in view.overlays.get("search", {}).values()),
        "screenshot": how,
        "platform": QGuiApplication.platformName(),
        "window": [window.frameGeometry().width(), window.frameGeometry().height()],
        "screen": [window.screen().geometry().width(), window.screen().geometry().height()],
        "visible": window.isVisible(),
    }
    return finish(app, window, summary)


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
