"""What the list tabs of a case share (letters, people, redactions; quotes takes the pieces).

Each holds the app state and the case it shows; it loads nothing while no
case is open or the vault is locked, and reloads when the case shown changes. The pieces they
build alike (a text-only toolbar, a grey note, the tab's layout) are here too.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QToolBar, QVBoxLayout, QWidget

from ui.state import AppState


def text_toolbar(*actions: QAction) -> QToolBar:
    """A toolbar showing `actions` as words: the tabs' actions have no icons."""
    toolbar = QToolBar()
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    for action in actions:
        toolbar.addAction(action)
    return toolbar


def grey_note(text: str = "") -> QLabel:
    """A wrapped, discreet line under a list: a count, a reminder."""
    note = QLabel(text)
    note.setWordWrap(True)
    note.setStyleSheet("color: #555;")
    return note


class CaseListTab(QWidget):
    """Base of a case tab listing rows: subclasses give `clear` and `reload`."""

    lazy = True
    """Its rows are read on the GUI thread: behind another tab, once it is looked at
    (`ContentsPanel.load`)."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.case_id = ""

    def stack(self, *parts: QWidget, grow: QWidget) -> None:
        """Lay `parts` out top to bottom; `grow` takes the spare height."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        for part in parts:
            layout.addWidget(part, 1 if part is grow else 0)

    def load(self, case_id: str) -> None:
        self.case_id = case_id
        if not case_id or not self.state.is_unlocked:
            self.clear()
            return
        self.reload()

    def clear(self) -> None:
        raise NotImplementedError(f"{type(self).__name__} must say how it empties")

    def reload(self) -> None:
        raise NotImplementedError(f"{type(self).__name__} must say how it reloads")

    def _changed(self, case_id: str) -> None:
        # While locked nothing can be read: the rows wait for the next load.
        if case_id == self.case_id and self.state.is_unlocked:
            self.reload()
