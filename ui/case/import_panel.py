"""Imports in progress: one row per file (stage, progress, details) in a list, one job at a time.

A refused file shows its reason and the batch goes on; selected, it can be tried again (Retry,
once the file or its date was put right: kind, title and date are asked again) or taken off the
list. A PDF that needs a password asks for it (Enter password, or a double click on its row)
and is tried again. Locking the vault stops the running file (nothing of it is kept: imports are
all-or-nothing in the core) and clears the list. The rest of the window hears of imported
documents at most once a second (and when the batch ends), not per file: each notice reloads
document lists, which per file made the GUI thread stall through a large import.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from functools import partial
from pathlib import Path

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dossier.errors import AlreadyInCase, PasswordRequired, safe_text
from dossier.jobs import CancelToken, Progress, TimeLeft, throttled, time_left_text
from dossier.services.dto import DocumentInfo, ImportOutcome
from ui import heap, slices
from ui.case.import_dialog import ImportDialog, ImportRequest
from ui.case.import_list import (
    CANCELLED_STATE,
    DONE,
    FAILED,
    NEEDS_PASSWORD,
    RUNNING,
    WAITING,
    ImportListModel,
    ImportRow,
    ProgressDelegate,
)
from ui.errors import BUG, CANCELLED, failure_kind, message_for, sentence, show_crash
from ui.i18n import tr
from ui.state import AppState
from ui.widgets.outside_text import shown
from ui.worker import Job, named_pool, run_in_background

__all__ = [
    "CANCELLED_STATE",
    "DONE",
    "FAILED",
    "NEEDS_PASSWORD",
    "RUNNING",
    "WAITING",
    "ImportPanel",
    "ImportRow",
]

CHANGES_EVERY_MS = 1000
"""Least time between two notices that documents were imported."""
ROWS_PER_TURN = 1000
"""Most rows listed per turn of the event loop: a folder of 10,000 files is listed step by
step, never in one frozen frame."""
ROWS_SECONDS_PER_TURN = 0.025
"""And no more rows in a turn once this long was spent on them (the import runs beside it), or
once the turn's budget is spent (`ui.slices`: the outcomes and the documents tree share it)."""
FILES_PER_JOB = 100
"""Files handed to one `import_many` call (the core stores them in groups, one transaction
each): a cancel stops at most these, and a group's outcomes reach the window in short bursts."""
SUMMARY_EVERY_MS = 200
"""The counts above the list are written again at most this often during an import."""
IMPORT_ROWS_SHOWN = 2
"""Rows of the list the dock shows when it first appears (see `ImportPanel.sizeHint`)."""
PROGRESS_EVERY_S = 0.05
"""A job of many files tells its progress at most this often: each file's stages, hundreds a
second for small files, were as many row updates in one turn of the event loop (frames of
50-60 ms of the GUI thread's own time at the start of a 10,000-file import)."""


class _Outcomes(QObject):
    """Brings the files' outcomes from the worker to the GUI thread as the core reports them
    (made on the GUI thread, so its signal is queued there). The outcomes that arrive before
    the GUI thread takes them come with one signal: a group's hundred, one signal each, ran
    Python on the GUI thread a hundred times in a turn, each first waiting for the GIL that
    the import's threads hold (up to 5 ms a time)."""

    arrived = Signal()

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._held: list[ImportOutcome] = []

    def report(self, outcome: ImportOutcome) -> None:
        """On the worker's thread."""
        with self._lock:
            self._held.append(outcome)
            first = len(self._held) == 1
        if first:
            self.arrived.emit()

    def take(self) -> list[ImportOutcome]:
        with self._lock:
            taken, self._held = self._held, []
        return taken


