"""Add or edit a person: name, aliases, role, protection level, pseudonym, organisation, notes.

Editing a protected or anonymous person needs their real name on screen, so the panel asks
first and loads them revealed (the core records that in the audit trail). Only the fields that
changed are sent, so nothing withheld from a masked view can overwrite what is stored.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from dossier import labels
from dossier.services.people.dto import PersonEdit, PersonInfo
from dossier.services.people.service import MASKED, PROTECTIONS, ROLES
from ui.i18n import tr
from ui.state import AppState
from ui.widgets.form_fields import attempt, lay_out_form

# The words shown for stored roles and protection levels: the core's, shared with the CLI and
# exports (dossier/labels.py), so one translation serves all three.
ROLE_NAMES = labels.ROLES
PROTECTION_NAMES = labels.PROTECTIONS


def role_label(role: str) -> str:
    return tr(ROLE_NAMES[role]) if role in ROLE_NAMES else role


def protection_label(level: str) -> str:
    return tr(PROTECTION_NAMES[level]) if level in PROTECTION_NAMES else level


class PersonDialog(QDialog):
    def __init__(
        self,
        state: AppState,
        case_id: str,
        person: PersonInfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.case_id = case_id
        self.person = person
        self.saved: PersonInfo | None = None
        self.setWindowTitle(tr("Edit person") if person else tr("New person"))
        self.resize(480, 420)
        self.name = QLineEdit()
        self.aliases = QLineEdit()
        self.aliases.setPlaceholderText(tr("comma-separated"))
        self.role = QComboBox()
        for role in ROLES:
            self.role.addItem(role_label(role), role)
        self.protection = QComboBox()
        for level in PROTECTIONS:
            self.protection.addItem(protection_label(level), level)
        self.protection.currentIndexChanged.connect(self._protection_changed)
        self.pseudonym = QLineEdit()
        self.organisation = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(90)
        form = QFormLayout()
        form.addRow(tr("Name"), self.name)
        form.addRow(tr("Aliases"), self.aliases)
        form.addRow(tr("Role"), self.role)
        form.addRow(tr("Protection"), self.protection)
        form.addRow(tr("Pseudonym"), self.pseudonym)
        form.addRow(tr("Organisation"), self.organisation)
        form.addRow(tr("Notes"), self.notes)
        self.error = lay_out_form(self, state, self.save, form)
        if person is not None:
            self._fill(person)
        self._protection_changed()

    def _fill(self, person: PersonInfo) -> None:
        self.name.setText(person.name)
        self.aliases.setText(", ".join(person.aliases))
        self.role.setCurrentIndex(max(0, self.role.findData(person.role)))
        self.protection.setCurrentIndex(max(0, self.protection.findData(person.protection)))
        self.pseudonym.setText(person.pseudonym)
        self.organisation.setText(person.organisation)
        self.notes.setPlainText(person.notes)

    def _protection_changed(self, *_: object) -> None:
        masked = self.protection.currentData() in MASKED
        self.pseudonym.setPlaceholderText(
            tr("given automatically when left empty") if masked else tr("only for masked people")
        )

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name.text().strip(),
            "aliases": [a.strip() for a in self.aliases.text().split(",") if a.strip()],
            "role": self.role.currentData(),
            "protection": self.protection.currentData(),
            "pseudonym": self.pseudonym.text().strip(),
            "organisation": self.organisation.text().strip(),
            "notes": self.notes.toPlainText().strip(),
        }

    def changed_values(self) -> dict[str, Any]:
        values = self.values()
        if self.person is None:
            return values
        before = {
            "name": self.person.name,
            "aliases": list(self.person.aliases),
            "role": self.person.role,
            "protection": self.person.protection,
            "pseudonym": self.person.pseudonym,
            "organisation": self.person.organisation,
            "notes": self.person.notes,
        }
        return {key: value for key, value in values.items() if value != before[key]}

    def save(self) -> None:
        def store() -> None:
            people = self.state.ws.people
            if self.person is None:
                values = self.values()
                name = values.pop("name")
                self.saved = people.add(self.case_id, name, **values)
            else:
                changes = self.changed_values()
                self.saved = (
                    people.update(self.case_id, self.person.id, PersonEdit(**changes))
                    if changes
                    else self.person
                )

        if attempt(self.error, store):
            self.accept()
