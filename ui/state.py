"""The open workspace and what the user is looking at, shared by every panel through signals.

Panels never talk to each other directly: a case tab asks `state.open_document(...)`, the
viewer listens; the inspector listens to `item_selected`; a panel that changes quotes, letters,
people, marks or the timeline says so (`quotes_changed`...) and every view of them reloads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from dossier.services import Workspace
from ui.settings import AppSettings


class _OnPage(Protocol):
    @property
    def page_index(self) -> int: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


@dataclass(frozen=True)
class PageSpan:
    """Characters [start, end) of one page's canonical text."""

    page_index: int
    start: int
    end: int

    @classmethod
    def of(cls, span: _OnPage) -> PageSpan:
        """The page span of a core `Span` (a quote's, a check's)."""
        return cls(span.page_index, span.start, span.end)


@dataclass(frozen=True)
class Selection:
    """Text selected in the viewer: a span of one page of one document."""

    doc_id: str
    span: PageSpan


@dataclass(frozen=True)
class OpenRequest:
    """What the viewer should show: a document at a page, with terms and spans marked."""

    doc_id: str
    page_index: int = 0
    terms: list[str] = field(default_factory=list)
    """Search terms to highlight (layer "search")."""
    spans: list[PageSpan] = field(default_factory=list)
    """Character spans to mark (layer "quote")."""


class AppState(QObject):
    unlocked = Signal()
    locking = Signal()
    """Emitted before the workspace closes: save edits, stop work, drop caches."""
    locked = Signal()
    case_changed = Signal(str)
    """The selected case id ("" when none)."""
    cases_changed = Signal()
    documents_changed = Signal(str)
    """Documents of this case were added, edited or removed."""
    open_requested = Signal(object)
    """An `OpenRequest`."""
    item_selected = Signal(str, object)
    """A kind ("case", "document", ...) and its info dataclass, or ("", None) to clear."""
    status = Signal(str)
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

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ws: Workspace | None = None
        self.case_id: str = ""
        self._pending: tuple[str, str, object] | None = None
        self.settings: AppSettings | None = None
        """The app's preferences (defaults of new letters...), once the window has them."""
        self.undo = QUndoStack(self)
        """Changes to the case's items that Edit › Undo takes back (`ui.undo`)."""
        # Its snapshots hold real names and texts: they go with the keys (after the last edits
        # are saved at `locking`).
        self.locked.connect(self.undo.clear)

    @property
    def ws(self) -> Workspace:
        if self._ws is None:
            from dossier.errors import VaultLocked

            raise VaultLocked("the vault is locked")
        return self._ws

    @property
    def is_unlocked(self) -> bool:
        return self._ws is not None

    def attach(self, ws: Workspace) -> None:
        self._ws = ws
        self.case_id = ""
        self.unlocked.emit()

    def detach(self) -> Workspace | None:
        """Announce the lock, then hand back the workspace for the caller to close."""
        ws = self._ws
        if ws is None:
            return None
        self.locking.emit()
        self._ws = None
        self.case_id = ""
        self.locked.emit()
        return ws

    def select_case(self, case_id: str) -> None:
        if case_id != self.case_id:
            self.case_id = case_id
            self.case_changed.emit(case_id)

    def open_document(
        self,
        doc_id: str,
        page_index: int = 0,
        terms: list[str] | None = None,
        spans: list[PageSpan] | None = None,
    ) -> None:
        self.open_requested.emit(OpenRequest(doc_id, page_index, terms or [], spans or []))

    def open_and_select(
        self,
        kind: str,
        item: object,
        doc_id: str,
        page_index: int = 0,
        spans: list[PageSpan] | None = None,
    ) -> None:
        """Open `doc_id` (marking `spans`) and keep `item` in the inspector.

        Opening a document selects it in the inspector once it is loaded; the item asked for
        is selected again at that moment (see `document_shown`).
        """
        self.select_item(kind, item)
        self._pending = (doc_id, kind, item)
        self.open_document(doc_id, page_index, spans=spans)

    def document_shown(self, doc_id: str) -> None:
        """The viewer shows `doc_id`: select again the item `open_and_select` was asked for."""
        pending, self._pending = self._pending, None
        if pending is not None and pending[0] == doc_id:
            self.select_item(pending[1], pending[2])

    def select_item(self, kind: str, info: object) -> None:
        self.item_selected.emit(kind, info)

    def show_status(self, message: str) -> None:
        self.status.emit(message)
