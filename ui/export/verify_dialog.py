"""File > Verify a bundle: is a received bundle exactly what its signer made? No vault needed.

Checks the signature, optionally that the signer is the key whose fingerprint the sender gave
(pinning), and every file's hash; a sealed bundle asks for its passphrase. The check runs off
the GUI thread; the verdict comes first, then each fact.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dossier.services.export.bundle_verify import VerifyReport, is_sealed_bundle, verify
from ui.i18n import tr
from ui.widgets.file_dialogs import file_dialog, picked
from ui.widgets.form_fields import failure_text
from ui.widgets.outside_text import shown
from ui.worker import Job, run_in_background


def report_html(report: VerifyReport) -> str:
    if report.ok:
        colour, mark, text = "#1b7f3b", "✔", tr("Intact and signed.")
    else:
        colour, mark, text = "#c62828", "✘", tr("This bundle does not check out: do not trust it.")
    verdict = f"<p style='color:{colour}; font-size:large'><b>{mark} {html.escape(text)}</b></p>"
    pinned = {
        None: tr("not compared with an expected fingerprint"),
        True: tr("matches the expected fingerprint"),
        False: tr("DOES NOT match the expected fingerprint"),
    }[report.pinned]
    rows: list[tuple[str, str]] = []
    if report.fingerprint:
        rows.append((tr("Signing key"), f"{report.fingerprint} ({pinned})"))
    rows.append((tr("Signature"), tr("valid") if report.signature_valid else tr("INVALID")))
    rows.append(
        (
            tr("Files"),
            tr("{n} checked: {d} document(s), {q} quote(s)").format(
                n=report.files_checked, d=report.documents, q=report.quotes
            ),
        )
    )
    if report.created_at:
        rows.append((tr("Made on"), f"{report.created_at} (Dossier {report.app_version})"))
    if report.sealed:
        rows.append((tr("Sealed"), tr("yes, opened with the passphrase")))
    for label, names in (
        (tr("Changed"), report.changed),
        (tr("Missing"), report.missing),
        (tr("Added"), report.added),
        (tr("Problem"), report.problems),
    ):
        rows += [(label, name) for name in names]
    table = "".join(
        f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(shown(v))}</td></tr>"
        for k, v in rows
    )
    return f"{verdict}<table cellspacing='6'>{table}</table>"


class VerifyDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.report: VerifyReport | None = None
        self.job: Job | None = None
        self.setWindowTitle(tr("Verify a bundle"))
        self.resize(680, 460)
        self.path = QLineEdit(str(path) if path else "")
        self.path.setAccessibleName(tr("Bundle file"))
        self.path.textChanged.connect(self._path_changed)
        browse = QPushButton(tr("Browse…"))
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.fingerprint = QLineEdit()
        self.fingerprint.setPlaceholderText(tr("Optional: the fingerprint the sender gave you"))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(tr("Only for a sealed bundle"))
        self.passphrase.setAccessibleName(tr("Bundle passphrase"))
        self.report_view = QTextBrowser()
        self.report_view.setAccessibleName(tr("Verification report"))
        self.form = form = QFormLayout()
        form.addRow(tr("Bundle file"), row)
        form.addRow(tr("Expected fingerprint"), self.fingerprint)
        form.addRow(tr("Passphrase"), self.passphrase)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.verify_button = buttons.addButton(tr("Verify"), QDialogButtonBox.ButtonRole.ActionRole)
        self.verify_button.clicked.connect(self.run_verify)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.report_view, 1)
        layout.addWidget(buttons)
        self._path_changed()
        self.finished.connect(lambda _r: self.job.abandon() if self.job is not None else None)

    def browse(self) -> None:
        dialog = file_dialog(self, tr("Verify a bundle"), str(Path.home()))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([tr("Dossier bundles (*.zip)"), "*"])
        chosen = picked(dialog)  # folder names may be case content: none is remembered
        if chosen:
            self.path.setText(str(chosen[0]))

    def _path_changed(self, *_: object) -> None:
        path = Path(self.path.text().strip()).expanduser()
        sealed = bool(self.path.text().strip()) and path.is_file() and is_sealed_bundle(path)
        self.passphrase.setEnabled(sealed)
        self.verify_button.setEnabled(bool(self.path.text().strip()))

    def run_verify(self) -> None:
        path = Path(self.path.text().strip()).expanduser()
        pubkey = self.fingerprint.text().strip() or None
        passphrase = self.passphrase.text() if self.passphrase.isEnabled() else None
        self.verify_button.setEnabled(False)
        self.report_view.setHtml(html.escape(tr("Checking the signature and every file…")))
        self.job = run_in_background(
            lambda *_: verify(path, pubkey=pubkey, passphrase=passphrase or None),
            on_success=self._verified,
            on_error=lambda exc: self.report_view.setHtml(
                f"<p>{html.escape(failure_text(self, exc))}</p>"
            ),
            on_finished=lambda: self.verify_button.setEnabled(True),
            parent=self,
        )

    def _verified(self, report: VerifyReport) -> None:
        self.report = report
        self.report_view.setHtml(report_html(report))
