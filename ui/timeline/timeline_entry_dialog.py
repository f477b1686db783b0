"""Add a free entry to a case's timeline (an interview, a call): a date, a title, a kind and,
optionally, the people of the case it involves.

Only free entries are stored; every other timeline item is derived from what it describes, so
this form is the one way to put something on the timeline by hand. Masked people are listed
under their pseudonym, as everywhere else.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from dossier.services.dto import TimelineItem
from dossier.services.timeline import EVENT_KINDS
from ui.i18n import tr
from ui.state import AppState
from ui.widgets.form_fields import attempt, date_field, lay_out_form
from ui.widgets.outside_text import shown

PERSON_ROLE = Qt.ItemDataRole.UserRole + 1


class TimelineEntryDialog(QDialog):
    def __init__(
        self,
        state: AppState,
        case_id: str,
        kind_label: Callable[[str], str] = str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.case_id = case_id
        self.saved: TimelineItem | None = None
        self.setWindowTitle(tr("New timeline entry"))
        self.resize(440, 380)
        self.date = date_field(today=True)
        self.title_field = QLineEdit()
        self.title_field.setPlaceholderText(tr("What happened (an interview, a call…)"))
        self.kind = QComboBox()
        # The label function comes from the timeline tab, which owns the kinds' display names.
        for kind in EVENT_KINDS:
            self.kind.addItem(kind_label(kind), kind)
        self.people = QListWidget()
        self.people.setAccessibleName(tr("People involved"))
        for person in state.ws.people.of_case(case_id):
            row = QListWidgetItem(shown(person.name))
            row.setData(PERSON_ROLE, person.id)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(Qt.CheckState.Unchecked)
            self.people.addItem(row)
        form = QFormLayout()
        form.addRow(tr("Date"), self.date)
        form.addRow(tr("Title"), self.title_field)
        form.addRow(tr("Kind"), self.kind)
        form.addRow(tr("People (optional)"), self.people)
        self.error = lay_out_form(self, state, self.save, form)

    def check_person(self, person_id: str, on: bool = True) -> None:
        for row in self._rows():
            if row.data(PERSON_ROLE) == person_id:
                row.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def chosen_people(self) -> list[str]:
        return [
            row.data(PERSON_ROLE)
            for row in self._rows()
            if row.checkState() == Qt.CheckState.Checked
        ]

    def _rows(self) -> list[QListWidgetItem]:
        rows = (self.people.item(i) for i in range(self.people.count()))
        return [row for row in rows if row is not None]

    def save(self) -> None:
        def store() -> None:
            # The core checks the date and title and says in one sentence what is wrong.
            self.saved = self.state.ws.timeline.add_entry(
                self.case_id,
                when=self.date.text(),
                title=self.title_field.text(),
                people=self.chosen_people(),
                kind=self.kind.currentData(),
            )

        if attempt(self.error, store):
            self.accept()
