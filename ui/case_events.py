"""Signals of part II's items (quotes, letters, people, redactions), shared like `AppState`.

One `CaseEvents` object hangs off the `AppState` (as its Qt child), so every panel built with
the state reaches the same signals without knowing the others: the redaction panel announces
a new mark, the viewer's overlay and the export wizard follow.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ui.state import AppState


class CaseEvents(QObject):
    quotes_changed = Signal(str)
    letters_changed = Signal(str)
    people_changed = Signal(str)
    redactions_changed = Signal(str)
    timeline_changed = Signal(str)
    """Each carries the id of the case whose items changed."""
    redact_tool_requested = Signal(bool)
    """A panel asks the viewer to switch its rectangle-drawing tool on or off."""
    redact_tool_toggled = Signal(bool)
    """The viewer's tool was switched on or off (buttons elsewhere follow)."""
    item_requested = Signal(str, str)
    """Show an item in its tab: ("letter", id), ("quote", id), ("person", id)."""

    def __init__(self, state: AppState) -> None:
        super().__init__(state)
        self.setObjectName("case-events")
        self._pending: tuple[str, str, object] | None = None

    def open_and_select(
        self,
        state: AppState,
        kind: str,
        item: object,
        doc_id: str,
        page_index: int = 0,
        spans: list[tuple[int, int, int]] | None = None,
    ) -> None:
        """Open `doc_id` (marking `spans`) and keep `item` in the inspector.

        Opening a document selects it in the inspector once it is loaded; the item asked for
        is selected again at that moment (see `document_shown`).
        """
        state.select_item(kind, item)
        self._pending = (doc_id, kind, item)
        state.open_document(doc_id, page_index, spans=spans)

    def document_shown(self, state: AppState, doc_id: str) -> None:
        pending, self._pending = self._pending, None
        if pending is not None and pending[0] == doc_id:
            state.select_item(pending[1], pending[2])


def case_events(state: AppState) -> CaseEvents:
    """The `CaseEvents` of `state`, made on first use."""
    found = state.findChild(CaseEvents, "case-events")
    return found if isinstance(found, CaseEvents) else CaseEvents(state)
