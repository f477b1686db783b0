"""File > Import a bundle: a received bundle becomes a new case, once proven and vouched for.

The bundle is verified first (signature, every file's hash, nothing outside them). A bundle
signed by a key this vault has never seen is not imported until the user says whose key it is:
by typing the fingerprint the sender gave by another channel, or by ticking that they checked
the fingerprint shown. The key is then remembered (sealed in the vault) for later bundles.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget

from dossier.services.export.dto import BundleImport
from dossier.services.export.signers import UnknownSigner
from ui.export.verify_dialog import VerifyDialog
from ui.i18n import tr
from ui.widgets.form_fields import failure_text
from ui.widgets.outside_text import shown
from ui.worker import run_in_background

if TYPE_CHECKING:
    from ui.state import AppState


class ImportBundleDialog(VerifyDialog):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.imported: BundleImport | None = None
        self.setWindowTitle(tr("Import a bundle"))
        self.case_name = QLineEdit()
        self.case_name.setPlaceholderText(tr("Optional: the name of the new case"))
        self.trust = QCheckBox(tr("I checked this fingerprint with the sender"))
        self.trust.setVisible(False)
        self.form.addRow(tr("New case"), self.case_name)
        self.form.addRow("", self.trust)
        self.verify_button.setText(tr("Import"))
        self.verify_button.clicked.disconnect()
        self.verify_button.clicked.connect(self.run_import)

    def run_import(self) -> None:
        path = Path(self.path.text().strip()).expanduser()
        pubkey = self.fingerprint.text().strip() or None
        passphrase = (self.passphrase.text() or None) if self.passphrase.isEnabled() else None
        name = self.case_name.text().strip() or None
        trust = not self.trust.isHidden() and self.trust.isChecked()
        ws = self.state.ws
        self.verify_button.setEnabled(False)
        self.report_view.setHtml(html.escape(tr("Checking the bundle, then importing it…")))
        self.job = run_in_background(
            lambda _progress, cancel: ws.exports.import_bundle(
                path,
                case_name=name,
                passphrase=passphrase,
                pubkey=pubkey,
                trust_new_signer=trust,
                cancel=cancel,
            ),
            on_success=self._imported,
            on_error=self._refused,
            on_finished=lambda: self.verify_button.setEnabled(True),
            parent=self,
        )

    def _imported(self, result: BundleImport) -> None:
        self.imported = result
        self.trust.setVisible(False)
        text = tr("Imported {d} document(s) and {q} quote(s) as the case “{name}”.").format(
            d=len(result.documents), q=result.quotes, name=shown(result.case_name)
        )
        signer = tr("Signed by {fingerprint}.").format(fingerprint=result.fingerprint)
        self.report_view.setHtml(f"<p><b>{html.escape(text)}</b></p><p>{html.escape(signer)}</p>")
        self.state.cases_changed.emit()

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, UnknownSigner):
            self.trust.setChecked(False)
            self.trust.setVisible(True)
            said = tr(
                "This bundle is signed by a key this vault has never seen: {fingerprint}. "
                "Import it only if the sender confirmed this fingerprint by another channel "
                "(phone, in person): type it above, or tick the box, then import again."
            ).format(fingerprint=exc.fingerprint)
            self.report_view.setHtml(f"<p>{html.escape(said)}</p>")
            return
        self.report_view.setHtml(f"<p>{html.escape(failure_text(self, exc))}</p>")
