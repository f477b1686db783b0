"""Small pieces the forms share: a document chooser, a date field, an error line, the
Save/Cancel footer, and closing a dialog when the vault locks under it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import NoReturn

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLayout,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dossier.errors import DossierError, UsageError
from dossier.services.dto import DocumentInfo
from ui.errors import BUG, failure_kind, message_for, show_crash
from ui.i18n import tr
from ui.state import AppState
from ui.widgets.icons import kind_icon
from ui.widgets.outside_text import shown


def close_on_lock(dialog: QDialog, state: AppState) -> None:
    """A dialog showing case content goes away when the vault locks (idle timer, Ctrl+L)."""
    state.locking.connect(dialog.reject)
    dialog.finished.connect(lambda _result: _disconnect(state, dialog))


def _disconnect(state: AppState, dialog: QDialog) -> None:
    try:
        state.locking.disconnect(dialog.reject)
    except (RuntimeError, TypeError):
        pass  # already gone with the dialog: nothing left to undo


class DocumentCombo(QComboBox):
    """The case's documents (optionally of some kinds), with "none" first when optional."""

    def __init__(
        self,
        documents: list[DocumentInfo],
        kinds: tuple[str, ...] = (),
        none_label: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if none_label is not None:
            self.addItem(none_label, "")
        for doc in documents:
            if not kinds or doc.kind in kinds:
                self.addItem(kind_icon(doc.kind), shown(doc.title), doc.id)

    def doc_id(self) -> str | None:
        return self.currentData() or None

    def select(self, doc_id: str | None) -> None:
        index = self.findData(doc_id or "")
        if index >= 0:
            self.setCurrentIndex(index)


def date_field(value: str | None = "", today: bool = False) -> QLineEdit:
    field = QLineEdit(value or (date.today().isoformat() if today else ""))
    field.setPlaceholderText(tr("YYYY-MM-DD"))
    field.setMaxLength(10)
    return field


def text_or_none(field: QLineEdit) -> str | None:
    return field.text().strip() or None


class ErrorLine(QLabel):
    """Says in the form why it could not be saved (the form stays open, nothing is lost)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet("color: #b00020;")
        self.hide()

    def show_error(self, exc: BaseException | str) -> None:
        self.setText(exc if isinstance(exc, str) else message_for(exc))
        self.show()

    def clear_error(self) -> None:
        self.clear()
        self.hide()


def lay_out_form(
    dialog: QDialog, state: AppState, save: Callable[[], None], *parts: QWidget | QLayout
) -> ErrorLine:
    """Stack `parts`, an error line and Save/Cancel in `dialog`, which closes when the vault
    locks. Save calls `save` (it accepts the dialog only once stored); the line is returned for
    `attempt`."""
    error = ErrorLine()
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    for part in parts:
        if isinstance(part, QLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    layout.addWidget(error)
    layout.addWidget(buttons)
    close_on_lock(dialog, state)
    return error


def refuse(message: str) -> NoReturn:
    """Stop a form's save with a sentence for its error line."""
    raise UsageError(message)


def attempt(line: ErrorLine, action: Callable[[], object]) -> bool:
    """Run `action()`; a refused input is shown on `line` and False returned."""
    line.clear_error()
    try:
        action()
    except DossierError as exc:
        line.show_error(exc)
        return False
    return True


def failure_text(parent: QWidget | None, exc: BaseException) -> str:
    """The sentence to show in place for a failed background job; a bug also gets the crash
    dialog (its traceback must not be lost in a status line)."""
    if failure_kind(exc) == BUG:
        show_crash(parent, exc)
    return message_for(exc)


def top_items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    """The top-level rows of a tree, in order."""
    rows = (tree.topLevelItem(row) for row in range(tree.topLevelItemCount()))
    return [item for item in rows if item is not None]


def select_first(tree: QTreeWidget) -> bool:
    """Make the first row current; False when the tree is empty."""
    first = tree.topLevelItem(0)
    if first is not None:
        tree.setCurrentItem(first)
    return first is not None


def run_dialog(dialog: QDialog) -> bool:
    """Show a modal dialog; it is deleted afterwards (its decrypted content goes with it),
    while what the caller reads from its Python attributes (`saved`) stays readable."""
    try:
        return bool(dialog.exec())
    finally:
        dialog.deleteLater()
