"""Pick a person of the case, or type a new name to create them when the form is accepted.

Masked people are listed under their pseudonym (the core resolves a pseudonym like a name),
so choosing a protected source never shows their real name.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from dossier.services.people.dto import PersonInfo
from dossier.services.people.service import fold
from ui.i18n import tr
from ui.state import AppState
from ui.widgets.outside_text import shown


class PersonPicker(QComboBox):
    def __init__(
        self, state: AppState, case_id: str, optional: bool = True, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.case_id = case_id
        self.optional = optional
        self.people: list[PersonInfo] = []
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line, completer = self.lineEdit(), self.completer()
        assert line is not None and completer is not None  # an editable combo has both
        line.setPlaceholderText(tr("Pick a person or type a new name"))
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.reload()

    def reload(self) -> None:
        self.people = self.state.ws.people.of_case(self.case_id)
        current = self.currentText()
        self.clear()
        if self.optional:
            self.addItem("", "")
        for person in self.people:
            self.addItem(shown(person.name), person.id)
        self.setEditText(current)

    def select_person(self, person_id: str | None) -> None:
        index = self.findData(person_id or "")
        if index >= 0:
            self.setCurrentIndex(index)

    def is_new(self) -> bool:
        """Whether the typed name is nobody of the case yet (accepting creates them)."""
        text = self.currentText().strip()
        return bool(text) and self._known(text) is None

    def _known(self, text: str) -> PersonInfo | None:
        key = fold(text)
        return next((p for p in self.people if fold(p.name) == key), None)

    def person_id(self) -> str | None:
        """The chosen person's id, creating a new person (role "other") for a new name."""
        text = self.currentText().strip()
        if not text:
            return None
        known = self._known(text)
        if known is not None:
            return known.id
        created = self.state.ws.people.add(self.case_id, text)
        self.people.append(created)
        return created.id