class ImportPanel(QWidget):
    file_finished = Signal(str, str)
    """(file path, final state) for each file."""
    batch_finished = Signal()
    document_imported = Signal(object)
    status = Signal(str)
    """One line for the status bar while files are imported ("" once none is left)."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.batch: list[ImportRow] = []
        """The rows of the running job (one file through `import_file`, several through
        `import_many`)."""
        self._outcomes_due: deque[tuple[list[ImportRow], ImportOutcome | None, object]] = deque()
        self._outcomes_timer = QTimer(self)
        self._outcomes_timer.setSingleShot(True)
        self._outcomes_timer.setInterval(0)
        self._outcomes_timer.timeout.connect(self._show_due)
        self._summary_timer = QTimer(self)
        self._summary_timer.setSingleShot(True)
        self._summary_timer.setInterval(SUMMARY_EVERY_MS)
        self._summary_timer.timeout.connect(self._summarise)
        self._changed_cases: set[str] = set()
        self._changes_timer = QTimer(self)
        self._changes_timer.setSingleShot(True)
        self._changes_timer.setInterval(CHANGES_EVERY_MS)
        self._changes_timer.timeout.connect(self._announce_changes)
        self._queued: deque[tuple[str, ImportRequest]] = deque()
        """Files enqueued whose rows are not made yet."""
        self._rows_timer = QTimer(self)
        self._rows_timer.setSingleShot(True)
        self._rows_timer.setInterval(0)
        self._rows_timer.timeout.connect(self._more_rows)
        self.summary = QLabel(tr("No imports."))
        clear = QPushButton(tr("Clear finished"))
        clear.clicked.connect(self.clear_finished)
        cancel_all = QPushButton(tr("Cancel all"))
        cancel_all.clicked.connect(self.cancel_all)
        head = QHBoxLayout()
        head.addWidget(self.summary, 1)
        head.addWidget(cancel_all)
        head.addWidget(clear)
        self.model = ImportListModel(self)
        # A table, not a tree: a tree view lays every row out again as rows are added, asking
        # the model's Python for each (20,000 calls at 10,000 files, each taking the GIL from
        # the import's threads); a table asks only for the rows on screen.
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAccessibleName(tr("Import progress"))
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setTabKeyNavigation(False)  # Tab leaves the list, as from the tree it was
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setItemDelegateForColumn(ImportListModel.PROGRESS, ProgressDelegate(self.view))
        rows = self.view.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # 10,000 rows: none measured
        rows.setMinimumSectionSize(0)
        rows.setDefaultSectionSize(self.view.fontMetrics().height() + 4)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(ImportListModel.FILE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(ImportListModel.FILE, 220)
        header.resizeSection(ImportListModel.STAGE, 240)
        header.resizeSection(ImportListModel.PROGRESS, 120)
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.dataChanged.connect(self._current_changed)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.hide()
        self._refusal: ImportRow | None = None
        """The last row refused while none was current: its sentence is shown under the list,
        where the list's column cuts it and a tooltip is the only other way to read it."""
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.password_button = QPushButton(tr("Enter password…"))
        self.password_button.clicked.connect(self._password_for_current)
        self.retry_button = QPushButton(tr("Retry…"))
        self.retry_button.setToolTip(tr("Import this file again, after putting it right"))
        self.retry_button.clicked.connect(self._retry_current)
        self.remove_button = QPushButton(tr("Remove from list"))
        self.remove_button.clicked.connect(self.remove_selected)
        actions = QHBoxLayout()
        actions.addStretch(1)
        for button in (
            self.cancel_button, self.password_button, self.retry_button, self.remove_button
        ):  # fmt: skip
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(head)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.details)  # the dock's whole width: a sentence on a line or two
        layout.addLayout(actions)
        self._update_buttons()
        state.locking.connect(self._locking)

    def sizeHint(self) -> QSize:
        # The list's own hint (192 px) made the dock take a third of the window at its first
        # show, squeezing the viewer: a few rows are enough to follow an import, and the user
        # can pull the dock taller.
        hint = super().sizeHint()
        row = self.view.fontMetrics().height() + 8
        frame = 2 * self.view.frameWidth()
        shown = self.view.horizontalHeader().sizeHint().height() + IMPORT_ROWS_SHOWN * row + frame
        return QSize(hint.width(), hint.height() - self.view.sizeHint().height() + shown)

    # -- queue --------------------------------------------------------------------------------

    def enqueue(self, case_id: str, requests: list[ImportRequest]) -> list[ImportRow]:
        """Queue files; returns the rows made at once (all of them, up to `ROWS_PER_TURN`)."""
        if requests:
            heap.importing()
        self._queued.extend((case_id, request) for request in requests)
        added = self._make_rows()
        self._next()
        return added

    def _make_rows(self) -> list[ImportRow]:
        added: list[ImportRow] = []
        until = min(slices.begin(), time.perf_counter() + ROWS_SECONDS_PER_TURN)
        waiting = tr("Waiting")
        while self._queued and len(added) < ROWS_PER_TURN:
            if len(added) % 100 == 99 and time.perf_counter() > until:
                break
            case_id, request = self._queued.popleft()
            added.append(ImportRow(case_id, request, waiting))
        self.model.append(added)
        self._measure(added)
        slices.end(self._rows_timer if self._queued else None)
        self._summary_soon()
        return added

    def _measure(self, rows: list[ImportRow]) -> None:
        """The files' sizes, for the time left: read in a worker of their own (10,000 files
        on a slow disk), never on the GUI thread nor behind the import."""
        if not rows:
            return
        paths = [row.request.path for row in rows]
        run_in_background(
            lambda _progress, _cancel: [_size(path) for path in paths],
            on_success=partial(self.model.measured, rows),
            on_error=lambda _exc: None,  # no size, no bytes in the estimate: files still count
            parent=self,
            pool=named_pool("import-sizes"),
        )

    @property
    def rows(self) -> list[ImportRow]:
        return self.model.rows

    def _more_rows(self) -> None:
        self._make_rows()
        self._next()

    @property
    def running(self) -> ImportRow | None:
        return self.batch[0] if self.batch else None

    def _next(self) -> None:
        if self.batch:
            return
        first = next((r for r in self.rows if r.state == WAITING), None)
        if first is None and self._queued:
            return  # their rows come at the next turn
        if first is None:
            heap.imported()
            self.model.time_left = TimeLeft()  # the next files are timed afresh
            self._announce_changes()
            self._summarise()
            if self.rows:
                self.batch_finished.emit()
            return
        self.batch = [first]
        key, shares = _options(first)
        if shares:
            for row in self.rows[first.position + 1 :]:
                if len(self.batch) == FILES_PER_JOB:
                    break
                if row.state == WAITING and _options(row) == (key, True):
                    self.batch.append(row)
        for row in self.batch:
            row.cancel_asked = False
            row.set_state(RUNNING, tr("Starting…") if row is first else "")
        if len(self.batch) == 1:
            first.job = self._import_one(first)
        else:
            job = self._import_many(self.batch)
            for row in self.batch:
                row.job = job
        self._summary_soon()

    def _import_one(self, row: ImportRow) -> Job:
        """One file: every stage shown (reading, OCR, encrypting, indexing), a password asked."""
        ws, request = self.state.ws, row.request

        def work(progress: Progress, cancel: CancelToken) -> DocumentInfo:
            return ws.documents.import_file(
                row.case_id,
                request.path,
                kind=request.kind,
                title=request.title,
                date=request.date,
                ocr=request.ocr,
                password=request.password,
                progress=progress,
                cancel=cancel,
            )

        return run_in_background(
            work,
            on_success=partial(self._succeeded, row),
            on_error=partial(self._failed, row),
            on_progress=row.progress,
            parent=self,
        )

    def _import_many(self, rows: list[ImportRow]) -> Job:
        """Several files with the same options, stored in groups: each row hears of its file
        when the core reports it (a refusal at once, an import once its group is stored)."""
        ws, request, case_id = self.state.ws, rows[0].request, rows[0].case_id
        paths = [row.request.path for row in rows]
        outcomes = _Outcomes(self)

        def arrived() -> None:
            for outcome in outcomes.take():
                self._due(rows, outcome, None)

        outcomes.arrived.connect(arrived)

        def work(progress: Progress, cancel: CancelToken) -> list[ImportOutcome]:
            return ws.documents.import_many(
                case_id,
                paths,
                kind=request.kind,
                ocr=request.ocr,
                progress=throttled(progress, PROGRESS_EVERY_S),
                cancel=cancel,
                on_outcome=outcomes.report,
            )

        def ended() -> None:
            outcomes.deleteLater()

        return run_in_background(
            work,
            on_success=partial(self._many_done, rows),
            on_error=partial(self._many_failed, rows),
            on_progress=partial(self._many_progress, rows, [0]),
            on_finished=ended,
            parent=self,
        )

    def _many_progress(
        self, rows: list[ImportRow], read: list[int], fraction: float, message: str
    ) -> None:
        """`read` holds how many of the job's files were told they are read: reports come a
        few a second (`PROGRESS_EVERY_S`), and the files read between two are told too."""
        # The core reports (file number + the file's own fraction) / files.
        at = min(len(rows) - 1, max(0, int(fraction * len(rows) + 1e-9)))
        if rows[at].state == RUNNING:
            rows[at].progress(fraction * len(rows) - at, message)
        for row in rows[read[0] : at]:
            if row.state == RUNNING:
                row.set_stage(tr("Read; stored with the files around it…"))
        read[0] = max(read[0], at)

    def _due(self, rows: list[ImportRow], outcome: ImportOutcome | None, exc: object) -> None:
        """An outcome (or the job's end, `outcome` None) to show: a group stores up to
        hundreds of files at once, and their rows change a time slice per turn."""
        self._outcomes_due.append((rows, outcome, exc))
        if not self._outcomes_timer.isActive():
            self._outcomes_timer.start()

    def _show_due(self) -> None:
        until = slices.begin()
        while self._outcomes_due:
            rows, outcome, exc = self._outcomes_due.popleft()
            if outcome is not None:
                self._reported(rows, outcome)
            else:
                self._batch_ended(rows, exc if isinstance(exc, BaseException) else None)
            if self._outcomes_due and time.perf_counter() > until:
                slices.end(self._outcomes_timer)
                return
        slices.end()

    def _reported(self, rows: list[ImportRow], outcome: ImportOutcome) -> None:
        row = next(
            (r for r in rows if r.state == RUNNING and str(r.request.path) == outcome.path), None
        )
        if row is None or not row.listed:
            return
        text = sentence(safe_text(outcome.error or ""))
        if outcome.document is not None:
            self._imported(row, outcome.document)
        elif outcome.needs_password:
            row.set_state(NEEDS_PASSWORD, tr("Password needed"), text)
        elif outcome.already_as is not None:
            row.set_state(FAILED, tr("Already in the case"), text)
        else:
            row.set_state(FAILED, tr("Refused"), text)
        self.file_finished.emit(str(row.request.path), row.state)
        self._summary_soon()

    def _many_done(self, rows: list[ImportRow], outcomes: list[ImportOutcome]) -> None:
        for outcome in outcomes:  # each was reported already; this is only a safety net
            self._due(rows, outcome, None)
        self._due(rows, None, None)

    def _many_failed(self, rows: list[ImportRow], exc: BaseException) -> None:
        self._due(rows, None, exc)

    def _batch_ended(self, rows: list[ImportRow], exc: BaseException | None) -> None:
        """The files of the job not reported: cancelled if asked, back in the queue if
        another's cancel stopped them, refused with the job's failure otherwise."""
        told = False
        for row in rows:
            if row.state != RUNNING or not row.listed:
                continue
            if row.cancel_asked or exc is None or failure_kind(exc) != CANCELLED:
                if exc is not None and failure_kind(exc) != CANCELLED and not told:
                    told = True  # one crash dialog for the job, not one per file
                    self._failed_quietly(row, exc, tell=True)
                elif exc is not None and failure_kind(exc) != CANCELLED:
                    self._failed_quietly(row, exc, tell=False)
                else:
                    row.set_state(CANCELLED_STATE, tr("Cancelled: nothing was kept"))
                self.file_finished.emit(str(row.request.path), row.state)
            else:
                row.set_state(WAITING, tr("Waiting"))
        self.batch = []
        _settle_heap()
        self._next()

    def _imported(self, row: ImportRow, info: DocumentInfo) -> None:
        row.document = info
        row.set_state(DONE, tr("Imported"))
        self._changed_cases.add(row.case_id)
        if not self._changes_timer.isActive():
            self._changes_timer.start()
        self.document_imported.emit(info)

    def _succeeded(self, row: ImportRow, info: DocumentInfo) -> None:
        self._imported(row, info)
        self._finish(row)

    def _failed(self, row: ImportRow, exc: BaseException) -> None:
        self._failed_quietly(row, exc, tell=True)
        self._finish(row)

    def _failed_quietly(self, row: ImportRow, exc: BaseException, *, tell: bool) -> None:
        kind = failure_kind(exc)
        if isinstance(exc, AlreadyInCase):
            row.set_state(FAILED, tr("Already in the case"), message_for(exc))
        elif isinstance(exc, PasswordRequired):
            row.set_state(NEEDS_PASSWORD, tr("Password needed"), message_for(exc))
        elif kind == CANCELLED:
            row.set_state(CANCELLED_STATE, tr("Cancelled: nothing was kept"))
        elif kind == BUG:
            row.set_state(FAILED, tr("Failed"), tr("Dossier hit an internal error."))
            if tell:
                show_crash(self, exc)
        else:
            row.set_state(FAILED, tr("Refused"), message_for(exc))

    def _announce_changes(self) -> None:
        self._changes_timer.stop()
        changed, self._changed_cases = self._changed_cases, set()
        for case_id in sorted(changed):
            self.state.documents_changed.emit(case_id)

    def _finish(self, row: ImportRow) -> None:
        self.batch = []
        _settle_heap()
        self.file_finished.emit(str(row.request.path), row.state)
        self._next()

    # -- user actions -------------------------------------------------------------------------

    def selected(self) -> list[ImportRow]:
        """The rows selected in the list, in its order."""
        positions = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [self.rows[p] for p in positions if p < len(self.rows)]

    def select(self, rows: list[ImportRow]) -> None:
        """Select `rows` in the list (the first one current)."""
        selection = self.view.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        selection.clearSelection()
        for row in rows:
            if row.listed:
                selection.select(self.model.index(row.position, 0), flags)
        if rows and rows[0].listed:
            selection.setCurrentIndex(
                self.model.index(rows[0].position, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )
        self._update_buttons()

    def _current(self) -> ImportRow | None:
        return self.model.row_at(self.view.selectionModel().currentIndex())

    def _update_buttons(self, *_: object) -> None:
        chosen = self.selected()
        current = self._current()
        self.cancel_button.setEnabled(any(r.can_cancel for r in chosen))
        self.remove_button.setEnabled(any(r.can_remove for r in chosen))
        self.retry_button.setEnabled(current is not None and current.can_retry)
        self.password_button.setEnabled(current is not None and current.state == NEEDS_PASSWORD)
        self._show_details(current)

    def _current_changed(self, top: QModelIndex, bottom: QModelIndex, *_: object) -> None:
        current = self._current()
        if current is not None and top.row() <= current.position <= bottom.row():
            self._update_buttons()
        elif current is None:
            changed = self.rows[top.row() : bottom.row() + 1]
            refused = [r for r in changed if r.reason and r.state in (FAILED, NEEDS_PASSWORD)]
            if refused:
                self._refusal = refused[-1]
                self._show_details(None)

    def _show_details(self, row: ImportRow | None) -> None:
        """The current row's whole reason (or what is inside it), word-wrapped under the
        list: the list's column shows only its start."""
        text = row.reason or row.inside if row is not None else ""
        last = self._refusal
        if row is None and last is not None and last.listed and last.reason:
            text = tr("{name}: {message}").format(
                name=shown(last.request.path.name), message=last.reason
            )
        self.details.setText(text)
        refusal = bool(row.reason) if row is not None else bool(text)
        self.details.setStyleSheet("color: #b00020;" if refusal else "")
        self.details.setVisible(bool(text))

    def _double_clicked(self, index: QModelIndex) -> None:
        row = self.model.row_at(index)
        if row is not None and row.state == NEEDS_PASSWORD:
            self.ask_password(row)

    def _password_for_current(self) -> None:
        row = self._current()
        if row is not None and row.state == NEEDS_PASSWORD:
            self.ask_password(row)

    def _retry_current(self) -> None:
        row = self._current()
        if row is not None:
            self.retry(row)

    def cancel_selected(self) -> None:
        for row in self.selected():
            self.cancel(row)

    def remove_selected(self) -> None:
        self.remove(*self.selected())

    def cancel(self, row: ImportRow, *_: object) -> None:
        if row.state == RUNNING and row.job is not None:
            row.set_stage(tr("Cancelling…"))
            row.cancel_asked = True
            row.job.cancel()
        elif row.state == WAITING:
            row.set_state(CANCELLED_STATE, tr("Cancelled"))
            self.file_finished.emit(str(row.request.path), row.state)
            self._summary_soon()

    def cancel_all(self) -> None:
        queued, self._queued = self._queued, deque()
        self._rows_timer.stop()
        for row in list(self.rows):
            self.cancel(row)
        for _case_id, request in queued:
            self.file_finished.emit(str(request.path), CANCELLED_STATE)
        self._summarise()

    def ask_password(self, row: ImportRow, *_: object) -> None:
        password, ok = QInputDialog.getText(
            self,
            tr("Protected PDF"),
            tr("Password of {name}:").format(name=shown(row.request.path.name)),
            QLineEdit.EchoMode.Password,
        )
        if ok and password:
            self.retry_with_password(row, password)

    def retry_with_password(self, row: ImportRow, password: str) -> None:
        row.request.password = password
        row.percent = 0
        row.set_state(WAITING, tr("Waiting"))
        self._next()

    def ask_options(self, request: ImportRequest) -> ImportRequest | None:
        """The import dialog for one file, filled with what was given before (tests answer
        it instead)."""
        dialog = ImportDialog([request.path], request.kind, parent=self)
        dialog.set_row(0, kind=request.kind, title=request.title or "", date=request.date or "")
        dialog.ocr.setChecked(request.ocr)
        if not dialog.exec():
            return None
        (again,) = dialog.requests()
        again.password = request.password
        return again

    def retry(self, row: ImportRow, *_: object) -> None:
        """Import a refused (or cancelled) file again, its kind, title and date asked again."""
        if not row.can_retry or not self.state.is_unlocked:
            return
        request = self.ask_options(row.request)
        if request is None or not row.listed:
            return
        row.restart(request)
        self._summarise()
        self._next()

    def remove(self, *rows: ImportRow) -> None:
        """Take finished rows off the list (an imported file's row only with Clear finished:
        a refused one is what the journalist has left to deal with)."""
        self.model.remove(row for row in rows if row.can_remove)
        self._summarise()
        self._update_buttons()

    def clear_finished(self) -> None:
        self.model.remove([r for r in self.rows if r.finished])
        self._summarise()
        self._update_buttons()

    def _locking(self) -> None:
        # The running job is abandoned by the window (worker.abandon_all); forget every row.
        for row in self.rows:
            if row.job is not None:
                row.job.abandon()
        self.model.clear()
        self._queued = deque()
        self._rows_timer.stop()
        self.batch = []
        self._summary_timer.stop()
        self._outcomes_due.clear()
        self._outcomes_timer.stop()
        self._changes_timer.stop()
        self._changed_cases.clear()
        heap.imported()
        self._summarise()
        self._update_buttons()

    def _summary_soon(self) -> None:
        if not self._summary_timer.isActive():
            self._summary_timer.start()

    def _summarise(self) -> None:
        self._summary_timer.stop()
        if not self.rows:
            self.summary.setText(tr("No imports."))
            self.status.emit("")
            return
        counts = self.model.counts
        done = counts[DONE]
        failed = counts[FAILED] + counts[NEEDS_PASSWORD]
        left = counts[WAITING] + counts[RUNNING] + len(self._queued)
        text = tr("{done} imported, {failed} refused, {left} to go").format(
            done=done, failed=failed, left=left
        )
        if not self.batch:
            self.summary.setText(text)
            self.status.emit("")
            return
        self._summary_timer.start()  # the time left changes while a long file is read, too
        seconds = self.model.time_left.seconds()
        if seconds is not None:
            text = tr("{counts} — {time_left}").format(
                counts=text, time_left=time_left_text(seconds)
            )
        self.summary.setText(text)
        total = len(self.rows) + len(self._queued)
        line = tr("Importing: {done} of {total} files").format(done=total - left, total=total)
        if seconds is not None:
            line = tr("{counts} — {time_left}").format(
                counts=line, time_left=time_left_text(seconds)
            )
        self.status.emit(line)


def _options(row: ImportRow) -> tuple[tuple[str, str, bool], bool]:
    """What files must share to be imported in one job, and whether this row may share one
    at all (a title, a date or a password is given for one file only)."""
    request = row.request
    alone = request.title is not None or request.date is not None or bool(request.password)
    return (row.case_id, request.kind, request.ocr), not alone


def _size(path: Path) -> int | None:
    try:
        return path.lstat().st_size  # a link is refused, not followed
    except OSError:
        return None


def _settle_heap() -> None:
    """After each job, what it left alive (rows, documents shown) is set aside from the
    collector (`ui.heap`). Left in, the collector's full passes (which stop every thread) went
    over all of it again and again: 60 to 90 ms each, every few seconds, through a 1,000-file
    import. The collection first frees the job's garbage (catalog rows in cycles) and costs
    only what was made since the last job; the window unfreezes and collects everything at
    lock."""
    heap.settle()
