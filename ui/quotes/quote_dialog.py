"""A new quote from text selected in the viewer: who said it, when, where it was published.

The quote is the selected span itself (the core rebuilds its text from the stored page, so it
is verbatim by construction); the form only adds its facts. `QuoteFields` is shared with the
"Find in sources" dialog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from dossier.errors import DossierError, NotFoundError, UsageError
from dossier.services.dates import parse_date
from dossier.services.quotes.dto import QuoteInfo
from ui.i18n import tr
from ui.state import AppState, Selection
from ui.widgets.background_save import Store, save_in_background
from ui.widgets.form_fields import DocumentCombo, date_field, lay_out_form
from ui.widgets.person_picker import PersonPicker

SPEAKER_LINE = re.compile(r"^\s*([^\W\d_][\w'’.\- ]{1,60}?)\s*:\s*\S", re.UNICODE)
"""A transcript line's speaker: "Hadrien Clouet : « ... »" (a space before the colon in French)."""


def speaker_prefix(text: str) -> str:
    """The name a selection starts with ("Name :" or "Name:"), or ""."""
    match = SPEAKER_LINE.match(text)
    return match.group(1).strip() if match else ""


@dataclass(frozen=True)
class QuoteFacts:
    speaker_id: str | None
    said_on: str | None
    published_in: str | None
    notes: str


class QuoteFields(QWidget):
    """Speaker (pick or create), date said, where published, notes."""

    def __init__(self, state: AppState, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.case_id = case_id
        self.speaker = PersonPicker(state, case_id)
        self.said_on = date_field()
        documents = state.ws.documents.of_case(case_id)
        self.published_in = DocumentCombo(documents, none_label=tr("(not published yet)"))
        self.notes = QLineEdit()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(tr("Speaker"), self.speaker)
        form.addRow(tr("Said on"), self.said_on)
        form.addRow(tr("Published in"), self.published_in)
        form.addRow(tr("Notes"), self.notes)

    def facts(self) -> QuoteFacts:
        """The facts typed in; a bad date is refused before a new speaker is created."""
        try:
            said_on = parse_date(self.said_on.text(), "date")
        except UsageError:
            raise UsageError(
                tr(
                    "“{text}” is not a date: write the day the quote was said as YYYY-MM-DD, "
                    "e.g. 2023-11-20."
                ).format(text=self.said_on.text().strip())
            ) from None
        return QuoteFacts(
            speaker_id=self.speaker.person_id(),
            said_on=said_on,
            published_in=self.published_in.doc_id(),
            notes=self.notes.text().strip(),
        )


class NewQuoteDialog(QDialog):
    def __init__(
        self,
        state: AppState,
        case_id: str,
        selection: Selection,
        text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.case_id = case_id
        self.selection = selection
        self.saved: QuoteInfo | None = None
        self.saving = False
        self.setWindowTitle(tr("New quote from selection"))
        self.resize(560, 360)
        shown = QPlainTextEdit(text)
        shown.setReadOnly(True)
        shown.setMaximumHeight(110)
        shown.setAccessibleName(tr("Selected text"))
        self.fields = QuoteFields(state, case_id)
        self.error = lay_out_form(
            self,
            state,
            self.save,
            QLabel(tr("The quote, exactly as it stands in the document:")),
            shown,
            self.fields,
        )
        self.prefill(text, selection.doc_id)
        self.fields.speaker.setFocus()

    def prefill(self, text: str, doc_id: str) -> None:
        """The speaker from a "Name :" the selection starts with, else the document's only
        person; the date the document is dated. Both stay editable."""
        try:
            doc = self.state.ws.documents.get(doc_id)
        except DossierError:
            return
        self.fields.said_on.setText(doc.date or "")
        speaker = self.fields.speaker
        name = speaker_prefix(text)
        if name:
            # Resolved by the core: a protected source named in the text is picked under
            # their pseudonym, never typed in again as someone new under their real name.
            try:
                speaker.select_person(self.state.ws.people.resolve(self.case_id, name))
            except NotFoundError:
                speaker.setEditText(name)  # someone new: created when the quote is saved
            except DossierError:
                pass  # several people could be meant: the user picks
        else:
            ids = {p.id for p in speaker.people}
            mentioned = [p for p in doc.people if p in ids]
            if len(mentioned) == 1:
                speaker.select_person(mentioned[0])

    def save(self) -> None:
        """Check the form here; anchor and store the quote (its document is decrypted to do
        so) in the background."""
        if self.saving:
            return
        doc_id, span = self.selection.doc_id, self.selection.span

        def prepare() -> Store:
            facts = self.fields.facts()
            quotes, case_id = self.state.ws.quotes, self.case_id

            def store(*_: object) -> QuoteInfo:
                return quotes.add_from_selection(
                    case_id,
                    doc_id,
                    span.page_index,
                    span.start,
                    span.end,
                    speaker=facts.speaker_id,
                    published_in=facts.published_in,
                    said_on=facts.said_on,
                    notes=facts.notes,
                )

            return store

        save_in_background(self, self.error, prepare, self._stored)

    def _stored(self, quote: QuoteInfo) -> None:
        self.saved = quote

    def reject(self) -> None:
        if not self.saving:  # a save in progress finishes first
            super().reject()
