"""Qt's file dialog remembers folders in QtProject.conf; ours leaves only the home folder."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QWidget

from ui.export.export_wizard import OptionsPage
from ui.export.verify_dialog import VerifyDialog
from ui.i18n import install_translations
from ui.widgets.file_dialogs import IMPORTABLE, choose_folder, file_dialog

ACCEPT_TRIES = 6000
"""Turns of 10 ms a picker is given to show itself (a minute, as `PATIENCE_MS`)."""
SECRET = "Source Marchés Truqués"
Picker = Callable[[Path], tuple[str, QWidget | None]]
"""Opens a picker from `folder`: what the app shows of the choice, and the window the picker
was opened from (None: a picker of its own)."""


@pytest.fixture
def qt_settings(tmp_path: Path, qapp: QApplication) -> Iterator[Path]:
    """Where Qt keeps its own settings (QtProject.conf, its file dialog's) during the test;
    the user's folder again afterwards."""
    config = tmp_path / "config"
    config.mkdir()
    native, user = QSettings.Format.NativeFormat, QSettings.Scope.UserScope
    QSettings.setPath(native, user, str(config))
    yield config
    QSettings.setPath(native, user, os.environ.get("XDG_CONFIG_HOME", str(Path.home() / ".config")))


def _in_secret_folder(
    tmp_path: Path, settings: Path, picker: Picker, choose: str = ""
) -> tuple[str, str]:
    """Run `picker`, accepted by the user in the folder `SECRET` (`choose` picked there, if
    given): what the app showed, and the QtProject.conf Qt left once the picker was gone (Qt
    saves as its dialog is destroyed, with the window it was opened from)."""
    secret = tmp_path / SECRET
    secret.mkdir()
    (secret / "bundle.zip").write_bytes(b"")
    tries = iter(range(ACCEPT_TRIES))

    def accept() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QFileDialog):
            if choose:  # the user goes to the folder and picks the file there
                dialog.setDirectory(str(secret))
                dialog.selectFile(str(secret / choose))
            dialog.accept()
        elif next(tries, None) is not None:
            QTimer.singleShot(10, accept)

    QTimer.singleShot(0, accept)
    shown, opener = picker(secret)
    if opener is not None:
        opener.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return shown, (settings / "QtProject.conf").read_text(encoding="utf-8")


def _folder(secret: Path) -> tuple[str, QWidget | None]:
    return str(choose_folder(None, "pick", secret)), None


def _export_bundle(_secret: Path) -> tuple[str, QWidget | None]:
    page = OptionsPage(Path.home() / "bundle.zip")
    page.browse()
    return page.out.text(), page


def _verify_bundle(_secret: Path) -> tuple[str, QWidget | None]:
    dialog = VerifyDialog(None)
    dialog.browse()
    return dialog.path.text(), dialog


def test_folder_picker_forgets_where_it_was(tmp_path: Path, qt_settings: Path) -> None:
    shown, saved = _in_secret_folder(tmp_path, qt_settings, _folder)
    assert shown == str(tmp_path / SECRET)  # the folder was really chosen
    assert "lastVisited" in saved  # Qt did write its settings...
    assert "Source" not in saved and "March" not in saved  # ...but not where the user went


def test_file_dialog_labels_are_french_in_the_french_app(qapp) -> None:
    # Qt 6's "&Look in:" and "Files of &type:" are missing from Qt's French catalog.
    install_translations(qapp, "fr")
    try:
        dialog = file_dialog(None, "x", str(Path.home()))
        labels = {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}
        dialog.deleteLater()
    finally:
        install_translations(qapp, "en")
    assert labels["lookInLabel"] == "Voir dans\N{NO-BREAK SPACE}:"
    assert labels["fileTypeLabel"] == "Fichiers de type\N{NO-BREAK SPACE}:"
    assert "Nom de fichier" in labels["fileNameLabel"]


def test_the_import_filter_shows_the_formats_the_guide_promises() -> None:
    # The user guide says WebP photos and web archives are read; the picker hid them.
    patterns = IMPORTABLE.split()
    suffixes = "pdf docx odt eml msg mbox webp heic heif warc wacz tar"
    for suffix in suffixes.split():
        assert f"*.{suffix}" in patterns


@pytest.mark.parametrize(
    ("picker", "choose"),
    [(_export_bundle, "new.zip"), (_verify_bundle, "bundle.zip")],
    ids=["export", "verify"],
)
def test_the_bundle_pickers_forget_where_they_were(
    tmp_path: Path, qt_settings: Path, picker: Picker, choose: str
) -> None:
    """Where a bundle is written or read from is case content too: "Source Marchés Truqués/"."""
    shown, saved = _in_secret_folder(tmp_path, qt_settings, picker, choose)
    assert SECRET in shown  # the dialog really was in that folder
    assert "lastVisited" in saved
    assert "Source" not in saved and "March" not in saved


def test_the_system_file_dialog_is_never_used(qapp) -> None:
    # A desktop's own dialog records the files chosen where Dossier cannot clear it (GTK's
    # recently-used.xbel, Windows' recent places): every picker is Qt's (`file_dialog`).
    dialog = file_dialog(None, "x", str(Path.home()))
    try:
        assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
    finally:
        dialog.deleteLater()
