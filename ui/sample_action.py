"""Help > "Create the sample vault…": build the bundled sample case, then offer to open it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from dossier.sample.build import SAMPLE_PASSPHRASE, build_sample
from ui.errors import show_error
from ui.i18n import tr
from ui.widgets.file_dialogs import choose_folder
from ui.worker import run_in_background

if TYPE_CHECKING:
    from ui.main_window import MainWindow

SAMPLE_FOLDER_NAME = "Dossier sample.dossier"


def create_sample_vault(window: MainWindow) -> None:
    parent = choose_folder(window, tr("Where should the sample vault be created?"), Path.home())
    if parent is None:
        return
    target = parent / SAMPLE_FOLDER_NAME
    if (target / "vault.json").exists():
        _offer_to_open(window, target, tr("A sample vault already exists there."))
        return
    window.statusBar().showMessage(tr("Creating the sample vault…"))

    def done(_built: object) -> None:
        window.statusBar().clearMessage()
        _offer_to_open(window, target, tr("The sample vault was created."))

    def failed(exc: BaseException) -> None:
        window.statusBar().clearMessage()
        show_error(window, exc, tr("The sample vault could not be created"))

    run_in_background(
        lambda progress, cancel: build_sample(target, progress=progress, cancel=cancel),
        on_success=done,
        on_error=failed,
        parent=window,
    )


def _offer_to_open(window: MainWindow, target: Path, headline: str) -> None:
    box = QMessageBox(window)
    box.setWindowTitle(tr("Sample vault"))
    box.setText(headline)
    details = tr("Folder: {folder}\nPassphrase: {passphrase}").format(
        folder=target, passphrase=SAMPLE_PASSPHRASE
    )
    box.setInformativeText(
        details + "\n\n" + tr("Open it now? The vault open now is locked first.")
    )
    box.setStandardButtons(QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel)
    if box.exec() != QMessageBox.StandardButton.Open:
        return
    if window.state.is_unlocked:
        window.lock()
    window.start(target)
    window.unlock_panel.passphrase.setText(SAMPLE_PASSPHRASE)
