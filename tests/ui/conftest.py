"""Fixtures for the desktop application tests (pytest-qt, offscreen)."""

from __future__ import annotations

import gc
import itertools
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtTest import QTest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.services import Workspace
from dossier.vault.seen import STATE_ENV
from tests.conftest import PASSPHRASE
from tests.pdfgen import FRENCH_PARAGRAPHS, text_page, write_pdf
from ui.case.contents_panel import DocumentsTab
from ui.i18n import install_translations
from ui.main_window import MainWindow
from ui.settings import AppSettings
from ui.worker import reads_busy

CASE_NAME = "Affaire du collège"
NEEDLE = "Zorglubinade"
"""A word found only on page 3 of the sample PDF."""


@pytest.fixture(autouse=True)
def english(qapp):
    # Tests read English texts; a French CI machine must not change them.
    install_translations(qapp, "en")
    yield


@pytest.fixture
def settings(tmp_path: Path) -> AppSettings:
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def sample_pdf(folder: Path, name: str = "memo.pdf") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_pdf(
        folder / name,
        [
            text_page(FRENCH_PARAGRAPHS[0], FRENCH_PARAGRAPHS[1]),
            text_page(FRENCH_PARAGRAPHS[2]),
            text_page(f"Le rapport {NEEDLE} cite le chantier et le collège.", FRENCH_PARAGRAPHS[3]),
        ],
    )


@pytest.fixture(scope="session")
def _new_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template") / "Test.dossier"
    with Workspace.create(folder, PASSPHRASE, TEST_ONLY_FAST) as ws:
        ws.cases.create(CASE_NAME, "description")
    return folder


@pytest.fixture
def vault(_new_vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A vault with one case: a copy of one made once (its migrations, keys and inventory
    cost more than the copy). Each copy is seen by a computer of its own: the same vault
    seen further on by an earlier test would otherwise be named as put back to an older copy."""
    monkeypatch.setenv(STATE_ENV, str(tmp_path / "state"))
    return Path(shutil.copytree(_new_vault, tmp_path / "Test.dossier"))


_CLOSED = itertools.count(1)
COLLECT_EVERY = 10
"""Windows closed between two collections of the whole heap."""


@pytest.fixture
def window(qtbot, settings: AppSettings) -> Iterator[MainWindow]:
    win = MainWindow(settings, kdf=TEST_ONLY_FAST)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    yield win
    win.lock()  # closes the workspace: the vault's lock is released for the next test
    # Closed (by pytest-qt, before this), the window locked without a full collection, as
    # the app does when it quits: what its session froze stays frozen, out of every
    # collection's sight, until the whole heap is collected once every few windows.
    if next(_CLOSED) % COLLECT_EVERY == 0:
        gc.unfreeze()
        gc.collect()


def unlock(qtbot, win: MainWindow, vault: Path, passphrase: str = PASSPHRASE) -> None:
    win.start(vault, passphrase)
    qtbot.waitUntil(lambda: win.state.is_unlocked, timeout=10000)


@pytest.fixture
def unlocked(qtbot, window: MainWindow, vault: Path) -> MainWindow:
    unlock(qtbot, window, vault)
    return window


def imports_held(monkeypatch: pytest.MonkeyPatch, win: MainWindow) -> threading.Event:
    """The window's import jobs store nothing until the event is set: a click meant for a job
    still under way (a cancel) reaches it under way, however fast the machine."""
    held = threading.Event()
    import_many = win.state.ws.documents.import_many

    def when_released(*args: Any, **kwargs: Any) -> Any:
        held.wait(60)
        return import_many(*args, **kwargs)

    monkeypatch.setattr(win.state.ws.documents, "import_many", when_released)
    return held


def import_now(win: MainWindow, path: Path, kind: str = "article") -> str:
    """Import through the core directly (the import panel has its own tests); the doc id."""
    ws = win.state.ws
    info = ws.documents.import_file(win.state.case_id, path, kind=kind, ocr=False)
    win.state.documents_changed.emit(info.case_id)
    documents_read(win)
    return info.id


def documents_read(win: MainWindow, timeout_s: float = 30.0) -> None:
    """Wait until the documents tree, and the counts and hints beside it, have read the
    catalog (they read in workers)."""
    tab = win.contents.tabs[0]
    assert isinstance(tab, DocumentsTab)
    deadline = time.monotonic() + timeout_s
    while tab.busy or reads_busy():
        assert time.monotonic() < deadline, "the documents tree was not read in time"
        QTest.qWait(10)
