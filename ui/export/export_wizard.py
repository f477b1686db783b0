"""The export wizard: documents and quotes, options, a preview of the redacted pages, then the
export itself with progress, cancel, the self-check result and the signing key's fingerprint.

Pages: choose (PDFs and quotes), options (where, rasterize, seal with a passphrase), preview
and run (`ui.export.export_pages`). The export runs off the GUI thread; the core writes
nothing unless its self-check of the redacted copies found nothing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from dossier.services.constants import KDF_DEFAULT, MIN_PASSPHRASE_LENGTH, KdfParams
from dossier.services.dto import DocumentInfo
from dossier.services.quotes.dto import QuoteInfo
from ui.export.export_pages import PreviewPage, RunPage
from ui.i18n import tr
from ui.quotes.quotes_model import short
from ui.state import AppState
from ui.widgets.confirm import confirm
from ui.widgets.file_dialogs import file_dialog, picked
from ui.widgets.form_fields import ErrorLine, close_on_lock
from ui.widgets.icons import kind_icon
from ui.widgets.outside_text import shown
from ui.widgets.verdict_badge import badge_label

ID_ROLE = Qt.ItemDataRole.UserRole + 1


def checked_ids(widget: QListWidget) -> list[str]:
    return [
        widget.item(row).data(ID_ROLE)
        for row in range(widget.count())
        if widget.item(row).checkState() == Qt.CheckState.Checked
        and widget.item(row).flags() & Qt.ItemFlag.ItemIsEnabled
    ]


def check_all(widget: QListWidget, on: bool) -> None:
    for row in range(widget.count()):
        item = widget.item(row)
        if item.flags() & Qt.ItemFlag.ItemIsEnabled:
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


class ChoosePage(QWizardPage):
    def __init__(self, documents: list[DocumentInfo], quotes: list[QuoteInfo]) -> None:
        super().__init__()
        self.setTitle(tr("What to export"))
        self.setSubTitle(tr("Documents are exported as redacted PDFs. Quotes go with them."))
        self.documents = QListWidget()
        self.documents.setAccessibleName(tr("Documents to export"))
        for doc in documents:
            item = QListWidgetItem(kind_icon(doc.kind), shown(doc.title))
            item.setData(ID_ROLE, doc.id)
            if doc.exportable:
                item.setCheckState(Qt.CheckState.Checked)
            else:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setText(
                    tr("{title} (a list of files: each one is exported)").format(
                        title=shown(doc.title)
                    )
                )
            self.documents.addItem(item)
        self.documents.itemChanged.connect(lambda _i: self.completeChanged.emit())
        self.quotes = QListWidget()
        self.quotes.setAccessibleName(tr("Quotes to export"))
        for quote in quotes:
            speaker = shown(quote.speaker) or tr("Unattributed")
            verdict = badge_label("verdict", quote.verdict)
            # French writes "Hadrien Clouet : « … »": the catalog puts its spaces in.
            said = tr("{speaker}: «{quote}»").format(
                speaker=speaker, quote=short(shown(quote.text), 90)
            )
            item = QListWidgetItem(f"{said} [{verdict}]")
            item.setData(ID_ROLE, quote.id)
            item.setCheckState(Qt.CheckState.Checked)
            self.quotes.addItem(item)
        layout = QVBoxLayout(self)
        for title, widget in ((tr("Documents"), self.documents), (tr("Quotes"), self.quotes)):
            box = QGroupBox(title)
            inner = QVBoxLayout(box)
            inner.addWidget(widget)
            row = QHBoxLayout()
            every = QPushButton(tr("All"))
            every.clicked.connect(lambda _c=False, w=widget: check_all(w, True))
            none = QPushButton(tr("None"))
            none.clicked.connect(lambda _c=False, w=widget: check_all(w, False))
            row.addWidget(every)
            row.addWidget(none)
            row.addStretch(1)
            inner.addLayout(row)
            layout.addWidget(box)

    def doc_ids(self) -> list[str]:
        return checked_ids(self.documents)

    def quote_ids(self) -> list[str]:
        return checked_ids(self.quotes)

    def isComplete(self) -> bool:
        return bool(self.doc_ids())


class OptionsPage(QWizardPage):
    def __init__(self, default_out: Path) -> None:
        super().__init__()
        self.setTitle(tr("Options"))
        self.setSubTitle(tr("Where to write the bundle, and how."))
        self.out = QLineEdit(str(default_out))
        self.out.setAccessibleName(tr("Bundle file"))
        browse = QPushButton(tr("Browse…"))
        browse.clicked.connect(self.browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out, 1)
        out_row.addWidget(browse)
        self.rasterize = QCheckBox(tr("Flatten redacted pages to images"))
        self.rasterize.setToolTip(
            tr("Safest: nothing of a redacted page survives but its pixels (text stays searchable)")
        )
        self.seal = QCheckBox(tr("Seal the bundle with a passphrase for the journey"))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(tr("Bundle passphrase"))
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm.setAccessibleName(tr("Confirm the passphrase"))
        for field in (self.passphrase, self.confirm):
            field.setEnabled(False)
            self.seal.toggled.connect(field.setEnabled)
        self.error = ErrorLine()
        form = QFormLayout(self)
        form.addRow(tr("Bundle file"), out_row)
        form.addRow(self.rasterize)
        form.addRow(self.seal)
        form.addRow(tr("Passphrase"), self.passphrase)
        form.addRow(tr("Confirm"), self.confirm)
        form.addRow(self.error)

    def browse(self) -> None:
        dialog = file_dialog(self, tr("Save the bundle as"), self.out.text())
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters([tr("Dossier bundles (*.zip)"), "*"])
        chosen = picked(dialog)  # folder names may be case content: none is remembered
        if chosen:
            self.out.setText(str(chosen[0]))

    def out_path(self) -> Path:
        return Path(self.out.text().strip()).expanduser()

    def bundle_passphrase(self) -> str | None:
        return self.passphrase.text() if self.seal.isChecked() else None

    def confirm_replace(self, path: Path) -> bool:
        return confirm(
            self,
            tr("Replace the file?"),
            tr("{name} exists. Replace it?").format(name=shown(path.name)),
        )

    def validatePage(self) -> bool:
        self.error.clear_error()
        path = self.out_path()
        if not self.out.text().strip() or path.is_dir():
            self.error.show_error(tr("Choose a file name for the bundle."))
            return False
        if not path.parent.is_dir():
            self.error.show_error(
                tr("The folder {folder} does not exist.").format(folder=path.parent)
            )
            return False
        if self.seal.isChecked():
            if len(self.passphrase.text()) < MIN_PASSPHRASE_LENGTH:
                self.error.show_error(
                    tr("The passphrase needs at least {n} characters.").format(
                        n=MIN_PASSPHRASE_LENGTH
                    )
                )
                return False
            if self.passphrase.text() != self.confirm.text():
                self.error.show_error(tr("The two passphrases differ. Type the same one twice."))
                return False
        return not path.exists() or self.confirm_replace(path)


class ExportWizard(QWizard):
    def __init__(
        self,
        state: AppState,
        case_id: str,
        kdf: KdfParams = KDF_DEFAULT,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.case_id = case_id
        self.kdf = kdf
        self.setWindowTitle(tr("Export a bundle"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.resize(900, 700)
        ws = state.ws
        self.choose_page = ChoosePage(ws.documents.of_case(case_id), ws.quotes.of_case(case_id))
        # A neutral default name: a file named after the case would say what it is about.
        self.options_page = OptionsPage(
            Path.home() / f"dossier-export-{date.today().isoformat()}.zip"
        )
        self.preview_page = PreviewPage(self)
        self.run_page = RunPage(self)
        for page in (self.choose_page, self.options_page, self.preview_page, self.run_page):
            self.addPage(page)
        close_on_lock(self, state)

    def reject(self) -> None:
        self.run_page.stop()
        super().reject()
