"""The files of the import panel as a model: one plain `ImportRow` per file, no widget per row.

A view asks only for the rows it shows, so 10,000 files cost 10,000 small Python objects. Made
as widgets (a label, a bar and four buttons each, in a layout), they took 1.5 ms each to make
and every row added laid out all the others again: frames of 100-300 ms through a 10,000-file
import. The model also keeps how many rows are in each state, so the counts above the list are
read, not recounted over every row, and the time left (`dossier.jobs.TimeLeft`), told of each
file queued, measured, finished or cancelled as its row changes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
)

from dossier.jobs import TimeLeft
from dossier.services.dto import DocumentInfo
from ui.case.import_dialog import ImportRequest
from ui.i18n import tr
from ui.widgets.flat_model import FlatTableModel, Index
from ui.widgets.outside_text import shown

if TYPE_CHECKING:
    from ui.worker import Job

WAITING, RUNNING, DONE, FAILED, CANCELLED_STATE, NEEDS_PASSWORD = (
    "waiting", "running", "done", "failed", "cancelled", "password"
)  # fmt: skip
FINISHED = frozenset({DONE, FAILED, CANCELLED_STATE, NEEDS_PASSWORD})
ACTIVE = frozenset({WAITING, RUNNING})
WORKED = frozenset({DONE, FAILED, NEEDS_PASSWORD})
"""Finished after the import's work on them (a refusal reads the file too)."""

_CHILD = re.compile(r"^(?:.*: )?[a-z ]+? (\d+) of (\d+): (.+)$")
"""How the import names a file coming out of another: "message 12 of 1000: Re: budget.eml"."""
_CHILDREN_SHOWN = 3
_REFUSED = QColor("#b00020")


class ImportRow:
    """One file of the list and what became of it (texts already escaped for display)."""

    def __init__(self, case_id: str, request: ImportRequest, stage: str) -> None:
        self.case_id = case_id
        self.request = request
        self.state = WAITING
        self.stage = stage
        self.percent = 0
        self.inside = ""
        """The files found inside this one (a mailbox, an e-mail), "" for none."""
        self.reason = ""
        """Why it was refused, "" otherwise."""
        self.job: Job | None = None
        self.cancel_asked = False
        """Cancel was pressed while its job ran: the job's other files go back to waiting."""
        self.document: DocumentInfo | None = None
        self.children_seen: list[str] = []
        self.children_total = 0
        self.size: int | None = None
        """The file's bytes, once measured (off the GUI thread), for the time-left estimate."""
        self.model: ImportListModel | None = None
        self.position = -1
        """Its row in the model (kept by the model), -1 once off the list."""

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def listed(self) -> bool:
        return self.position >= 0

    @property
    def can_cancel(self) -> bool:
        return self.state in (WAITING, RUNNING)

    @property
    def can_retry(self) -> bool:
        return self.state in (FAILED, CANCELLED_STATE)

    @property
    def can_remove(self) -> bool:
        return self.state in (FAILED, CANCELLED_STATE, NEEDS_PASSWORD)

    def progress(self, fraction: float, message: str) -> None:
        self.percent = round(fraction * 100)
        message = shown(message)  # it names the files found inside this one
        self.stage = message
        child = _CHILD.match(message)
        if child is not None:  # a file coming out of a mailbox, a message or an archive
            self.children_total = int(child.group(2))
            self.children_seen.append(child.group(3))
            last = ", ".join(self.children_seen[-_CHILDREN_SHOWN:])
            earlier = "…, " if len(self.children_seen) > _CHILDREN_SHOWN else ""
            self.inside = tr("Inside: {done} of {total}: {names}").format(
                done=child.group(1), total=self.children_total, names=earlier + last
            )
        self._changed(self.state)

    def set_stage(self, text: str) -> None:
        self.stage = text
        self._changed(self.state)

    def set_state(self, state: str, text: str = "", reason: str = "") -> None:
        before, self.state = self.state, state
        if text:
            self.stage = text
        self.reason = reason
        if state == DONE:
            self.percent = 100
            if self.children_total:
                self.inside = tr(
                    "Imported with the {count} files inside it, each a document"
                ).format(count=self.children_total)
        elif state in (FAILED, CANCELLED_STATE):
            self.inside = ""
        self._changed(before)

    def restart(self, request: ImportRequest) -> None:
        """Back in the queue with `request` (the same file, its options perhaps changed)."""
        self.request = request
        self.percent = 0
        self.children_seen.clear()
        self.children_total = 0
        self.inside = ""
        self.set_state(WAITING, tr("Waiting"))

    def _changed(self, before: str) -> None:
        if self.model is not None and self.listed:
            self.model.row_changed(self, before)


