"""The main window: the unlock screen, or the workspace (cases, contents, viewer, inspector).

Locking (Ctrl+L, idle timer, closing the window) goes through `lock()`: edits are saved,
running jobs abandoned, views and decrypted caches dropped, keys wiped by `Workspace.close()`,
and the unlock screen shown again.
"""

from __future__ import annotations

import os
import weakref
from functools import partial
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from dossier.errors import safe_text
from dossier.jobs import CancelToken, Progress
from dossier.services import Workspace
from dossier.services.constants import KDF_DEFAULT, KdfParams
from ui import heap
from ui.case.case_panel import CasePanel
from ui.case.contents_panel import ContentsPanel
from ui.case.import_dialog import ImportDialog, ImportRequest, expand_paths
from ui.case.import_panel import ImportPanel
from ui.case.inspector_panel import InspectorPanel
from ui.case.summary_editors import LetterSummary, PersonSummary
from ui.errors import sentence
from ui.i18n import tr
from ui.idle_lock import IdleWatcher
from ui.menus import build_menus
from ui.search.search_tab import SearchTab
from ui.settings import AppSettings
from ui.state import AppState
from ui.vault.unlock_panel import UnlockPanel
from ui.viewer.document_viewer import DocumentViewer
from ui.viewer.saved_quotes import SavedQuotes
from ui.viewer.thumbnails import ThumbnailStrip
from ui.widgets.fit import default_geometry, fit_to_screen
from ui.widgets.icons import app_icon
from ui.widgets.outside_text import shown
from ui.worker import abandon_all, prefer_the_window, run_in_background
from ui.workflows import Workflows

PANE_STRETCH = (2, 3, 1)
"""How extra width is shared: contents (tables), viewer, details."""
PANE_MINIMUM = (240, 280, 180)
PANE_SHARE = (0.4, 0.4, 0.2)
"""First-run widths as shares of the window."""


