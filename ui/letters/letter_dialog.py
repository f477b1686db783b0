"""A new letter (right of reply): sender, recipients, dates, deadline, questions, its file.

Recipients are ticked among the case's people, or typed as new names (created when the letter
is saved). The deadline is a date or a number of days after sending (optionally working days,
which skip the public holidays where the recipients are: Preferences gives the default).
Questions are typed one per line and numbered in that order.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dossier.services.dates import parse_date
from dossier.services.letters.dto import LetterInfo
from dossier.services.letters.states import CHANNELS
from dossier.services.people.service import fold
from ui.i18n import N_, tr
from ui.letters.jurisdiction import default_jurisdiction, jurisdiction_box
from ui.state import AppState
from ui.widgets.background_save import Store, save_in_background
from ui.widgets.file_dialogs import choose_files
from ui.widgets.form_fields import date_field, lay_out_form, refuse, text_or_none
from ui.widgets.outside_text import shown
from ui.widgets.person_picker import PersonPicker

PERSON_ROLE = Qt.ItemDataRole.UserRole + 1
CHANNEL_NAMES = {
    "post": N_("post"),
    "email": N_("e-mail"),
    "hand": N_("by hand"),
    "form": N_("web form"),
}


class RecipientList(QWidget):
    """The case's people to tick, and a line to add someone new."""

    def __init__(self, state: AppState, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.case_id = case_id
        self.list = QListWidget()
        self.list.setAccessibleName(tr("Recipients"))
        self.list.setMaximumHeight(120)
        for person in state.ws.people.of_case(case_id):
            self._add_item(person.name, person.id, False)
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText(tr("Someone new: type the name"))
        self.new_name.returnPressed.connect(self.add_new)
        add = QPushButton(tr("Add"))
        add.clicked.connect(self.add_new)
        row = QHBoxLayout()
        row.addWidget(self.new_name, 1)
        row.addWidget(add)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(row)

    def _add_item(self, name: str, person_id: str, checked: bool) -> QListWidgetItem:
        item = QListWidgetItem(shown(name))
        item.setData(PERSON_ROLE, person_id)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.list.addItem(item)
        return item

    def add_new(self) -> None:
        name = " ".join(self.new_name.text().split())
        if not name:
            return
        for row in range(self.list.count()):
            item = self.list.item(row)
            if fold(item.text()) == fold(name):
                item.setCheckState(Qt.CheckState.Checked)
                break
        else:
            self._add_item(name, "", True)  # created when the letter is saved
        self.new_name.clear()

    def check(self, person_id: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(PERSON_ROLE) == person_id:
                self.list.item(row).setCheckState(Qt.CheckState.Checked)

    def recipient_ids(self) -> list[str]:
        """Ids of the ticked people, creating the new ones."""
        ids: list[str] = []
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.checkState() != Qt.CheckState.Checked:
                continue
            person_id = item.data(PERSON_ROLE)
            if not person_id:
                person_id = self.state.ws.people.add(self.case_id, item.text()).id
                item.setData(PERSON_ROLE, person_id)
            ids.append(person_id)
        return ids


class LetterDialog(QDialog):
    def __init__(self, state: AppState, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.case_id = case_id
        self.file: Path | None = None
        self.saved: LetterInfo | None = None
        self.saving = False
        self.setWindowTitle(tr("New letter"))
        self.resize(600, 640)
        self.subject = QLineEdit()
        self.signer = PersonPicker(state, case_id, optional=False)
        self.recipients = RecipientList(state, case_id)
        self.channel = QComboBox()
        for channel in CHANNELS:
            self.channel.addItem(tr(CHANNEL_NAMES.get(channel, channel)), channel)
        self.sent_on = date_field(today=True)
        self.deadline = date_field()
        self.deadline_days = QSpinBox()
        self.deadline_days.setRange(0, 365)
        self.deadline_days.setSpecialValueText(tr("none"))
        self.working_days = QCheckBox(tr("working days"))
        self.jurisdiction = jurisdiction_box(default_jurisdiction(state))
        self.jurisdiction.setToolTip(tr("Public holidays skipped by a deadline in working days"))
        deadline_row = QHBoxLayout()
        deadline_row.addWidget(self.deadline)
        deadline_row.addWidget(QLabel(tr("or within")))
        deadline_row.addWidget(self.deadline_days)
        deadline_row.addWidget(self.working_days)
        self.questions = QPlainTextEdit()
        self.questions.setPlaceholderText(tr("One question per line"))
        self.questions.setAccessibleName(tr("Questions"))
        self.file_label = QLabel(tr("No file"))
        attach = QPushButton(tr("Attach the letter's file…"))
        attach.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(attach)
        form = QFormLayout()
        form.addRow(tr("Subject"), self.subject)
        form.addRow(tr("From"), self.signer)
        form.addRow(tr("To"), self.recipients)
        form.addRow(tr("Channel"), self.channel)
        form.addRow(tr("Sent on"), self.sent_on)
        form.addRow(tr("Reply by"), deadline_row)
        form.addRow(tr("Recipients are in"), self.jurisdiction)
        form.addRow(tr("Questions"), self.questions)
        form.addRow(tr("File"), file_row)
        self.error = lay_out_form(self, state, self.save, form)

    def choose_file(self) -> None:
        chosen = choose_files(self, tr("The letter's file"))
        if chosen:
            self.set_file(chosen[0])

    def set_file(self, path: Path | None) -> None:
        self.file = path
        self.file_label.setText(path.name if path is not None else tr("No file"))

    def question_lines(self) -> list[str]:
        return [line.strip() for line in self.questions.toPlainText().splitlines() if line.strip()]

    def save(self) -> None:
        """Check the form here; store the letter (and import its file) in the background."""
        if self.saving:
            return

        def prepare() -> Store:
            sent_on = parse_date(self.sent_on.text(), "sending date")
            deadline = parse_date(self.deadline.text(), "deadline")
            days = self.deadline_days.value() or None
            sender = self.signer.person_id()
            if sender is None:
                refuse(tr("Say who signs the letter."))
            # Widgets are read here, on the GUI thread; the worker gets plain values only.
            recipients = self.recipients.recipient_ids()
            letters, case_id = self.state.ws.letters, self.case_id
            fields = {
                "questions": self.question_lines(),
                "working_days": self.working_days.isChecked() and not deadline,
                "jurisdiction": self.jurisdiction.currentData(),
                "subject": text_or_none(self.subject) or "",
                "channel": self.channel.currentData(),
            }
            file = self.file

            def store(*_: object) -> LetterInfo:
                return letters.add(
                    case_id,
                    sender=str(sender),
                    recipients=recipients,
                    sent_on=sent_on,
                    deadline=deadline,
                    deadline_days=None if deadline else days,
                    file=file,
                    **fields,
                )

            return store

        save_in_background(self, self.error, prepare, self._stored)

    def _stored(self, letter: LetterInfo) -> None:
        self.saved = letter

    def reject(self) -> None:
        if not self.saving:  # a save in progress finishes first (its file is being stored)
            super().reject()
