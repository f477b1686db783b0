"""A bar above the page asking why a box was just drawn, without stopping the drawing.

The box is stored as soon as it is drawn; the bar then offers a line for its reason (Enter
keeps it, Escape or × leaves the box without one). Another box drawn meanwhile takes the bar
over. The reason is sealed in the vault with the mark, shown in the export's preview and in
the audit trail, never exported; Edit › Undo takes it back like any edit.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from dossier.errors import DossierError
from ui.errors import message_for
from ui.i18n import tr
from ui.state import AppState
from ui.undo import record_edit


class ReasonLine(QLineEdit):
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            bar = self.parent()
            if isinstance(bar, ReasonBar):
                bar.dismiss()
                return
        super().keyPressEvent(event)


class ReasonBar(QFrame):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.mark_id = ""
        self.case_id = ""
        self.setObjectName("reasonBar")
        self.setStyleSheet("#reasonBar { background: #fff8e1; border-bottom: 1px solid #e0c46c; }")
        self.question = QLabel(tr("Why is this box blacked out?"))
        self.line = ReasonLine(self)
        self.line.setPlaceholderText(tr("e.g. the source’s address (kept in the vault)"))
        self.line.setAccessibleName(tr("Reason for the box"))
        self.line.returnPressed.connect(self.keep)
        keep = QToolButton()
        keep.setText(tr("Keep"))
        keep.clicked.connect(self.keep)
        close = QToolButton()
        close.setText("×")
        close.setToolTip(tr("Leave the box without a reason"))
        close.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 3, 8, 3)
        layout.addWidget(self.question)
        layout.addWidget(self.line, 1)
        layout.addWidget(keep)
        layout.addWidget(close)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        self.message.hide()
        layout.addWidget(self.message)
        state.locking.connect(self.dismiss)
        self.hide()

    def ask(self, mark_id: str, case_id: str) -> None:
        """Ask the reason of the mark just drawn (a box drawn before keeps what it had)."""
        self.mark_id, self.case_id = mark_id, case_id
        self.line.clear()
        self.message.hide()
        self.show()
        self.line.setFocus()

    def keep(self) -> None:
        reason = self.line.text().strip()
        if not reason or not self.mark_id or not self.state.is_unlocked:
            self.dismiss()
            return
        ws, mark_id, case_id = self.state.ws, self.mark_id, self.case_id
        try:
            before = ws.history.snapshot("redaction", mark_id)
            ws.redactions.set_reason(mark_id, reason)
        except DossierError as exc:
            self.message.setText(message_for(exc))
            self.message.show()
            return
        self.state.redactions_changed.emit(case_id)
        record_edit(
            self.state,
            tr("reason of a redaction mark"),
            before,
            lambda: self.state.redactions_changed.emit(case_id),
        )
        self.state.show_status(tr("Reason kept with the box."))
        self.dismiss()

    def dismiss(self) -> None:
        self.mark_id = ""
        self.line.clear()
        self.hide()