class MainWindow(QMainWindow):
    def __init__(
        self,
        settings: AppSettings | None = None,
        kdf: KdfParams = KDF_DEFAULT,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        prefer_the_window()
        self.settings = settings or AppSettings()
        self.state = AppState(self)
        self.state.settings = self.settings
        self.setWindowTitle("Dossier")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)

        self.unlock_panel = UnlockPanel(self.settings, kdf)
        self.unlock_panel.unlocked.connect(self._unlocked)
        self.cases = CasePanel(self.state)
        self.contents = ContentsPanel(self.state, extra=[SearchTab])
        search = self.contents.tab(SearchTab)
        assert isinstance(search, SearchTab)
        self.search = search
        self.viewer = DocumentViewer(self.state)
        # Next/previous hit go on through the search results, document after document.
        self.viewer.step_beyond = lambda step: self.search.step_result(step, self.viewer.doc_id)
        self.search.searched.connect(self.viewer.clear_search)
        self.saved_quotes = SavedQuotes(self.state, self.viewer)
        self.thumbnails = ThumbnailStrip(self.state, self.viewer)
        self.viewer.body.insertWidget(0, self.thumbnails)
        self.inspector = InspectorPanel(self.state)
        self.inspector.register_editor(LetterSummary(self.state))
        self.inspector.register_editor(PersonSummary(self.state))
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.cases)
        left.addWidget(self.contents)
        left.setStretchFactor(1, 3)
        left.setSizes([170, 560])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.viewer)
        self.splitter.addWidget(self.inspector)
        # Extra width goes to the tables and the page alike, a little to the details; no pane
        # is squeezed below what it needs to show what it is for.
        panes = (left, self.viewer, self.inspector)
        for index, (pane, stretch, minimum) in enumerate(
            zip(panes, PANE_STRETCH, PANE_MINIMUM, strict=True)
        ):
            self.splitter.setStretchFactor(index, stretch)
            pane.setMinimumWidth(max(minimum, pane.minimumSizeHint().width()))
        self.splitter.setChildrenCollapsible(False)
        self.left_splitter = left
        self.stack = QStackedWidget()
        self.stack.addWidget(self.unlock_panel)
        self.stack.addWidget(self.splitter)
        self.setCentralWidget(self.stack)

        self.imports = ImportPanel(self.state)
        self.import_dock = QDockWidget(tr("Imports"), self)
        self.import_dock.setObjectName("imports")
        self.import_dock.setWidget(self.imports)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.import_dock)
        self.import_dock.hide()

        self.vault_label = QLabel()
        self.import_status = QLabel()
        """How far the imports are, and the time they have left (hidden while none runs)."""
        self.import_status.hide()
        self.imports.status.connect(self._import_status)
        self.statusBar().addPermanentWidget(self.import_status)
        self.statusBar().addPermanentWidget(self.vault_label)
        self.state.status.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.viewer.page_changed.connect(self._page_status)

        self.idle = IdleWatcher(self)
        self.idle.set_minutes(self.settings.idle_minutes)
        self.idle.idle.connect(self.lock)
        self.workflows = Workflows(self)
        self.actions_by_name = build_menus(self)
        self._restore_layout()
        self._update_actions()

    # -- start --------------------------------------------------------------------------------

    def start(self, vault: Path | None = None, passphrase: str | None = None) -> None:
        """Fill the unlock screen for `vault`; unlock at once if a passphrase is given."""
        if vault is not None:
            self.unlock_panel.set_vault(vault)
        if os.environ.get("DOSSIER_SAMPLE_HINT"):
            sample = os.environ.get("DOSSIER_SAMPLE_PASSPHRASE")
            printed = tr("This is the sample vault: its passphrase was printed in the terminal.")
            if sample:
                self.unlock_panel.passphrase.setText(sample)
                # Once the field is emptied (a lock, a vault in use), "filled in" would be false.
                self.unlock_panel.show_hint(
                    tr("This is the sample vault: its passphrase is filled in."),
                    filled_with=sample,
                    otherwise=tr(
                        "This is the sample vault: its passphrase is {passphrase}."
                    ).format(passphrase=sample),
                )
            else:
                self.unlock_panel.show_hint(printed)
        if passphrase and vault is not None:
            self.unlock_panel.passphrase.setText(passphrase)
            self.unlock_panel.unlock()
        else:
            self.unlock_panel.passphrase.setFocus()

    def _unlocked(self, ws: Workspace) -> None:
        self.state.attach(ws)
        ws.search.spare_the_window()
        self.stack.setCurrentWidget(self.splitter)
        self.vault_label.setText(tr("Vault: {name}").format(name=shown(ws.folder.name)))
        self.idle.set_minutes(self.settings.idle_minutes)
        self.idle.arm()
        self._update_actions()
        self.statusBar().showMessage(tr("Vault unlocked."), 4000)
        # What exists now lives as long as the session (modules, widgets, the workspace): out
        # of the collector's way. A full collection stops every thread, the GUI's too, and
        # over this heap it took 0.4 to 0.7 s, several times during a large import.
        heap.settle()
        self._show_warnings(ws.warnings)

    def _show_warnings(self, warnings: list[str]) -> None:
        """What the vault said when it opened (rolled back to an older copy, a re-encryption
        left unfinished): shown, not blocking, so the window is usable behind it."""
        if not warnings:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(tr("Dossier"))
        box.setText("\n\n".join(sentence(safe_text(w)) for w in warnings))
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        self.vault_warning = box
        box.open()

    # -- locking ------------------------------------------------------------------------------

    def lock(self, *, collect: bool = True) -> None:
        """Lock; `collect=False` when the app is quitting (its memory goes back to the system
        as it exits: a full collection first, up to half a second, would only delay that)."""
        if not self.state.is_unlocked:
            return
        self.idle.disarm()
        abandon_all()
        # `detach` announces `locking` first: the inspector saves its edits while keys are there.
        ws = self.state.detach()
        session = None
        if ws is not None:
            ws.close()
            session = weakref.ref(ws)
            del ws  # or the collection below would keep it, and what it still refers to
        if collect:  # decrypted bytes and images go as soon as nothing refers to them
            heap.release_all(session)
        self.vault_label.setText("")
        self.stack.setCurrentWidget(self.unlock_panel)
        self.unlock_panel.reset()
        self.import_dock.hide()
        self._update_actions()
        self.statusBar().showMessage(tr("Vault locked."), 4000)

    # -- import -------------------------------------------------------------------------------

    def _import_status(self, text: str) -> None:
        self.import_status.setText(text)
        self.import_status.setVisible(bool(text))

    def ask_import_options(self, paths: list[Path]) -> list[ImportRequest] | None:
        dialog = ImportDialog(paths, parent=self)
        return dialog.requests() if dialog.exec() else None

    def import_files(self, paths: list[Path]) -> None:
        if not self.state.is_unlocked:
            return
        if not self.state.case_id:
            QMessageBox.information(self, tr("Import"), tr("Select or create a case first."))
            return
        # A dropped folder may hold 10,000 files on a slow disk: it is walked in the worker.
        self.statusBar().showMessage(tr("Listing the files to import…"))
        ws = self.state.ws

        def listed(_progress: Progress, _cancel: CancelToken) -> list[Path]:
            files = expand_paths(paths)
            if len(files) > 1:
                # The index workers start while the user reads the import dialog, ready for
                # the batch's first pages instead of costing it a second or more.
                ws.search.prepare_batch()
            return files

        run_in_background(
            listed,
            on_success=partial(self._files_listed, self.state.case_id),
            on_finished=self.statusBar().clearMessage,
            parent=self,
        )

    def _files_listed(self, case_id: str, files: list[Path]) -> None:
        if not self.state.is_unlocked or self.state.case_id != case_id:
            return  # locked, or another case picked, while the folder was walked
        if not files:
            self.statusBar().showMessage(tr("No files to import there."), 4000)
            return
        requests = self.ask_import_options(files)
        if requests:
            self.import_dock.show()
            self.imports.enqueue(case_id, requests)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.state.is_unlocked and event.mimeData().hasUrls():
            if any(url.isLocalFile() for url in event.mimeData().urls()):
                event.acceptProposedAction()
                return
        event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        self.import_files(paths)

    # -- search and status --------------------------------------------------------------------

    def focus_search(self) -> None:
        if not self.state.is_unlocked:
            return
        self.contents.setCurrentWidget(self.search)
        self.search.focus_search()

    def _page_status(self, index: int) -> None:
        if self.viewer.pages and 0 <= index < len(self.viewer.pages):
            label = shown(self.viewer.pages[index].display_label)
            self.statusBar().showMessage(
                tr("Page {label} ({n} of {total})").format(
                    label=label, n=index + 1, total=len(self.viewer.pages)
                ),
                2000,
            )

    def _update_actions(self) -> None:
        unlocked = self.state.is_unlocked
        for name in ("import_files", "import_folder", "lock", "find", "audit"):
            self.actions_by_name[name].setEnabled(unlocked)

    # -- window layout ------------------------------------------------------------------------

    def available_area(self) -> QRect:
        """The screen area the window may use (without panels and docks of the desktop)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 768)

    def _restore_layout(self) -> None:
        available = self.available_area()
        geometry = self.settings.layout("geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.setGeometry(default_geometry(available))
        else:
            # Remembered from a larger monitor, or a screen since unplugged: pulled back in.
            self.setGeometry(fit_to_screen(self.geometry(), available))
        state = self.settings.layout("state")
        if state is not None:
            self.restoreState(state)
        # A first run shares the width once the window has its real size (`showEvent`).
        self._share_panes = self.settings.layout("splitter") is None
        for name, splitter in (("splitter", self.splitter), ("left", self.left_splitter)):
            saved = self.settings.layout(name)
            if saved is not None:
                splitter.restoreState(saved)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._share_panes:
            self._share_panes = False
            self.share_panes(self.width())

    def share_panes(self, width: int) -> None:
        """Give each pane its share of `width`, the left one at least what its tab names need
        (on a laptop the viewer gives way, the details pane keeps its share)."""
        left, viewer, details = (int(width * share) for share in PANE_SHARE)
        need = self.left_splitter.minimumWidth()
        self.splitter.setSizes([max(left, need), viewer - max(0, need - left), details])

    def save_layout(self) -> None:
        self.settings.set_layout("geometry", self.saveGeometry())
        self.settings.set_layout("state", self.saveState())
        self.settings.set_layout("splitter", self.splitter.saveState())
        self.settings.set_layout("left", self.left_splitter.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.lock(collect=False)
        self.idle.disarm()
        event.accept()
