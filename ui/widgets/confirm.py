"""Asking before something that cannot be taken back: one question box, Cancel by default.

Every confirmation of the app goes through `confirm`, so they all look alike, all default to
Cancel (Enter never deletes by accident) and tests answer them the same way, by replacing
`QMessageBox.exec`. `delete_if_confirmed` adds the usual sequel of a deletion: run it, and show
the one sentence of a refusal instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from dossier.errors import DossierError
from ui.errors import show_error

Yes = QMessageBox.StandardButton.Yes
Cancel = QMessageBox.StandardButton.Cancel


def confirm(parent: QWidget, title: str, text: str, *, warning: bool = False) -> bool:
    """Whether the person answered Yes to `text` (a warning icon for what destroys data)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    box.setStandardButtons(Yes | Cancel)
    box.setDefaultButton(Cancel)
    return box.exec() == Yes


def delete_if_confirmed(
    parent: QWidget, title: str, text: str, delete: Callable[[], object], *, warning: bool = False
) -> bool:
    """Ask, then run `delete`; whether it ran to the end (a refusal is shown, not raised)."""
    if not confirm(parent, title, text, warning=warning):
        return False
    try:
        delete()
    except DossierError as exc:
        show_error(parent, exc)
        return False
    return True
