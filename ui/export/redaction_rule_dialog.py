"""A case-wide redaction rule: a term, a pattern (e-mail, phone, IBAN, NIR, plate) or a person.

Every occurrence in every document of the case is blacked out in exports. Protected and
anonymous people need no rule (their names always are); the form says so.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from dossier.services.constants import REDACTION_PATTERNS
from dossier.services.export.dto import RedactionInfo
from ui.i18n import N_, tr
from ui.state import AppState
from ui.widgets.form_fields import attempt, lay_out_form, refuse
from ui.widgets.outside_text import shown

PATTERN_NAMES = {
    "email": N_("e-mail addresses"),
    "phone": N_("phone numbers"),
    "iban": N_("bank accounts (IBAN)"),
    "nir": N_("social security numbers (NIR)"),
    "plate": N_("number plates"),
}
TITLES = {
    "term": N_("Redact a term"),
    "pattern": N_("Redact a pattern"),
    "person": N_("Redact a person's names"),
}


def pattern_label(kind: str) -> str:
    return tr(PATTERN_NAMES[kind]) if kind in PATTERN_NAMES else kind


class RuleDialog(QDialog):
    def __init__(
        self, state: AppState, case_id: str, kind: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.case_id = case_id
        self.kind = kind
        self.saved: RedactionInfo | None = None
        self.setWindowTitle(tr(TITLES[kind]))
        self.resize(440, 200)
        self.term = QLineEdit()
        self.term.setPlaceholderText(tr("Case, accents and line breaks do not matter"))
        self.pattern = QComboBox()
        for pattern in REDACTION_PATTERNS:
            self.pattern.addItem(pattern_label(pattern), pattern)
        self.person = QComboBox()
        for person in state.ws.people.of_case(case_id):
            hidden = " (" + tr("always hidden") + ")"
            label = shown(person.name) + (hidden if person.masked else "")
            self.person.addItem(label, person.id)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(tr("Why (kept in the vault, never exported)"))
        form = QFormLayout()
        if kind == "term":
            form.addRow(tr("Term"), self.term)
        elif kind == "pattern":
            form.addRow(tr("Pattern"), self.pattern)
        else:
            form.addRow(tr("Person"), self.person)
            note = QLabel(
                tr(
                    "Their name and aliases are blacked out everywhere. Protected and anonymous "
                    "people are always hidden, with or without a rule."
                )
            )
            note.setWordWrap(True)
            note.setStyleSheet("color: #555;")
            form.addRow(note)
        form.addRow(tr("Reason"), self.reason)
        self.error = lay_out_form(self, state, self.save, form)

    def save(self) -> None:
        marks = self.state.ws.redactions
        reason = self.reason.text().strip()

        def store() -> None:
            if self.kind == "term":
                self.saved = marks.add_term(self.term.text(), case=self.case_id, reason=reason)
            elif self.kind == "pattern":
                pattern = self.pattern.currentData()
                self.saved = marks.add_pattern(pattern, case=self.case_id, reason=reason)
            else:
                person_id = self.person.currentData()
                if not person_id:
                    refuse(tr("Add the person to the case first."))
                self.saved = marks.add_person(person_id, reason=reason)

        if attempt(self.error, store):
            self.accept()
