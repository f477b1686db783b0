"""Case › Audit trail: what was done in the vault (or the case), and whether the chained record
still holds (each entry is sealed and linked to the previous one by a keyed hash).

Read-only; it shows what `dossier audit` shows, checked on opening and again on request.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dossier.errors import DossierError
from dossier.labels import audit_action
from ui.errors import message_for
from ui.i18n import tr
from ui.state import AppState
from ui.widgets.form_fields import close_on_lock
from ui.widgets.outside_text import shown


def when(at: str) -> str:
    """'2026-12-04T07:13:20+00:00' (what the chain signs) as a reader writes it, in UTC."""
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        return at
    if moment.utcoffset() != timedelta(0):
        return at
    return tr("{date} {time} UTC").format(
        date=moment.strftime("%Y-%m-%d"), time=moment.strftime("%H:%M:%S")
    )


class AuditDialog(QDialog):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle(tr("Audit trail"))
        self.resize(820, 520)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.this_case = QCheckBox(tr("Only this case"))
        self.this_case.setChecked(bool(state.case_id))
        self.this_case.setEnabled(bool(state.case_id))
        self.this_case.toggled.connect(lambda _on: self.reload())
        self.verify_button = QPushButton(tr("Verify the chain"))
        self.verify_button.clicked.connect(self.verify)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([tr("#"), tr("When"), tr("Action"), tr("Details")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        for column in (0, 1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        top = QHBoxLayout()
        top.addWidget(self.this_case)
        top.addStretch(1)
        top.addWidget(self.verify_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        close_on_lock(self, state)
        self.reload()
        self.verify()

    def reload(self) -> None:
        case_id = self.state.case_id if self.this_case.isChecked() else None
        try:
            records = self.state.ws.audit.records(case_id)
        except DossierError as exc:
            self.verdict.setText(message_for(exc))
            return
        self.table.setRowCount(len(records))
        masks: dict[str, Callable[[str], str]] = {}
        for row, record in enumerate(records):
            details = json.dumps(record.details, ensure_ascii=False, sort_keys=True)
            if record.case_id:
                # What people wrote (a box's reason) may name a protected person: masked as
                # everywhere else on screen, unless names are revealed.
                if record.case_id not in masks:
                    masks[record.case_id] = self._mask(record.case_id)
                details = masks[record.case_id](details)
            for column, value in enumerate(
                (str(record.seq), when(record.at), audit_action(record.action), details)
            ):
                self.table.setItem(row, column, QTableWidgetItem(shown(value)))

    def _mask(self, case_id: str) -> Callable[[str], str]:
        screen = self.state.ws.screen
        try:
            return screen.mask(case_id, reveal=screen.revealed(case_id), where="audit trail").text
        except DossierError:
            return lambda text: text  # a case deleted since: none of its people is left

    def verify(self) -> None:
        try:
            check = self.state.ws.audit.verify()
        except DossierError as exc:
            self.verdict.setText(message_for(exc))
            return
        if check.ok:
            self.verdict.setStyleSheet("color: #1b7f3b; font-weight: bold;")
            self.verdict.setText(
                tr(
                    "✔ The audit trail is intact: {n} entries, each linked to the one before."
                ).format(n=check.entries)
            )
        else:
            self.verdict.setStyleSheet("color: #c62828; font-weight: bold;")
            self.verdict.setText(
                tr("✘ The audit trail does not check out: {problems}").format(
                    problems="; ".join(check.problems)
                )
            )
