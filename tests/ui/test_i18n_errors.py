"""French and English interface; failures reach the user as sentences, bugs as a crash dialog."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QLineEdit, QMessageBox

from dossier.errors import CorruptData, InputRefused, VaultInUse, WrongPassphrase
from ui import errors
from ui.i18n import choose_language, install_translations, tr
from ui.main_window import MainWindow


def test_french_is_chosen_on_a_french_system() -> None:
    # Where no locale variable is set (Windows, macOS), the system's language as Qt reads it.
    canada = QLocale(QLocale.Language.French, QLocale.Country.Canada)
    assert choose_language("auto", canada, environ={}) == "fr"
    assert choose_language("auto", QLocale(QLocale.Language.German), environ={}) == "en"
    assert choose_language("en", QLocale(QLocale.Language.French), environ={}) == "en"
    assert choose_language("fr", QLocale(QLocale.Language.English), environ={}) == "fr"
    # The environment, as every gettext program reads it, comes first; LANGUAGE first of all.
    english = QLocale(QLocale.Language.English)
    assert choose_language("auto", english, environ={"LANGUAGE": "fr", "LANG": "en_US"}) == "fr"
    assert choose_language("auto", canada, environ={"LANG": "en_US.UTF-8"}) == "en"


def test_language_fr_in_the_environment_gives_a_french_app(qtbot, qapp, settings) -> None:
    try:
        assert install_translations(qapp, "auto", environ={"LANGUAGE": "fr"}) == "fr"
        assert tr("Unlock") == "Déverrouiller"
        win = MainWindow(settings)
        qtbot.addWidget(win)
        menus = [a.text() for a in win.menuBar().actions()]
        assert menus[:2] == ["&Fichier", "&Édition"]
        # A text field's own context menu is Qt's: French from qtbase_fr.
        field = QLineEdit()
        qtbot.addWidget(field)
        actions = [a.text() for a in field.createStandardContextMenu().actions() if a.text()]
        assert any(t.replace("&", "").startswith("Copier") for t in actions), actions
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        assert box.buttons()[0].text() == "Annuler"
    finally:
        install_translations(qapp, "en")


def test_the_window_speaks_french(qtbot, qapp, settings) -> None:
    assert install_translations(qapp, "fr") == "fr"
    try:
        win = MainWindow(settings)
        qtbot.addWidget(win)
        menus = [a.text() for a in win.menuBar().actions()]
        assert menus == ["&Fichier", "&Édition", "&Affichage", "&Enquête", "&Aide"]
        assert win.unlock_panel.unlock_button.text() == "Déverrouiller"
        assert tr("{n} results").format(n=3) == "3 résultats"
        # Qt's own buttons come from Qt's French catalogue.
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        assert box.buttons()[0].text() == "Annuler"
    finally:
        install_translations(qapp, "en")
    assert tr("{n} results") == "{n} results"


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (WrongPassphrase("wrong passphrase"), errors.USER),
        (InputRefused("x.exe is not a document Dossier can read"), errors.USER),
        (VaultInUse("in use"), errors.ENVIRONMENT),
        (CorruptData("damaged"), errors.ENVIRONMENT),
        (OSError(28, "No space left on device"), errors.ENVIRONMENT),
        (KeyError("oops"), errors.BUG),
    ],
)
def test_failures_are_sorted_into_three_kinds(exc: BaseException, kind: str) -> None:
    assert errors.failure_kind(exc) == kind


def test_expected_failures_show_one_sentence(qtbot, monkeypatch) -> None:
    shown: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or 0)
    errors.show_error(None, InputRefused("scan.tif is larger than 2 GB; split it"))
    errors.show_error(None, OSError(28, "No space left on device"))
    assert shown[0].text() == "Scan.tif is larger than 2 GB; split it."
    assert shown[1].text() == "The system refused the operation: No space left on device."
    assert all("Traceback" not in box.text() + box.detailedText() for box in shown)


def test_a_bug_shows_the_crash_dialog_with_a_traceback_to_copy(qtbot, monkeypatch) -> None:
    dialogs: list[errors.CrashDialog] = []
    monkeypatch.setattr(errors.CrashDialog, "exec", lambda dialog: dialogs.append(dialog) or 0)
    try:
        {}["Mme Lambert, source"]
    except KeyError as exc:
        bug = exc
    errors._excepthook(type(bug), bug, bug.__traceback__)
    (dialog,) = dialogs
    details = dialog.details.toPlainText()
    assert "KeyError" in details and "Dossier 0." in details
    assert "in test_a_bug_shows_the_crash_dialog_with_a_traceback_to_copy" in details
    # Where it happened, never what it was working on: the message is case content.
    assert "Lambert" not in details
    dialog.copy_details()
    assert QApplication.clipboard().text() == details
    QApplication.clipboard().clear()


def test_excepthook_is_installed(monkeypatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    errors.install_excepthook()
    assert sys.excepthook is errors._excepthook


def test_about_box_names_version_and_licences(qtbot) -> None:
    from dossier import __version__
    from ui.about_dialog import AboutDialog

    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.licences.toPlainText()
    assert "GNU GPL" in text and "AGPL-3.0" in text and "LGPL-3.0" in text
    assert any(f"Dossier {__version__}" in label.text() for label in dialog.findChildren(QLabel))


def test_main_module_runs_argument_parsing() -> None:
    from ui.__main__ import main

    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
