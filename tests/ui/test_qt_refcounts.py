"""The Qt bindings keep the reference counts of None, True and False (the GUI import crash).

"Fatal Python error: none_dealloc" ended the app during big imports: PySide6 6.12.0 drops one
reference to None too many in every call that carries a Python value through a QVariant
(`setData`, `addItem(text, data)`, `data()` of a role with nothing). None is an ordinary
object on Python 3.11: after tens of thousands of such calls (the views reload their rows each
time documents are imported) its count reaches zero and the interpreter aborts, on whichever
line happens to drop the last reference. It was not a thread race: one thread shows it.

Each call the app makes with a Python value is run many times and the counts must not fall.
A leak (a count that grows) is harmless; a count that falls kills the process. On Python 3.12
and later these objects are immortal (their count is fixed) and the test says nothing.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QAction, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QListWidgetItem, QTableWidgetItem, QTreeWidgetItem

from ui.case.import_dialog import ImportDialog, ImportRequest
from ui.case.import_list import ImportListModel, ImportRow

ROLE = Qt.ItemDataRole.UserRole + 1
CALLS = 3000


@dataclass(frozen=True)
class _Info:
    title: str
    parent_id: str | None = None


_INFO = _Info("a title")


def _counts() -> tuple[int, int, int]:
    gc.collect()
    return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)


def _combo() -> QComboBox:
    combo = QComboBox()
    combo.addItem("the whole case", "")
    return combo


class _Emitter(QObject):
    carried = Signal(object)


def _calls() -> dict[str, Callable[[], object]]:
    item = QStandardItem("title")
    item.setData(_INFO, ROLE)
    model = QStandardItemModel()
    model.appendRow([QStandardItem("row")])
    combo = _combo()
    empty = QComboBox()
    action = QAction("act")
    emitter = _Emitter()
    emitter.carried.connect(lambda _value: None)
    list_item = QListWidgetItem("x")
    tree_item = QTreeWidgetItem(["x"])
    table_item = QTableWidgetItem("x")
    dialog = ImportDialog([Path("a.txt")])  # the app's own models, in Python
    imports = ImportListModel()
    imports.append([ImportRow("case", ImportRequest(Path("a.txt")), "waiting")])
    return {
        "QStandardItem.setData(object)": lambda: item.setData(_INFO, ROLE),
        "QStandardItem.setData(None)": lambda: item.setData(None, ROLE),
        "QStandardItem.setData(bool)": lambda: item.setData(True, ROLE + 1),
        "QStandardItem.data(unset role)": lambda: item.data(ROLE + 7),
        "QStandardItem.data(object)": lambda: item.data(ROLE),
        "QModelIndex().data()": lambda: QModelIndex().data(ROLE),
        "model index data(unset role)": lambda: model.index(0, 0).data(ROLE),
        "QListWidgetItem.setData": lambda: list_item.setData(ROLE, _INFO),
        "QTreeWidgetItem.setData": lambda: tree_item.setData(0, ROLE, _INFO),
        "QTableWidgetItem.setData": lambda: table_item.setData(ROLE, _INFO),
        "QComboBox.addItem(text, data)": lambda: (combo.addItem("doc", "id"), combo.removeItem(1)),
        "QComboBox.currentData()": combo.currentData,
        "QComboBox.currentData() empty": empty.currentData,
        "QComboBox.findData": lambda: combo.findData(""),
        "QAction.setData/data": lambda: (action.setData(None), action.data()),
        "Signal(object).emit(None)": lambda: emitter.carried.emit(None),
        "Python model data(unset role)": lambda: dialog.model.index(0, 0).data(ROLE),
        "Python model data(int)": lambda: imports.index(0, 2).data(),
        "Python model setData(str)": lambda: dialog.model.setData(
            dialog.model.index(0, 2), "title"
        ),
        "Python model data(edit)": lambda: dialog.model.index(0, 1).data(Qt.ItemDataRole.EditRole),
    }


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None, True, False are immortal")
def test_calls_carrying_python_values_never_drop_a_reference(qapp) -> None:
    falling = []
    for name, call in _calls().items():
        call()
        before = _counts()
        for _ in range(CALLS):
            call()
        after = _counts()
        lost = [b - a for b, a in zip(before, after, strict=True)]
        if max(lost) > CALLS // 10:
            falling.append(f"{name}: None/True/False lost {lost} references in {CALLS} calls")
    assert not falling, "\n".join(falling)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None, True, False are immortal")
def test_views_reloading_through_an_import_keep_none_alive(qtbot, unlocked, tmp_path: Path):
    """The bench's crash, in small: every view reloads after each imported file (GUI-thread
    reads of the catalog while the worker writes it); None's count must not fall with it."""
    files = tmp_path / "mail"
    files.mkdir()
    paths = []
    for number in range(30):
        path = files / f"message-{number:03d}.txt"
        path.write_text(f"Objet : relance {number}\n\nBonjour, pièce {number}.\n", "utf-8")
        paths.append(path)
    window = unlocked
    # Each file's notice reloads every view of the case (the behaviour before issue 16, the
    # harshest for this path): thousands of model calls while the worker writes the catalog.
    window.imports._changes_timer.setInterval(0)
    none_before = _counts()[0]
    with qtbot.waitSignal(window.imports.batch_finished, timeout=120_000):
        window.imports.enqueue(window.state.case_id, [ImportRequest(p, ocr=False) for p in paths])
    for _ in range(20):  # and again, with the lists full
        window.state.documents_changed.emit(window.state.case_id)
    none_after = _counts()[0]
    assert len(window.state.ws.documents.of_case(window.state.case_id)) == len(paths)
    assert none_after >= none_before - 500, (none_before, none_after)
