"""The open workspace and what the user is looking at, shared by every panel through signals.

Panels never talk to each other directly: a case tab asks `state.open_document(...)`, the
viewer listens; the inspector listens to `item_selected`. Part II's panels (quotes, letters,
people, timeline) plug into the same signals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from dossier.services import Workspace
from ui.settings import AppSettings


@dataclass(frozen=True)
class OpenRequest:
    """What the viewer should show: a document at a page, with terms and spans marked."""

    doc_id: str
    page_index: int = 0
    terms: list[str] = field(default_factory=list)
    """Search terms to highlight (layer "search")."""
    spans: list[tuple[int, int, int]] = field(default_factory=list)
    """(page_index, start, end) character spans to mark (layer "quote")."""


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

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ws: Workspace | None = None
        self.case_id: str = ""
        self.settings: AppSettings | None = None
        """The app's preferences (defaults of new letters...), once the window has them."""

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
        spans: list[tuple[int, int, int]] | None = None,
    ) -> None:
        self.open_requested.emit(OpenRequest(doc_id, page_index, terms or [], spans or []))

    def select_item(self, kind: str, info: object) -> None:
        self.item_selected.emit(kind, info)

    def show_status(self, message: str) -> None:
        self.status.emit(message)
