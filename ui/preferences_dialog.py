"""Preferences: automatic lock delay, interface language, where recipients of letters are."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from ui.i18n import tr
from ui.letters.jurisdiction import jurisdiction_box
from ui.settings import AppSettings


class PreferencesDialog(QDialog):
    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
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
        form.addRow(buttons)

    def accept(self) -> None:
        self.settings.idle_minutes = self.idle.value()
        self.settings.language = self.language.currentData()
        self.settings.jurisdiction = self.jurisdiction.currentData()
        self.settings.sync()
        super().accept()
