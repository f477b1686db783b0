"""Saving a form off the GUI thread: letters and replies with their file, quotes from a selection.

The GUI thread never reads files, decrypts documents or calls MuPDF. A letter or a reply may
carry a file: saving it reads, extracts (OCR included) and encrypts that file, which takes
seconds to minutes for a long scan; a quote from a selection decrypts its document's pages to
anchor the quote. The form checks what was typed on
the GUI thread (a refusal is shown at once, in place), then hands the service call to the
background worker and shows its progress; the dialog closes once the service has stored
everything, or stays open with the reason it could not. While it saves, the form cannot be
changed, saved twice or closed (locking the vault still closes it: the worker's result is then
dropped, and the service call either completed or changed nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog

from dossier.errors import DossierError
from dossier.jobs import CancelToken
from ui.i18n import tr
from ui.widgets.form_fields import ErrorLine, failure_text
from ui.worker import run_in_background

Store = Callable[[Callable[[float, str], None], CancelToken], Any]
"""The service call, run in the worker: `store(progress, cancel)` returns what was saved."""


def save_in_background(
    dialog: QDialog,
    line: ErrorLine,
    prepare: Callable[[], Store],
    saved: Callable[[Any], None],
) -> None:
    """Check the form with `prepare()` here, run the store it returns in the worker, then give
    its result to `saved` and accept `dialog`."""
    line.clear_error()
    try:
        store = prepare()
    except DossierError as exc:
        line.show_error(exc)
        return
    dialog.saving = True  # type: ignore[attr-defined]
    dialog.setEnabled(False)
    line.setText(tr("Saving… (an attached file is read and encrypted first)"))
    line.show()

    def succeeded(result: Any) -> None:
        dialog.saving = False  # type: ignore[attr-defined]
        dialog.setEnabled(True)
        line.clear_error()
        saved(result)
        dialog.accept()

    def failed(exc: BaseException) -> None:
        dialog.saving = False  # type: ignore[attr-defined]
        dialog.setEnabled(True)
        line.show_error(failure_text(dialog, exc))

    def progressed(_fraction: float, message: str) -> None:
        line.setText(tr("Saving… {step}").format(step=message))

    run_in_background(
        store, on_success=succeeded, on_error=failed, on_progress=progressed, parent=dialog
    )
