"""A new quote from text selected in the viewer: who said it, when, where it was published.

The quote is the selected span itself (the core rebuilds its text from the stored page, so it
is verbatim by construction); the form only adds its facts. `QuoteFields` is shared with the
"Find in sources" dialog.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from dossier.services.dates import parse_date
from dossier.services.quotes.model import QuoteInfo
from ui.i18n import tr
from ui.state import AppState, Selection
from ui.widgets.background_save import Store, save_in_background
from ui.widgets.form_fields import DocumentCombo, date_field, lay_out_form
from ui.widgets.person_picker import PersonPicker


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
        said_on = parse_date(self.said_on.text(), "date the quote was said")
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
        self.fields.speaker.setFocus()

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
