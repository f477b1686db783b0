"""Qt's file dialog remembers folders in QtProject.conf; ours leaves only the home folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QLabel

from tests.conftest import REPO
from ui.i18n import install_translations
from ui.widgets.file_dialogs import IMPORTABLE, file_dialog

PICK = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from ui.widgets.file_dialogs import choose_folder
app = QApplication([])
def accept():
    dialog = QApplication.activeModalWidget()
    if dialog is None:
        QTimer.singleShot(50, accept)
    else:
        dialog.accept()
QTimer.singleShot(100, accept)
print(choose_folder(None, "pick", Path(sys.argv[1])))
"""


def _in_secret_folder(tmp_path: Path, script: str, *args: str) -> tuple[str, str]:
    """Run `script` (a picker accepted in the folder "Source Marchés Truqués") in a process of
    its own: what it printed, and the QtProject.conf Qt left."""
    secret = tmp_path / "Source Marchés Truqués"
    secret.mkdir()
    config = tmp_path / "config"
    config.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "QT_"))}
    env.update(XDG_CONFIG_HOME=str(config), QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    result = subprocess.run(
        [sys.executable, "-c", script, str(secret), *args],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip(), (config / "QtProject.conf").read_text(encoding="utf-8")


def test_folder_picker_forgets_where_it_was(tmp_path: Path) -> None:
    printed, saved = _in_secret_folder(tmp_path, PICK)
    assert printed == str(tmp_path / "Source Marchés Truqués")  # the folder was really chosen
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


BROWSE = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
folder = Path(sys.argv[1])
(folder / "bundle.zip").write_bytes(b"")
def accept():
    dialog = QApplication.activeModalWidget()
    if dialog is None:
        QTimer.singleShot(50, accept)
    else:  # the user goes to the folder and picks the bundle there
        dialog.setDirectory(str(folder))
        dialog.selectFile(str(folder / ("new.zip" if sys.argv[2] == "export" else "bundle.zip")))
        dialog.accept()
QTimer.singleShot(100, accept)
if sys.argv[2] == "export":
    from ui.export.export_wizard import OptionsPage
    page = OptionsPage(Path.home() / "bundle.zip")
    page.browse()
    print(page.out.text())
else:
    from ui.export.verify_dialog import VerifyDialog
    dialog = VerifyDialog(None)
    dialog.browse()
    print(dialog.path.text())
"""


@pytest.mark.parametrize("picker", ["export", "verify"])
def test_the_bundle_pickers_forget_where_they_were(tmp_path: Path, picker: str) -> None:
    """Where a bundle is written or read from is case content too: "Source Marchés Truqués/"."""
    printed, saved = _in_secret_folder(tmp_path, BROWSE, picker)
    assert "Source Marchés Truqués" in printed  # the dialog really was in that folder
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
