"""Before an import: the files (folders expanded), and for each its kind, title and date."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dossier.errors import UsageError
from dossier.services.constants import DOCUMENT_KINDS
from dossier.services.dates import parse_date
from ui.i18n import tr
from ui.widgets.icons import kind_icon, kind_label
from ui.widgets.outside_text import shown


@dataclass
class ImportRequest:
    path: Path
    kind: str = "source"
    title: str | None = None
    date: str | None = None
    password: str | None = None
    ocr: bool = True


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given, folders replaced by what is inside them (hidden ones left out). Links,
    FIFOs and devices inside are kept, not silently dropped: the import refuses each with its
    reason, so the journalist knows what was not brought in (links to folders are not
    followed)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if not hidden and (child.is_symlink() or not child.is_dir()):
                    files.append(child)
        else:
            files.append(path)
    seen: set[Path] = set()
    return [f for f in files if not (f in seen or seen.add(f))]  # type: ignore[func-returns-value]


def _kind_combo(kind: str) -> QComboBox:
    combo = QComboBox()
    for value in DOCUMENT_KINDS:
        combo.addItem(kind_icon(value), kind_label(value), value)
    combo.setCurrentIndex(max(0, combo.findData(kind)))
    return combo


class ImportDialog(QDialog):
    FILE, KIND, TITLE, DATE = range(4)

    def __init__(self, paths: list[Path], kind: str = "source", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(tr("Import documents"))
        self.resize(760, 420)
        self.paths = paths
        self.all_kinds = _kind_combo(kind)
        self.all_kinds.currentIndexChanged.connect(self._kind_for_all)
        self.ocr = QCheckBox(tr("Read scanned pages with OCR (slower)"))
        self.ocr.setChecked(True)
        self.table = QTableWidget(len(paths), 4)
        self.table.setHorizontalHeaderLabels([tr("File"), tr("Kind"), tr("Title"), tr("Date")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(self.FILE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.TITLE, QHeaderView.ResizeMode.Stretch)
        for row, path in enumerate(paths):
            name = QTableWidgetItem(shown(path.name))
            name.setToolTip(shown(str(path)))
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, self.FILE, name)
            self.table.setCellWidget(row, self.KIND, _kind_combo(kind))
            title = QTableWidgetItem("")
            title.setToolTip(tr("Leave empty to use the title found in the file"))
            self.table.setItem(row, self.TITLE, title)
            self.table.setItem(row, self.DATE, QTableWidgetItem(""))
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("{n} files. Kind for all:").format(n=len(paths))))
        top.addWidget(self.all_kinds)
        top.addStretch(1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Import"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        hint = QLabel(tr("Dates as YYYY-MM-DD; leave empty to use the file's own."))
        hint.setStyleSheet("color: #666;")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(self.ocr)
        layout.addWidget(buttons)

    def _combo(self, row: int) -> QComboBox:
        combo = self.table.cellWidget(row, self.KIND)
        assert isinstance(combo, QComboBox)
        return combo

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        assert item is not None  # every cell is filled in __init__
        return item

    def _kind_for_all(self) -> None:
        kind = self.all_kinds.currentData()
        for row in range(self.table.rowCount()):
            combo = self._combo(row)
            combo.setCurrentIndex(max(0, combo.findData(kind)))

    def set_row(
        self,
        row: int,
        *,
        kind: str | None = None,
        title: str | None = None,
        date: str | None = None,
    ) -> None:
        if kind is not None:
            combo = self._combo(row)
            combo.setCurrentIndex(max(0, combo.findData(kind)))
        if title is not None:
            self._cell(row, self.TITLE).setText(title)
        if date is not None:
            self._cell(row, self.DATE).setText(date)

    def bad_date(self) -> str:
        """Why a typed date cannot be used (the first one), or "": checked before the import,
        so a file is not refused afterwards for a date mistyped here."""
        for row, path in enumerate(self.paths):
            text = self._cell(row, self.DATE).text().strip()
            try:
                parse_date(text)
            except UsageError:
                self.table.setCurrentCell(row, self.DATE)
                return tr(
                    "{name}: “{text}” is not a date; write it as YYYY-MM-DD (e.g. 2023-12-31) "
                    "or leave it empty."
                ).format(name=shown(path.name), text=shown(text))
        return ""

    def accept(self) -> None:
        problem = self.bad_date()
        self.error.setText(problem)
        self.error.setVisible(bool(problem))
        if not problem:
            super().accept()

    def requests(self) -> list[ImportRequest]:
        found: list[ImportRequest] = []
        for row, path in enumerate(self.paths):
            found.append(
                ImportRequest(
                    path=path,
                    kind=self._combo(row).currentData(),
                    title=self._cell(row, self.TITLE).text().strip() or None,
                    date=self._cell(row, self.DATE).text().strip() or None,
                    ocr=self.ocr.isChecked(),
                )
            )
        return found
