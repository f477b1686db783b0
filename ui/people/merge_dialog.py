"""Merge two entries for the same person: every reference moves to the one kept.

The dropped entry's names become aliases of the kept one and the stricter protection wins (the
core guarantees a merge never exposes a protected source); the dialog says so before, and how
many references moved after.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from dossier.services.people.dto import MergeOutcome, PersonInfo
from ui.i18n import tr
from ui.state import AppState
from ui.widgets.form_fields import ErrorLine, attempt, close_on_lock, refuse
from ui.widgets.outside_text import shown


class MergeDialog(QDialog):
    def __init__(
        self,
        state: AppState,
        case_id: str,
        people: list[PersonInfo],
        drop_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.case_id = case_id
        self.outcome: MergeOutcome | None = None
        self.setWindowTitle(tr("Merge people"))
        self.keep = QComboBox()
        self.drop = QComboBox()
        for person in people:
            self.keep.addItem(shown(person.name), person.id)
            self.drop.addItem(shown(person.name), person.id)
        if drop_id is not None:
            self.drop.setCurrentIndex(max(0, self.drop.findData(drop_id)))
            self.keep.setCurrentIndex(1 if self.drop.currentIndex() == 0 and len(people) > 1 else 0)
        explain = QLabel(
            tr(
                "Quotes, letters, replies, documents and marks of the second entry move to the "
                "first; its names become aliases, and the stricter protection is kept."
            )
        )
        explain.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("Keep"), self.keep)
        form.addRow(tr("Merge into it"), self.drop)
        self.error = ErrorLine()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(tr("Merge"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        close_on_lock(self, state)

    def choose(self, keep_id: str, drop_id: str) -> None:
        self.keep.setCurrentIndex(max(0, self.keep.findData(keep_id)))
        self.drop.setCurrentIndex(max(0, self.drop.findData(drop_id)))

    def save(self) -> None:
        def merge() -> None:
            keep, drop = self.keep.currentData(), self.drop.currentData()
            if keep == drop:
                refuse(tr("Choose two different entries."))
            self.outcome = self.state.ws.people.merge(self.case_id, keep, drop)

        if attempt(self.error, merge):
            self.accept()


def merge_summary(outcome: MergeOutcome) -> str:
    moved = sum(outcome.links.values())
    return tr("Merged into {name}: {n} reference(s) moved.").format(
        name=shown(outcome.kept.name), n=moved
    )
