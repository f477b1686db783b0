"""The unlock screen: open a vault (recent ones by path) or create one, off the GUI thread.

Argon2id takes about half a second on purpose, so it runs in the background helper with a
busy bar. A wrong passphrase, a vault in use and a damaged vault each get their own sentence;
the passphrase field is emptied after every attempt.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from dossier.errors import CorruptData, NotFoundError, VaultInUse, WrongPassphrase
from dossier.services import Workspace
from dossier.services.constants import KDF_DEFAULT, MIN_PASSPHRASE_LENGTH, KdfParams
from ui.errors import BUG, failure_kind, message_for, show_error
from ui.i18n import tr
from ui.settings import AppSettings
from ui.vault.passphrase import strength
from ui.widgets.file_dialogs import choose_folder
from ui.worker import run_in_background

STRENGTH_COLOURS = ("#c62828", "#ef6c00", "#f9a825", "#2e7d32", "#1b5e20")


def _link(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setFlat(True)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setStyleSheet("color: #2e6bd1; text-align: left; padding: 0;")
    return button


class UnlockPanel(QWidget):
    unlocked = Signal(object)
    """The open `Workspace`."""

    def __init__(
        self, settings: AppSettings, kdf: KdfParams = KDF_DEFAULT, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.kdf = kdf
        self.busy = False
        card = QFrame()
        card.setObjectName("unlockCard")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setMaximumWidth(560)
        title = QLabel("Dossier")
        font = QFont()
        font.setPointSize(22)
        font.setBold(True)
        title.setFont(font)
        subtitle = QLabel(
            tr("Encrypted archive for investigations. Everything stays on this computer.")
        )
        subtitle.setWordWrap(True)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._open_page())
        self.pages.addWidget(self._create_page())
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setAccessibleName(tr("Message"))
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        self.hint.hide()
        inner = QVBoxLayout(card)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.addWidget(title)
        inner.addWidget(subtitle)
        inner.addSpacing(12)
        inner.addWidget(self.pages)
        inner.addWidget(self.hint)
        inner.addWidget(self.message)
        inner.addWidget(self.progress)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.reload_recent()
        self._show_page(0)

    # -- pages --------------------------------------------------------------------------------

    def _open_page(self) -> QWidget:
        page = QWidget()
        self.vault_box = QComboBox()
        self.vault_box.setEditable(True)
        self.vault_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.vault_box.setAccessibleName(tr("Vault folder"))
        editor = self.vault_box.lineEdit()
        assert editor is not None  # an editable combo box always has its line edit
        editor.setPlaceholderText(tr("Folder of the vault"))
        self.vault_box.currentTextChanged.connect(self._vault_changed)
        browse = QPushButton(tr("Browse…"))
        browse.clicked.connect(self._browse_vault)
        where = QHBoxLayout()
        where.addWidget(self.vault_box, 1)
        where.addWidget(browse)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(tr("Passphrase"))
        self.passphrase.returnPressed.connect(self.unlock)
        self.passphrase.textChanged.connect(self._passphrase_edited)
        self.unlock_button = QPushButton(tr("Unlock"))
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.unlock)
        create = _link(tr("Create a new vault…"))
        create.clicked.connect(lambda: self.show_mode("create"))
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(tr("Vault"), where)
        form.addRow(tr("Passphrase"), self.passphrase)
        buttons = QHBoxLayout()
        buttons.addWidget(create)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        form.addRow(buttons)
        return page

    def _create_page(self) -> QWidget:
        page = QWidget()
        self.location = QLineEdit(str(Path.home()))
        self.location.setAccessibleName(tr("Location of the new vault"))
        browse = QPushButton(tr("Browse…"))
        browse.clicked.connect(self._browse_location)
        where = QHBoxLayout()
        where.addWidget(self.location, 1)
        where.addWidget(browse)
        self.vault_name = QLineEdit("Investigations.dossier")
        self.new_passphrase = QLineEdit()
        self.new_passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_passphrase.setAccessibleName(tr("New passphrase"))
        self.new_passphrase.textChanged.connect(self._rate)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm.setAccessibleName(tr("Confirm the passphrase"))
        self.confirm.returnPressed.connect(self.create_vault)
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setMaximumHeight(8)
        self.rating = QLabel()
        self.rating.setWordWrap(True)
        self.create_button = QPushButton(tr("Create the vault"))
        self.create_button.clicked.connect(self.create_vault)
        back = _link(tr("Open an existing vault instead"))
        back.clicked.connect(lambda: self.show_mode("open"))
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(tr("Location"), where)
        form.addRow(tr("Vault name"), self.vault_name)
        form.addRow(tr("Passphrase"), self.new_passphrase)
        rating = QWidget()
        rating_layout = QVBoxLayout(rating)
        rating_layout.setContentsMargins(0, 0, 0, 0)
        rating_layout.setSpacing(2)
        rating_layout.addWidget(self.meter)
        rating_layout.addWidget(self.rating)
        form.addRow("", rating)
        form.addRow(tr("Confirm"), self.confirm)
        buttons = QHBoxLayout()
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        form.addRow(buttons)
        self._rate("")
        return page

    def show_mode(self, mode: str) -> None:
        self.message.clear()
        self._show_page(1 if mode == "create" else 0)
        (self.new_passphrase if mode == "create" else self.passphrase).setFocus()

    def _show_page(self, index: int) -> None:
        # A stacked widget is as tall as its tallest page; ignore the hidden one's size.
        for number in range(self.pages.count()):
            page = self.pages.widget(number)
            assert page is not None  # numbers below count()
            policy = QSizePolicy.Policy.Preferred if number == index else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
        self.pages.setCurrentIndex(index)
        self.pages.adjustSize()

    @property
    def mode(self) -> str:
        return "create" if self.pages.currentIndex() == 1 else "open"

    # -- vault path ---------------------------------------------------------------------------

    def reload_recent(self) -> None:
        current = self.vault_box.currentText()
        self.vault_box.clear()
        for path in self.settings.recent_vaults():
            self.vault_box.addItem(str(path))
        if current:
            self.vault_box.setEditText(current)

    def set_vault(self, folder: Path) -> None:
        self.vault_box.setEditText(str(folder))

    def vault_path(self) -> Path | None:
        text = self.vault_box.currentText().strip()
        return Path(text).expanduser() if text else None

    def _browse_vault(self) -> None:
        folder = choose_folder(self, tr("Choose the vault folder"), self.vault_path())
        if folder is not None:
            self.set_vault(folder)
            self.passphrase.setFocus()

    def _browse_location(self) -> None:
        folder = choose_folder(self, tr("Where to create the vault"), Path(self.location.text()))
        if folder is not None:
            self.location.setText(str(folder))

    def show_hint(self, text: str, *, filled_with: str = "", otherwise: str = "") -> None:
        """A note about the vault shown now; it goes when another vault is chosen.

        A note that holds only while the passphrase field holds `filled_with` ("its passphrase
        is filled in") gives way to `otherwise` once the field is emptied (after a lock, a
        wrong passphrase, a vault in use) or changed.
        """
        self._hints = (text, filled_with, otherwise)
        self._hint_for = self.vault_box.currentText()
        self._passphrase_edited(self.passphrase.text())

    _hint_for = ""
    _hints = ("", "", "")

    def _passphrase_edited(self, typed: str) -> None:
        text, filled_with, otherwise = self._hints
        shown = otherwise if filled_with and typed != filled_with else text
        self.hint.setText(shown)
        self.hint.setVisible(bool(shown) and self.vault_box.currentText() == self._hint_for)

    def _vault_changed(self, text: str) -> None:
        if self.hint.text():
            self.hint.setVisible(text == self._hint_for)

    # -- unlocking ----------------------------------------------------------------------------

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        self.progress.setVisible(busy)
        self.pages.setEnabled(not busy)
        if busy:
            self.message.setStyleSheet("color: #555;")
            self.message.setText(text)

    def _error(self, text: str) -> None:
        self.message.setStyleSheet("color: #b00020;")
        self.message.setText(text)

    def unlock(self) -> None:
        if self.busy:
            return
        folder = self.vault_path()
        passphrase = self.passphrase.text()
        if folder is None:
            self._error(tr("Choose the folder of a vault first."))
            return
        if not passphrase:
            self._error(tr("Type the vault's passphrase."))
            self.passphrase.setFocus()
            return
        self.passphrase.clear()
        self._set_busy(True, tr("Unlocking… (the key derivation takes a moment on purpose)"))
        run_in_background(
            lambda *_: Workspace.open(folder, passphrase),
            on_success=lambda ws: self._opened(ws, folder),
            on_error=self._failed,
            parent=self,
        )

    def create_vault(self) -> None:
        if self.busy:
            return
        passphrase, again = self.new_passphrase.text(), self.confirm.text()
        name = self.vault_name.text().strip()
        if not name:
            self._error(tr("Give the vault a name."))
            return
        folder = Path(self.location.text().strip() or str(Path.home())).expanduser() / name
        if len(passphrase) < MIN_PASSPHRASE_LENGTH:
            self._error(
                tr("The passphrase needs at least {n} characters.").format(n=MIN_PASSPHRASE_LENGTH)
            )
            return
        if passphrase != again:
            self._error(tr("The two passphrases differ. Type the same one twice."))
            self.confirm.clear()
            self.confirm.setFocus()
            return
        self.new_passphrase.clear()
        self.confirm.clear()
        kdf = self.kdf
        self._set_busy(True, tr("Creating the vault…"))
        run_in_background(
            lambda *_: Workspace.create(folder, passphrase, kdf),
            on_success=lambda ws: self._opened(ws, folder),
            on_error=self._failed,
            parent=self,
        )

    def _opened(self, ws: Workspace, folder: Path) -> None:
        self._set_busy(False)
        self.message.clear()
        self.settings.add_recent_vault(folder)
        self.reload_recent()
        self.set_vault(folder)
        self._show_page(0)
        self.unlocked.emit(ws)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, WrongPassphrase):
            self._error(
                tr("Wrong passphrase. Check Caps Lock and the keyboard layout, then try again.")
            )
            self.passphrase.setFocus()
        elif isinstance(exc, VaultInUse):
            self._error(
                tr(
                    "This vault is open in another Dossier window or command. "
                    "Close it, then try again."
                )
            )
        elif isinstance(exc, CorruptData):
            self._error(tr("This vault cannot be opened: {reason}").format(reason=message_for(exc)))
        elif isinstance(exc, NotFoundError):
            self._error(tr("There is no vault in this folder. Check the path, or create a vault."))
        elif failure_kind(exc) != BUG:
            self._error(message_for(exc))
        else:
            show_error(self, exc)

    def reset(self) -> None:
        """Back to the unlock form after a lock: empty fields, no message."""
        self._set_busy(False)
        self.passphrase.clear()
        self.new_passphrase.clear()
        self.confirm.clear()
        self.message.clear()
        self._show_page(0)
        self.passphrase.setFocus()

    # -- strength -----------------------------------------------------------------------------

    def _rate(self, text: str) -> None:
        rated = strength(text)
        self.meter.setValue(rated.score if text else 0)
        colour = STRENGTH_COLOURS[rated.score]
        self.meter.setStyleSheet(f"QProgressBar::chunk {{ background: {colour}; }}")
        self.rating.setText(
            f"<b>{rated.label}</b> — {rated.hint}" if text else tr("Use four or more random words.")
        )


def passphrase_from_environment() -> str | None:
    """DOSSIER_PASSPHRASE unlocks at start (scripted screenshots); never read otherwise. Taken
    out of the environment: the processes the app starts would inherit it."""
    return os.environ.pop("DOSSIER_PASSPHRASE", "") or None
