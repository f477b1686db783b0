"""The inspector's editor for a quote: speaker, date said, where published, notes.

The words and the anchoring are not edited here (they come from the source: a new wording is
a new search, in "Find in sources"); verdict, score and source are shown for reference.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from dossier.services.quotes.dto import QuoteEdit, QuoteInfo
from ui.case.inspector_panel import Editor, short
from ui.i18n import N_, tr
from ui.state import AppState
from ui.widgets.outside_text import shown
from ui.widgets.verdict_badge import badge_html


class QuoteEditor(Editor):
    kind = "quote"
    heading = N_("Quote")

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        self.words = QLabel()
        self.words.setWordWrap(True)
        self.words.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.speaker = self.watch(QComboBox())
        self.said_on = self.watch(QLineEdit())
        self.said_on.setPlaceholderText(tr("YYYY-MM-DD"))
        self.published_in = self.watch(QComboBox())
        self.notes = self.watch(QLineEdit())
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.addRow(self.words)
        self.form.addRow(tr("Speaker"), self.speaker)
        self.form.addRow(tr("Said on"), self.said_on)
        self.form.addRow(tr("Published in"), self.published_in)
        self.form.addRow(tr("Notes"), self.notes)
        self.form.addRow(self.facts)

    def fill(self, quote: QuoteInfo) -> None:
        ws = self.state.ws
        self.words.setText(f"« {shown(quote.text)} »")
        self.speaker.clear()
        self.speaker.addItem(tr("Unattributed"), "")
        for person in ws.people.of_case(quote.case_id):
            self.speaker.addItem(shown(person.name), person.id)
        self.speaker.setCurrentIndex(max(0, self.speaker.findData(quote.speaker_id or "")))
        self.said_on.setText(quote.said_on or "")
        self.published_in.clear()
        self.published_in.addItem(tr("(not published yet)"), "")
        for doc in ws.documents.of_case(quote.case_id):
            self.published_in.addItem(shown(doc.title), doc.id)
        self.published_in.setCurrentIndex(
            max(0, self.published_in.findData(quote.published_in_id or ""))
        )
        self.notes.setText(quote.notes)
        source = shown(quote.source_title) or tr("no source document")
        source_label = tr("Source")
        self.facts.setText(
            f"{badge_html('verdict', quote.verdict)}&nbsp; {quote.score:.0%}<br/>"
            f"<b>{html.escape(source_label)}</b>: {html.escape(source)}"
        )

    def draft(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker.currentData() or None,
            "said_on": self.said_on.text().strip() or None,
            "published_in": self.published_in.currentData() or None,
            "notes": self.notes.text().strip(),
        }

    def apply_draft(self, draft: dict[str, Any]) -> None:
        self.speaker.setCurrentIndex(max(0, self.speaker.findData(draft["speaker"] or "")))
        self.said_on.setText(draft["said_on"] or "")
        self.published_in.setCurrentIndex(
            max(0, self.published_in.findData(draft["published_in"] or ""))
        )
        self.notes.setText(draft["notes"])

    def save(self, draft: dict[str, Any]) -> QuoteInfo:
        quote = self.state.ws.quotes.update(self.item.id, QuoteEdit(**draft))
        self.announce(quote)
        return quote

    def reload(self, item_id: str) -> QuoteInfo:
        ws = self.state.ws
        return ws.quotes.get(item_id, reveal=ws.screen.revealed(self.state.case_id))

    def announce(self, item: Any) -> None:
        self.state.quotes_changed.emit(item.case_id)

    def change_text(self, item: Any) -> str:
        return tr("edit of quote “{text}”").format(text=short(item.text))
