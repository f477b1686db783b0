"""Record a reply to a letter and tick the questions it answers (fully, partly, or declined).

The core counts a reply recorded without answers as answering every question; here the
journalist always says which, so a reply to a letter with questions needs at least one tick.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from dossier.services.dates import parse_date
from dossier.services.letters.dto import LetterInfo, ReplyInfo
from dossier.services.letters.states import ANSWER_STATUSES, CHANNELS
from ui.i18n import tr
from ui.letters.letter_dialog import CHANNEL_NAMES
from ui.state import AppState
from ui.widgets.background_save import Store, save_in_background
from ui.widgets.file_dialogs import choose_files
from ui.widgets.form_fields import date_field, lay_out_form, refuse
from ui.widgets.outside_text import shown
from ui.widgets.person_picker import PersonPicker
from ui.widgets.verdict_badge import badge_label


class ReplyDialog(QDialog):
    def __init__(
        self, state: AppState, case_id: str, letter: LetterInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.case_id = case_id
        self.letter = letter
        self.file: Path | None = None
        self.saved: ReplyInfo | None = None
        self.saving = False
        self.setWindowTitle(tr("Record a reply"))
        self.resize(620, 560)
        self.replier = PersonPicker(state, case_id, optional=False)
        if letter.recipient_ids:
            self.replier.select_person(letter.recipient_ids[0])
        self.received_on = date_field(today=True)
        self.via = QLineEdit()
        self.via.setPlaceholderText(tr("e.g. their lawyer, the press office"))
        self.channel = QComboBox()
        self.channel.addItem("", "")
        for channel in CHANNELS:
            self.channel.addItem(tr(CHANNEL_NAMES.get(channel, channel)), channel)
        self.summary = QPlainTextEdit()
        self.summary.setMaximumHeight(90)
        self.summary.setAccessibleName(tr("Summary"))

        self.ticks: list[tuple[int, QCheckBox, QComboBox]] = []
        questions = QGroupBox(tr("Questions it answers"))
        grid = QGridLayout(questions)
        for row, question in enumerate(letter.questions):
            tick = QCheckBox(f"{question.number}. {shown(question.text)}")
            tick.setToolTip(shown(question.text))
            how = QComboBox()
            for status in ANSWER_STATUSES:
                how.addItem(badge_label("question", status), status)
            how.setEnabled(False)
            tick.toggled.connect(how.setEnabled)
            now = QLabel(badge_label("question", question.status))
            now.setStyleSheet("color: #666;")
            grid.addWidget(tick, row, 0)
            grid.addWidget(how, row, 1)
            grid.addWidget(now, row, 2)
            self.ticks.append((question.number, tick, how))
        if not letter.questions:
            grid.addWidget(QLabel(tr("This letter asked no questions.")), 0, 0)

        self.file_label = QLabel(tr("No file"))
        attach = QPushButton(tr("Attach the reply's file…"))
        attach.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(attach)
        form = QFormLayout()
        subject = shown(letter.subject) or tr("Letter from {sender}").format(
            sender=shown(letter.sender)
        )
        form.addRow(tr("Letter"), QLabel(f"{subject} ({letter.sent_on})"))
        form.addRow(tr("From"), self.replier)
        form.addRow(tr("Received on"), self.received_on)
        form.addRow(tr("Via"), self.via)
        form.addRow(tr("Channel"), self.channel)
        form.addRow(tr("Summary"), self.summary)
        form.addRow(tr("File"), file_row)
        self.error = lay_out_form(self, state, self.save, form, questions)

    def tick(self, number: int, status: str = "answered") -> None:
        for own, box, how in self.ticks:
            if own == number:
                box.setChecked(True)
                how.setCurrentIndex(max(0, how.findData(status)))

    def answers(self) -> list[str]:
        """`N` or `N:partly` / `N:declined` for each ticked question (the core's notation)."""
        specs: list[str] = []
        for number, box, how in self.ticks:
            if box.isChecked():
                status = how.currentData()
                specs.append(str(number) if status == "answered" else f"{number}:{status}")
        return specs

    def choose_file(self) -> None:
        chosen = choose_files(self, tr("The reply's file"))
        if chosen:
            self.file = chosen[0]
            self.file_label.setText(shown(chosen[0].name))

    def save(self) -> None:
        """Check the form here; store the reply (and import its file) in the background."""
        if self.saving:
            return

        def prepare() -> Store:
            received = parse_date(self.received_on.text(), "reception date")
            if received is None:
                refuse(tr("Give the date the reply was received."))
            answers = self.answers()
            if self.ticks and not answers:
                refuse(tr("Tick the questions this reply answers, or mark them declined."))
            sender = self.replier.person_id()
            if sender is None:
                refuse(tr("Say who replied."))
            letters, case_id, letter_id = self.state.ws.letters, self.case_id, self.letter.id
            via, channel = self.via.text().strip(), self.channel.currentData()
            summary, file = self.summary.toPlainText().strip(), self.file

            def store(*_: object) -> ReplyInfo:
                return letters.add_reply(
                    case_id,
                    sender=sender,
                    received_on=received,
                    letter=letter_id,
                    answers=answers,
                    via=via,
                    channel=channel,
                    summary=summary,
                    file=file,
                )

            return store

        save_in_background(self, self.error, prepare, self._stored)

    def _stored(self, reply: ReplyInfo) -> None:
        self.saved = reply

    def reject(self) -> None:
        if not self.saving:  # a save in progress finishes first (its file is being stored)
            super().reject()
