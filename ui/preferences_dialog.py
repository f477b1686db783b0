"""Preferences: automatic lock delay, interface language, where recipients of letters are, and
re-encrypting the open vault under new keys."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)

from dossier.services import Workspace
from ui.i18n import tr
from ui.letters.jurisdiction import jurisdiction_box
from ui.settings import AppSettings
from ui.vault.rekey_dialog import RekeyDialog


class PreferencesDialog(QDialog):
    def __init__(
        self,
        settings: AppSettings,
        parent: QWidget | None = None,
        ws: Workspace | None = None,
        busy: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.ws = ws
        self.busy = busy
        self.rekey_dialog: RekeyDialog | None = None
        self.setWindowTitle(tr("Preferences"))
        self.idle = QSpinBox()
        self.idle.setRange(0, 24 * 60)
        self.idle.setSuffix(tr(" min"))
        self.idle.setSpecialValueText(tr("Never"))
        self.idle.setValue(settings.idle_minutes)
        self.language = QComboBox()
        self.language.addItem(tr("Automatic (system language)"), "auto")
        self.language.addItem("English", "en")
        self.language.addItem("Français", "fr")
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.jurisdiction = jurisdiction_box(settings.jurisdiction)
        self.jurisdiction.setToolTip(
            tr("Public holidays skipped by deadlines in working days of new letters")
        )
        note = QLabel(tr("A new language applies the next time Dossier starts."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(tr("Lock the vault after inactivity"), self.idle)
        form.addRow(tr("Language"), self.language)
        form.addRow(tr("Letters' recipients are in"), self.jurisdiction)
        form.addRow(note)
        self.rekey_button = QPushButton(tr("Re-encrypt the vault…"))
        self.rekey_button.setToolTip(
            tr(
                "New keys for every case, everything written again under them: an old copy "
                "of the keys opens nothing any more"
            )
            if ws is not None
            else tr("Unlock a vault first")
        )
        self.rekey_button.setEnabled(ws is not None)
        self.rekey_button.clicked.connect(self.open_rekey)
        form.addRow(tr("Keys"), self.rekey_button)
        form.addRow(buttons)

    def open_rekey(self) -> None:
        if self.ws is None:
            return
        self.rekey_dialog = RekeyDialog(self.ws, self, self.busy)
        self.rekey_dialog.open()

    def accept(self) -> None:
        self.settings.idle_minutes = self.idle.value()
        self.settings.language = self.language.currentData()
        self.settings.jurisdiction = self.jurisdiction.currentData()
        self.settings.sync()
        super().accept()
