"""Before an import: the files (folders expanded), and for each its kind, title and date."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QAbstractItemModel,
    QObject,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dossier.errors import UsageError
from dossier.services.constants import DOCUMENT_KINDS
from dossier.services.dates import parse_date
from ui.i18n import tr
from ui.widgets.flat_model import FlatTableModel, Index
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


def _kind_combo(kind: str, parent: QWidget | None = None) -> QComboBox:
    combo = QComboBox(parent)
    for value in DOCUMENT_KINDS:
        combo.addItem(kind_icon(value), kind_label(value), value)
    combo.setCurrentIndex(max(0, combo.findData(kind)))
    return combo


class _FilesModel(FlatTableModel):
    """The files to import and what is typed for each: plain values, shown by the view only
    for the rows on screen (a combo box per file, made at once, took seconds for a folder of
    10,000 files)."""

    FILE, KIND, TITLE, DATE = range(4)

    def __init__(self, paths: list[Path], kind: str, parent: QObject | None = None) -> None:
        super().__init__([tr("File"), tr("Kind"), tr("Title"), tr("Date")], parent)
        self.paths = paths
        self.kinds = [kind] * len(paths)
        self.titles = [""] * len(paths)
        self.dates = [""] * len(paths)

    def count(self) -> int:
        return len(self.paths)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags if index.column() == self.FILE else flags | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if column == self.FILE:
            if role == Qt.ItemDataRole.DisplayRole:
                return shown(self.paths[row].name)
            if role == Qt.ItemDataRole.ToolTipRole:
                return shown(str(self.paths[row]))
        elif column == self.KIND:
            kind = self.kinds[row]
            if role == Qt.ItemDataRole.DisplayRole:
                return kind_label(kind)
            if role == Qt.ItemDataRole.EditRole:
                return kind
            if role == Qt.ItemDataRole.DecorationRole:
                return kind_icon(kind)
        elif role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (self.titles if column == self.TITLE else self.dates)[row]
        elif role == Qt.ItemDataRole.ToolTipRole and column == self.TITLE:
            return tr("Leave empty to use the title found in the file")
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or not isinstance(value, str):
            return False
        column = index.column()
        if column == self.KIND and value in DOCUMENT_KINDS:
            self.kinds[index.row()] = value
        elif column in (self.TITLE, self.DATE):
            (self.titles if column == self.TITLE else self.dates)[index.row()] = value
        else:
            return False
        self.dataChanged.emit(index, index)
        return True

    def set_all_kinds(self, kind: str) -> None:
        self.kinds = [kind] * len(self.paths)
        if self.paths:
            self.dataChanged.emit(
                self.index(0, self.KIND), self.index(len(self.paths) - 1, self.KIND)
            )


class _KindDelegate(QStyledItemDelegate):
    """A combo box for the one kind being changed, made when its cell is edited."""

    def createEditor(self, parent: QWidget, _option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = _kind_combo(str(index.data(Qt.ItemDataRole.EditRole)), parent)
        combo.currentIndexChanged.connect(lambda _n: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class ImportDialog(QDialog):
    FILE, KIND, TITLE, DATE = (
        _FilesModel.FILE,
        _FilesModel.KIND,
        _FilesModel.TITLE,
        _FilesModel.DATE,
    )

    def __init__(self, paths: list[Path], kind: str = "source", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(tr("Import documents"))
        self.resize(760, 420)
        self.paths = paths
        self.all_kinds = _kind_combo(kind)
        self.all_kinds.currentIndexChanged.connect(self._kind_for_all)
        self.ocr = QCheckBox(tr("Read scanned pages with OCR (slower)"))
        self.ocr.setChecked(True)
        self.model = _FilesModel(paths, kind, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(self.KIND, _KindDelegate(self.table))
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AllEditTriggers
            & ~QAbstractItemView.EditTrigger.CurrentChanged
        )
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no row measured
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(self.FILE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.TITLE, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(self.KIND, 150)
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

    def _kind_for_all(self) -> None:
        self.model.set_all_kinds(self.all_kinds.currentData())

    def set_row(
        self,
        row: int,
        *,
        kind: str | None = None,
        title: str | None = None,
        date: str | None = None,
    ) -> None:
        for column, value in ((self.KIND, kind), (self.TITLE, title), (self.DATE, date)):
            if value is not None:
                self.model.setData(self.model.index(row, column), value)

    def bad_date(self) -> str:
        """Why a typed date cannot be used (the first one), or "": checked before the import,
        so a file is not refused afterwards for a date mistyped here."""
        for row, path in enumerate(self.paths):
            text = self.model.dates[row].strip()
            try:
                parse_date(text)
            except UsageError:
                self.table.setCurrentIndex(self.model.index(row, self.DATE))
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
                    kind=self.model.kinds[row],
                    title=self.model.titles[row].strip() or None,
                    date=self.model.dates[row].strip() or None,
                    ocr=self.ocr.isChecked(),
                )
            )
        return found
