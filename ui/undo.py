"""Undo and redo (Edit › Undo, Ctrl+Z; Edit › Redo, Ctrl+Shift+Z) of changes to a case's items.

Each change a panel makes through a service is recorded as a `Change` on the window's
`QUndoStack` (`AppState.undo`), with a snapshot of the item taken by `ws.history` before it.
Undo puts the snapshot back through the services (stored, sealed and audited like the change
itself, so an undone change survives a lock); redo makes the change again. The history holds
items' real values in memory only and is emptied when the vault locks.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand
from PySide6.QtWidgets import QApplication

from dossier.errors import DossierError
from dossier.services import Workspace
from dossier.services.dto import Snapshot
from ui.errors import show_error
from ui.i18n import tr
from ui.state import AppState

Step = Callable[[Workspace], None]


class Change(QUndoCommand):
    """A change already made: `undo_step` takes it back, `redo_step` makes it again, and
    `announce` tells the views (their "changed" signals, the details pane)."""

    def __init__(
        self,
        state: AppState,
        text: str,
        undo_step: Step,
        redo_step: Step,
        announce: Callable[[], None],
    ) -> None:
        super().__init__(text)
        self.state = state
        self.undo_step = undo_step
        self.redo_step = redo_step
        self.announce = announce
        self._done = True  # pushed after the change was made: the first redo does nothing

    def _run(self, step: Step) -> None:
        if not self.state.is_unlocked:
            return
        try:
            step(self.state.ws)
        except DossierError as exc:
            # The item changed beyond this step (deleted elsewhere...): said, and forgotten.
            self.setObsolete(True)
            show_error(QApplication.activeWindow(), exc)
            return
        self.announce()

    def undo(self) -> None:
        self._run(self.undo_step)
        self._done = False

    def redo(self) -> None:
        if self._done:
            return
        self._run(self.redo_step)
        self._done = True


def restore(snapshots: list[Snapshot]) -> Step:
    def step(ws: Workspace) -> None:
        for snapshot in snapshots:
            ws.history.restore(snapshot)

    return step


def record_edit(state: AppState, text: str, before: Snapshot, announce: Callable[[], None]) -> None:
    """An item was edited: undo puts `before` back, redo what it is now."""
    after = state.ws.history.snapshot(before.kind, before.item_id)
    state.undo.push(Change(state, text, restore([before]), restore([after]), announce))


def record_deletion(
    state: AppState,
    text: str,
    before: list[Snapshot],
    delete: Step,
    announce: Callable[[], None],
) -> None:
    """Items were deleted: undo brings them back (same ids, same content), redo deletes again."""
    state.undo.push(Change(state, text, restore(before), delete, announce))


def record_addition(
    state: AppState, text: str, kind: str, item_id: str, delete: Step, announce: Callable[[], None]
) -> None:
    """An item was added: undo deletes it, redo brings it back as it was."""
    after = state.ws.history.snapshot(kind, item_id)
    state.undo.push(Change(state, text, delete, restore([after]), announce))


def undo_actions(
    state: AppState, parent: QObject, settle: Callable[[], object]
) -> tuple[QAction, QAction]:
    """Edit › Undo and Edit › Redo, saying what they will take back or make again. `settle`
    runs first (the details pane saves a pending edit, which then is the one undone)."""
    stack = state.undo
    undo = QAction(tr("Undo"), parent)
    undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
    redo = QAction(tr("Redo"), parent)
    redo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Shift+Z")])

    def undo_now() -> None:
        settle()
        stack.undo()

    def redo_now() -> None:
        settle()
        stack.redo()

    def follow() -> None:
        undo.setEnabled(stack.canUndo())
        redo.setEnabled(stack.canRedo())
        undo.setText(
            tr("Undo {change}").format(change=stack.undoText()) if stack.canUndo() else tr("Undo")
        )
        redo.setText(
            tr("Redo {change}").format(change=stack.redoText()) if stack.canRedo() else tr("Redo")
        )

    undo.triggered.connect(undo_now)
    redo.triggered.connect(redo_now)
    stack.indexChanged.connect(lambda _index: follow())
    stack.cleanChanged.connect(lambda _clean: follow())
    follow()
    return undo, redo


def snapshot_and(
    state: AppState, kind: str, item_id: str, delete: Callable[[str], object]
) -> tuple[Callable[[], None], list[Snapshot]]:
    """A deletion to run (after a confirmation) that first keeps what the item was, in the
    list returned with it, for `record_deletion`."""
    taken: list[Snapshot] = []

    def run() -> None:
        taken.append(state.ws.history.snapshot(kind, item_id))
        delete(item_id)

    return run, taken