class ImportListModel(FlatTableModel):
    FILE, STAGE, PROGRESS, DETAILS = range(4)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([tr("File"), tr("Stage"), tr("Progress"), tr("Details")], parent)
        self.rows: list[ImportRow] = []
        self.counts: Counter[str] = Counter()
        """How many rows are in each state."""
        self.time_left = TimeLeft()
        self._changed_rows: tuple[int, int] | None = None
        """The first and last positions changed since the view was last told (`_tell`)."""
        self._tell_timer = QTimer(self)
        self._tell_timer.setSingleShot(True)
        self._tell_timer.setInterval(0)
        self._tell_timer.timeout.connect(self._tell)

    # -- changing -----------------------------------------------------------------------------

    def append(self, rows: Sequence[ImportRow]) -> None:
        if not rows:
            return
        start = len(self.rows)
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        for offset, row in enumerate(rows):
            row.model, row.position = self, start + offset
            self.counts[row.state] += 1
        self.rows.extend(rows)
        self.time_left.add(files=len(rows))
        self.endInsertRows()

    def remove(self, gone: Iterable[ImportRow]) -> None:
        """Take rows off the list (one signal per row removed on its own, one reset for
        many)."""
        drop = [row for row in gone if row.listed and row.model is self]
        if len(drop) == 1:
            (row,) = drop
            self.beginRemoveRows(QModelIndex(), row.position, row.position)
            del self.rows[row.position]
            self._forget([row])
            self.endRemoveRows()
        elif drop:
            self.beginResetModel()
            dropped = {id(row) for row in drop}
            self.rows = [row for row in self.rows if id(row) not in dropped]
            self._forget(drop)
            self.endResetModel()

    def clear(self) -> None:
        self._changed_rows = None
        self.beginResetModel()
        self._forget(self.rows)
        self.rows = []
        self.endResetModel()
        self.time_left = TimeLeft()

    def measured(self, rows: Sequence[ImportRow], sizes: Sequence[int | None]) -> None:
        """The sizes of `rows`' files (None for one that could not be read)."""
        for row, size in zip(rows, sizes, strict=True):
            if size is None or row.size is not None or row.model is not self or not row.listed:
                continue
            row.size = size
            if row.state in ACTIVE or row.state in WORKED:
                self.time_left.add(nbytes=size)
            if row.state in WORKED:
                self.time_left.done(nbytes=size)

    def _forget(self, rows: Iterable[ImportRow]) -> None:
        for row in rows:
            self.counts[row.state] -= 1
            row.position = -1
        for position, row in enumerate(self.rows):
            row.position = position

    def row_changed(self, row: ImportRow, before: str) -> None:
        if before != row.state:
            self.counts[before] -= 1
            self.counts[row.state] += 1
            size = row.size or 0
            if before in ACTIVE and row.state in WORKED:
                self.time_left.done(files=1, nbytes=size)
            elif before in ACTIVE and row.state == CANCELLED_STATE:
                self.time_left.drop(files=1, nbytes=size)
            elif before in FINISHED and row.state in ACTIVE:
                self.time_left.add(files=1, nbytes=size)
        # The view hears once a turn of the event loop, of every row changed in it: a group of
        # hundreds of files stored at once was as many signals, each a repaint and a slot.
        at = row.position
        low, high = self._changed_rows or (at, at)
        self._changed_rows = (min(low, at), max(high, at))
        if not self._tell_timer.isActive():
            self._tell_timer.start()

    def _tell(self) -> None:
        changed, self._changed_rows = self._changed_rows, None
        if changed is None or not self.rows:
            return
        first, last = changed[0], min(changed[1], len(self.rows) - 1)
        if first <= last:
            self.dataChanged.emit(self.index(first, 0), self.index(last, self.DETAILS))

    # -- reading ------------------------------------------------------------------------------

    def row_at(self, index: Index) -> ImportRow | None:
        return self.rows[index.row()] if index.isValid() and index.row() < len(self.rows) else None

    def count(self) -> int:
        return len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row = self.row_at(index)
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.FILE:
                return shown(row.request.path.name)
            if column == self.STAGE:
                return row.stage
            if column == self.PROGRESS:
                return row.percent
            return row.reason or row.inside
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.FILE:
                return shown(str(row.request.path))
            if column == self.DETAILS:
                return row.reason or row.inside
        if role == Qt.ItemDataRole.ForegroundRole and column == self.DETAILS and row.reason:
            return QBrush(_REFUSED)
        return None


class ProgressDelegate(QStyledItemDelegate):
    """Draws a row's percentage as a progress bar (a painted bar, not a widget per row)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        value = index.data(Qt.ItemDataRole.DisplayRole)
        if not isinstance(value, int):
            super().paint(painter, option, index)
            return
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(2, 3, -2, -3)
        bar.minimum, bar.maximum, bar.progress = 0, 100, value
        bar.text = f"{value}%"
        bar.textVisible = True
        bar.state = option.state
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter)
