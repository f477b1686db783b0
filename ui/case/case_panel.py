"""The list of cases on the left: create, rename, delete (the data is destroyed), select."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from dossier.errors import DossierError
from dossier.services.dto import CaseInfo
from ui.errors import show_error
from ui.i18n import tr
from ui.state import AppState
from ui.widgets.outside_text import shown
from ui.worker import LatestRead


def _label(case: CaseInfo) -> str:
    return f"{shown(case.name)}  ({case.document_count})"


class CasePanel(QWidget):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.cases: list[CaseInfo] = []
        self.new_action = QAction(tr("New case…"), self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(self.create_case)
        self.rename_action = QAction(tr("Rename case…"), self)
        self.rename_action.setShortcut(QKeySequence("F2"))
        self.rename_action.triggered.connect(self.rename_case)
        self.delete_action = QAction(tr("Delete case…"), self)
        self.delete_action.triggered.connect(self.delete_case)
        # Short words on the buttons (the menu keeps the full names): French runs long.
        self.new_action.setIconText(tr("New"))
        self.rename_action.setIconText(tr("Rename"))
        self.delete_action.setIconText(tr("Delete"))

        title = QLabel(tr("Cases"))
        title.setStyleSheet("font-weight: bold;")
        tools = QToolBar()
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.new_action, self.rename_action, self.delete_action):
            tools.addAction(action)
        self.list = QListWidget()
        self.list.setAccessibleName(tr("Cases"))
        self.list.currentItemChanged.connect(self._current_changed)
        self.list.itemDoubleClicked.connect(lambda _item: self.rename_case())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(title)
        layout.addWidget(tools)
        layout.addWidget(self.list)

        state.unlocked.connect(self.reload)
        state.locked.connect(self.clear)
        state.cases_changed.connect(self.reload)
        self._counts = LatestRead(self)
        state.documents_changed.connect(self._recount)
        self._update_actions()

    # -- listing ------------------------------------------------------------------------------

    def reload(self) -> None:
        if not self.state.is_unlocked:
            return
        current = self.state.case_id
        self._counts.drop()  # read before this reload: older than what it reads
        try:
            self.cases = self.state.ws.cases.all()
        except DossierError as exc:
            show_error(self, exc)
            return
        self.list.blockSignals(True)
        self.list.clear()
        for case in self.cases:
            item = QListWidgetItem(_label(case))
            item.setData(Qt.ItemDataRole.UserRole, case.id)
            item.setToolTip(shown(case.description or case.name))
            self.list.addItem(item)
        ids = [c.id for c in self.cases]
        if current in ids:
            self.list.setCurrentRow(ids.index(current))
        elif self.cases:
            self.list.setCurrentRow(0)
        self.list.blockSignals(False)
        # A reload after an edit keeps the selection quiet; only a new current case is news.
        now = self.current()
        if now is None or now.id != current:
            self._current_changed()
        self._update_actions()

    def _recount(self, _case_id: str) -> None:
        """Documents came or went: the counts beside the names follow, read in a worker (an
        import tells every second, and the GUI thread must not wait for the catalog)."""
        if not self.state.is_unlocked:
            return
        if not self.cases:
            self.reload()
            return
        self._counts.ask(self.state.ws.cases.document_counts, self._show_counts)

    def _show_counts(self, counts: dict[str, int]) -> None:
        self.cases = [replace(c, document_count=counts.get(c.id, 0)) for c in self.cases]
        for row, case in enumerate(self.cases):
            item = self.list.item(row)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == case.id:
                text = _label(case)
                if item.text() != text:
                    item.setText(text)

    def clear(self) -> None:
        self._counts.drop()
        self.cases = []
        self.list.clear()
        self._update_actions()

    def select(self, case_id: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == case_id:
                self.list.setCurrentRow(row)

    def current(self) -> CaseInfo | None:
        item: QListWidgetItem | None = self.list.currentItem()
        if item is None:
            return None
        case_id = item.data(Qt.ItemDataRole.UserRole)
        return next((c for c in self.cases if c.id == case_id), None)

    def _current_changed(self, *_: object) -> None:
        case = self.current()
        self.state.select_case(case.id if case else "")
        if case is not None:
            self.state.select_item("case", case)
        self._update_actions()

    def _update_actions(self) -> None:
        unlocked = self.state.is_unlocked
        self.new_action.setEnabled(unlocked)
        self.rename_action.setEnabled(unlocked and self.current() is not None)
        self.delete_action.setEnabled(unlocked and self.current() is not None)

    # -- questions (methods so tests can answer them) -----------------------------------------

    def ask_name(self, title: str, label: str, text: str = "") -> str | None:
        name, ok = QInputDialog.getText(self, title, label, text=text)
        return name.strip() if ok and name.strip() else None

    def confirm_delete(self, case: CaseInfo) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(tr("Delete case"))
        box.setText(tr("Delete the case “{name}”?").format(name=shown(case.name)))
        box.setInformativeText(
            tr(
                "Its {n} documents, quotes, letters and notes are destroyed: their key is "
                "erased, so nothing can be recovered from this vault. Copies of the vault made "
                "before now still hold the case."
            ).format(n=case.document_count)
        )
        delete = box.addButton(tr("Destroy the case"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is delete

    # -- actions ------------------------------------------------------------------------------

    def create_case(self) -> None:
        name = self.ask_name(tr("New case"), tr("Name of the case:"))
        if name is None:
            return
        try:
            case = self.state.ws.cases.create(name)
        except DossierError as exc:
            show_error(self, exc)
            return
        self.state.select_case(case.id)
        self.reload()
        self.state.show_status(tr("Case created."))

    def rename_case(self) -> None:
        case = self.current()
        if case is None:
            return
        name = self.ask_name(tr("Rename case"), tr("New name:"), case.name)
        if name is None or name == case.name:
            return
        try:
            self.state.ws.cases.update(case.id, name=name)
        except DossierError as exc:
            show_error(self, exc)
            return
        self.reload()

    def delete_case(self) -> None:
        case = self.current()
        if case is None or not self.confirm_delete(case):
            return
        try:
            self.state.ws.cases.delete(case.id)
        except DossierError as exc:
            show_error(self, exc)
            return
        self.state.select_case("")
        self.reload()
        self.state.show_status(tr("Case destroyed."))
