"""The details pane for a letter and for a person: what they are at a glance, read-only.

Letters and people are edited in their own dialogs (their forms are larger than the pane); the
details pane still follows the selection, so what is selected is always described on the right.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from dossier.services.letters.dto import LetterInfo
from dossier.services.people.dto import PersonInfo
from ui.case.inspector_panel import Editor
from ui.i18n import N_, tr
from ui.letters.jurisdiction import deadline_text
from ui.people.person_dialog import protection_label, role_label
from ui.state import AppState
from ui.widgets.fit import breakable
from ui.widgets.outside_text import shown
from ui.widgets.verdict_badge import badge_html


def _rows(rows: list[tuple[str, str]]) -> str:
    return "<br/>".join(
        f"<b>{html.escape(k)}</b>: {html.escape(breakable(shown(v)))}" for k, v in rows if v
    )


class SummaryEditor(Editor):
    """A read-only description: never dirty, nothing to save."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.addRow(self.text)

    def draft(self) -> dict[str, Any]:
        return {}

    def apply_draft(self, draft: dict[str, Any]) -> None:
        pass

    def save(self, draft: dict[str, Any]) -> Any:
        return self.item


class LetterSummary(SummaryEditor):
    kind = "letter"
    heading = N_("Letter")

    def fill(self, letter: LetterInfo) -> None:
        rows = [
            (tr("Subject"), letter.subject),
            (tr("From"), letter.sender),
            (tr("To"), ", ".join(letter.recipients)),
            (tr("Sent"), letter.sent_on or tr("not sent")),
            (tr("Deadline"), deadline_text(letter)),
        ]
        parts = [_rows(rows), badge_html("letter", letter.state)]
        for question in letter.questions:
            key = "overdue" if question.overdue else question.status
            parts.append(
                f"{badge_html('question', key)} {question.number}. "
                f"{html.escape(shown(question.text))}"
            )
        for reply in letter.replies:
            line = tr("Reply from {sender}").format(sender=shown(reply.sender))
            if reply.received_on:
                line += f", {reply.received_on}"
            if reply.after_publication:
                line += " · " + tr("received after publication")
            parts.append(f"<i>{html.escape(line)}</i>")
        self.text.setText("<br/><br/>".join(parts[:2]) + "<br/>" + "<br/>".join(parts[2:]))


class PersonSummary(SummaryEditor):
    kind = "person"
    heading = N_("Person")

    def fill(self, person: PersonInfo) -> None:
        rows = [
            (tr("Name"), person.name),
            (tr("Role"), role_label(person.role)),
            (tr("Protection"), protection_label(person.protection)),
            (tr("Pseudonym"), person.pseudonym if person.masked or person.pseudonym else ""),
            (tr("Organisation"), person.organisation),
            (tr("Aliases"), ", ".join(person.aliases)),
            (tr("Notes"), person.notes),
        ]
        self.text.setText(_rows(rows))
