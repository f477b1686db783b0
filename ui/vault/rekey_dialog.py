"""Re-encrypt the vault: say what it does and does not protect, ask for the passphrase, then
run `rekey` in the background with its progress, and say how it ended."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dossier.errors import Cancelled, DossierError, WrongPassphrase
from dossier.jobs import CancelToken, Progress
from dossier.services import Workspace
from dossier.services.dto import RekeyResult
from ui.errors import message_for, show_error
from ui.i18n import ntr, tr
from ui.worker import Job, run_in_background


class RekeyDialog(QDialog):
    def __init__(
        self,
        ws: Workspace,
        parent: QWidget | None = None,
        busy: Callable[[], bool] = lambda: False,
    ) -> None:
        """`busy`: whether imports are running (they write under the case's current key)."""
        super().__init__(parent)
        self.ws = ws
        self.busy = busy
        self.job: Job | None = None
        self.outcome: RekeyResult | None = None
        self.setWindowTitle(tr("Re-encrypt the vault"))
        self.setMinimumWidth(520)
        resuming = ws.rekey.unfinished() is not None
        intro = QLabel(
            tr(
                "A re-encryption was interrupted. Finish it now: the cases not yet done are "
                "still under their old keys."
            )
            if resuming
            else tr(
                "Every case gets new keys, and everything in it (documents, pages, quotes, "
                "letters, people, marks, the search index) is written again under them. "
                "Afterwards, an old copy of the keys or of vault.json, even with the "
                "passphrase of that time, decrypts nothing in this vault.\n\n"
                "Backups made before are not changed: they still open with the passphrase "
                "they had. The passphrase stays the same (to change it too, use "
                "'dossier passwd' first).\n\n"
                "It takes about a third of the time the import of the same pages took. It can "
                "be stopped, or interrupted by a power cut, without losing anything: it is "
                "then finished the next time."
            )
        )
        intro.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(tr("The vault's passphrase, to confirm"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.buttons = QDialogButtonBox()
        self.start_button: QPushButton = self.buttons.addButton(
            tr("Finish re-encrypting") if resuming else tr("Re-encrypt"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.close_button: QPushButton = self.buttons.addButton(
            QDialogButtonBox.StandardButton.Cancel
        )
        self.start_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self._close_or_stop)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    @property
    def running(self) -> bool:
        return self.job is not None and not self.job.done

    def start(self) -> None:
        passphrase = self.passphrase.text()
        if self.busy():
            # An import writing under the old key while the case switches to the new one would
            # leave rows no key opens: the re-encryption runs alone.
            self._say(
                tr("Wait until the imports in progress end, then re-encrypt."),
                error=True,
            )
            return
        if not passphrase:
            self._say(tr("Type the vault's passphrase to confirm."), error=True)
            return
        self.passphrase.clear()
        self.passphrase.setEnabled(False)
        self.start_button.setEnabled(False)
        self.close_button.setText(tr("Stop"))
        self.progress.setValue(0)
        self.progress.show()
        self._say(tr("Re-encrypting… Keep Dossier open until it ends."))
        ws = self.ws

        def work(progress: Progress, cancel: CancelToken) -> RekeyResult:
            return ws.rekey.run(passphrase, progress=progress, cancel=cancel)

        self.job = run_in_background(
            work,
            on_success=self._done,
            on_error=self._failed,
            on_progress=self._progressed,
            parent=self,
        )

    def _progressed(self, fraction: float, _message: str) -> None:
        self.progress.setValue(int(fraction * 1000))

    def _done(self, result: RekeyResult) -> None:
        self.outcome = result
        self.progress.setValue(1000)
        self._finish(
            tr(
                "Done: {cases} under new keys ({pages}, {files}). The master key was replaced too."
            ).format(
                cases=ntr("{n} case re-encrypted", "{n} cases re-encrypted", result.cases).format(
                    n=result.cases
                ),
                pages=ntr("{n} page", "{n} pages", result.pages).format(n=result.pages),
                files=ntr("{n} original file", "{n} original files", result.originals).format(
                    n=result.originals
                ),
            )
        )

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            self._finish(
                tr(
                    "Stopped. Nothing is lost and the vault opens as before; re-encrypt again "
                    "to finish."
                )
            )
        elif isinstance(exc, WrongPassphrase):
            self._finish(tr("Wrong passphrase: nothing was re-encrypted."), error=True)
            self.passphrase.setEnabled(True)
            self.start_button.setEnabled(True)
            self.close_button.setText(tr("Cancel"))
        elif isinstance(exc, DossierError):
            self._finish(message_for(exc), error=True)
        else:
            self._finish(tr("The re-encryption failed."), error=True)
            show_error(self, exc)

    def _finish(self, text: str, *, error: bool = False) -> None:
        self.progress.setVisible(not error)
        self.close_button.setText(tr("Close"))
        self._say(text, error=error)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b00020;" if error else "color: #555;")
        self.message.setText(text)

    def _close_or_stop(self) -> None:
        if self.running and self.job is not None:
            self.job.cancel()
            self._say(tr("Stopping after the current file…"))
            return
        self.reject()

    def reject(self) -> None:
        if self.running:
            return  # Escape or the close button while it runs: stop first, with "Stop"
        super().reject()
