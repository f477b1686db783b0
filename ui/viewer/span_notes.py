"""Edit › Note on the selection… (Ctrl+Shift+N): a note on the passage selected in the viewer.

The note is sealed in the vault with where it was written (`ws.notes`), listed with its
document in the details pane, and taken back by Edit › Undo like any change.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QWidget

from dossier.errors import DossierError
from ui.errors import show_error
from ui.i18n import tr
from ui.state import AppState
from ui.undo import record_addition
from ui.viewer.document_viewer import DocumentViewer


class SpanNotes(QObject):
    def __init__(self, state: AppState, viewer: DocumentViewer, window: QWidget) -> None:
        super().__init__(window)
        self.state = state
        self.viewer = viewer
        self.window = window
        self.action = QAction(tr("Note on the selection…"), window)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.action.setToolTip(tr("Write a note on the passage selected in the document"))
        self.action.triggered.connect(self.note_on_selection)
        self.action.setEnabled(False)

    def update(self, has_case: bool) -> None:
        self.action.setEnabled(has_case and self.viewer.selection() is not None)

    def ask_note(self, excerpt: str) -> str | None:
        """The note's text, or None (tests answer it instead)."""
        text, ok = QInputDialog.getMultiLineText(
            self.window,
            tr("Note on the selection"),
            tr("Note on “{passage}”:").format(passage=excerpt[:120]),
        )
        return text if ok else None

    def note_on_selection(self) -> None:
        selection = self.viewer.selection()
        if selection is None or not self.state.is_unlocked:
            return
        body = self.ask_note(" ".join(self.viewer.selected_text().split()))
        if not body or not body.strip():
            return
        span = selection.span
        try:
            note = self.state.ws.notes.add_on_span(
                selection.doc_id, span.page_index, span.start, span.end, body
            )
        except DossierError as exc:
            show_error(self.window, exc)
            return
        announce = self.announcer(selection.doc_id)
        announce()
        record_addition(
            self.state,
            tr("new note"),
            "note",
            note.id,
            lambda ws: ws.notes.delete(note.id),
            announce,
        )
        self.state.show_status(tr("Note kept with the document."))

    def announcer(self, doc_id: str) -> Callable[[], None]:
        """After a change to the document's notes: the details pane shows them anew."""

        def announce() -> None:
            ws = self.state.ws
            try:
                doc = ws.documents.get(doc_id, reveal=ws.screen.revealed(self.state.case_id))
            except DossierError:
                return
            self.state.select_item("document", doc)

        return announce
