"""How failures reach the user: a sentence for theirs and the machine's, a crash dialog for bugs.

Three kinds (STYLE.md): the user's (wrong passphrase, a PDF Dossier refuses), the
environment's (vault in use, disk full, a damaged file) and bugs. Only bugs show a traceback,
in a dialog the user can copy from; nothing is sent anywhere. The bug report holds exception
types and stack frames only (`dossier.bugreport`): messages may quote a title, so they never go
to the dialog's details or the log. Messages shown are escaped (`safe_text`): a file name
cannot break a line or reverse the text after it.
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from dossier.errors import (
    Cancelled,
    CorruptData,
    DossierError,
    EnvironmentFailure,
    VaultInUse,
    VaultLocked,
    safe_text,
)
from dossier.services.bugreport import bug_report
from ui.i18n import tr

log = logging.getLogger(__name__)

USER, ENVIRONMENT, BUG, CANCELLED = "user", "environment", "bug", "cancelled"


def failure_kind(exc: BaseException) -> str:
    if isinstance(exc, Cancelled):
        return CANCELLED
    if isinstance(exc, VaultInUse | VaultLocked | EnvironmentFailure | CorruptData | OSError):
        return ENVIRONMENT
    if isinstance(exc, DossierError):
        return USER
    return BUG


def sentence(text: str) -> str:
    """Core messages are lower-case clauses; a dialog shows them as a sentence."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def message_for(exc: BaseException) -> str:
    if isinstance(exc, DossierError):
        return sentence(safe_text(str(exc)))
    if isinstance(exc, OSError):
        reason = safe_text(exc.strerror or exc.__class__.__name__)
        return tr("The system refused the operation: {reason}.").format(reason=reason)
    return tr("Dossier hit an internal error.")


def show_error(parent: QWidget | None, exc: BaseException, title: str | None = None) -> None:
    """The default handler for a failed operation: a message box, or the crash dialog."""
    kind = failure_kind(exc)
    if kind == CANCELLED:
        log.debug("operation cancelled by the user")
        return
    if kind == BUG:
        show_crash(parent, exc)
        return
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if kind == USER else QMessageBox.Icon.Critical)
    box.setWindowTitle(title or tr("Dossier"))
    box.setText(message_for(exc))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


class CrashDialog(QDialog):
    """A bug: what happened, the traceback to copy, and the promise that nothing was sent."""

    def __init__(self, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Dossier: internal error"))
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        intro = QLabel(
            tr(
                "Dossier hit a bug and could not finish this operation. Your vault is safe: "
                "nothing half-done was saved. Nothing has been sent anywhere; to report the "
                "bug, copy the details below (they hold no document content)."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton(tr("Copy details"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        # The clipboard only on the user's request, and only the traceback.
        QGuiApplication.clipboard().setText(self.details.toPlainText())


def show_crash(parent: QWidget | None, exc: BaseException) -> None:
    details = bug_report(exc)
    log.error("bug: %s", details)
    CrashDialog(details, parent).exec()


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    if exc.__traceback__ is None:
        exc = exc.with_traceback(tb)
    if QApplication.instance() is None:
        sys.__excepthook__(kind, exc, tb)
        return
    if failure_kind(exc) == BUG:
        show_crash(QApplication.activeWindow(), exc)
    else:
        # An expected failure that a slot forgot to handle is still shown as one sentence.
        show_error(QApplication.activeWindow(), exc)


def install_excepthook() -> None:
    """Exceptions escaping Qt slots reach the user as a dialog, not as a dead window."""
    sys.excepthook = _excepthook
