"""Imports in progress: one row per file (stage, progress, cancel), one file at a time.

A refused file shows its reason and the batch goes on; its row offers Retry (once the file or
its date was put right: kind, title and date are asked again) and Remove from list. A PDF that
needs a password asks for it on its row and is tried again. Locking the vault stops the running
file (nothing of it is kept: imports are all-or-nothing in the core) and clears the list. The
rest of the window hears of imported documents at most once a second (and when the batch ends),
not per file: each notice reloads document lists, which per file made the GUI thread stall
through a large import.
"""

from __future__ import annotations

import gc
import re
import time
from collections import deque
from functools import partial

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from dossier.errors import AlreadyInCase, PasswordRequired, safe_text
from dossier.jobs import CancelToken, Progress
from dossier.services.dto import DocumentInfo, ImportOutcome
from ui.case.import_dialog import ImportDialog, ImportRequest
from ui.errors import BUG, CANCELLED, failure_kind, message_for, sentence, show_crash
from ui.i18n import tr
from ui.state import AppState
from ui.widgets.outside_text import shown
from ui.worker import Job, run_in_background

CHANGES_EVERY_MS = 1000
"""Least time between two notices that documents were imported."""
ROWS_PER_TURN = 40
"""Most rows made per turn of the event loop: a folder of 10,000 files is listed step by step,
never in one frozen frame."""
ROWS_SECONDS_PER_TURN = 0.025
FILES_PER_JOB = 100
"""Files handed to one `import_many` call (the core stores them in groups, one transaction
each): a cancel stops at most these, and a group's outcomes reach the window in short bursts."""
SUMMARY_EVERY_MS = 200
"""The counts above the list are written again at most this often during an import."""
"""And no more rows in a turn once this long was spent on them: a row is 1.5 ms of widgets on
an idle machine but several times that while the import runs beside it."""

WAITING, RUNNING, DONE, FAILED, CANCELLED_STATE, NEEDS_PASSWORD = (
    "waiting", "running", "done", "failed", "cancelled", "password"
)  # fmt: skip


_CHILD = re.compile(r"^(?:.*: )?[a-z ]+? (\d+) of (\d+): (.+)$")
"""How the import names a file coming out of another: "message 12 of 1000: Re: budget.eml"."""
_CHILDREN_SHOWN = 3


class _Outcomes(QObject):
    """Brings each file's outcome from the worker to the GUI thread as the core reports it
    (made on the GUI thread, so its signal is queued there)."""

    reported = Signal(object)


class ImportRow(QWidget):
    def __init__(self, case_id: str, request: ImportRequest, parent: QWidget | None = None):
        super().__init__(parent)
        self.case_id = case_id
        self.request = request
        self.state = WAITING
        self.job: Job | None = None
        self.cancel_asked = False
        """Cancel was pressed while its job ran: the job's other files go back to waiting."""
        self.document: DocumentInfo | None = None
        self.name = QLabel(shown(request.path.name))
        self.name.setToolTip(shown(str(request.path)))
        self.name.setMinimumWidth(160)
        self.stage = QLabel(tr("Waiting"))
        self.stage.setMinimumWidth(200)
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setValue(0)
        self.bar.setAccessibleName(tr("Import progress"))
        self.cancel_button = QPushButton(tr("Cancel"))
        self.password_button = QPushButton(tr("Enter password…"))
        self.password_button.hide()
        self.retry_button = QPushButton(tr("Retry…"))
        self.retry_button.setToolTip(tr("Import this file again, after putting it right"))
        self.retry_button.hide()
        self.remove_button = QPushButton(tr("Remove from list"))
        self.remove_button.hide()
        self.inside = QLabel()
        self.inside.setWordWrap(True)
        self.inside.hide()
        self.children_seen: list[str] = []
        self.children_total = 0
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("color: #b00020;")
        self.reason.hide()
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 2, 4, 2)
        grid.addWidget(self.name, 0, 0)
        grid.addWidget(self.stage, 0, 1)
        grid.addWidget(self.bar, 0, 2)
        grid.addWidget(self.cancel_button, 0, 3)
        grid.addWidget(self.password_button, 0, 4)
        grid.addWidget(self.retry_button, 0, 5)
        grid.addWidget(self.remove_button, 0, 6)
        grid.addWidget(self.inside, 1, 0, 1, 7)
        grid.addWidget(self.reason, 2, 0, 1, 7)
        grid.setColumnStretch(2, 1)

    @property
    def finished(self) -> bool:
        return self.state in (DONE, FAILED, CANCELLED_STATE, NEEDS_PASSWORD)

    def progress(self, fraction: float, message: str) -> None:
        self.bar.setValue(round(fraction * 100))
        message = shown(message)  # it names the files found inside this one
        self.stage.setText(message)
        child = _CHILD.match(message)
        if child is not None:  # a file coming out of a mailbox, a message or an archive
            self.children_total = int(child.group(2))
            self.children_seen.append(child.group(3))
            last = ", ".join(self.children_seen[-_CHILDREN_SHOWN:])
            earlier = "…, " if len(self.children_seen) > _CHILDREN_SHOWN else ""
            self.inside.setText(
                tr("Inside: {done} of {total}: {names}").format(
                    done=child.group(1), total=self.children_total, names=earlier + last
                )
            )
            self.inside.show()

    def set_state(self, state: str, text: str = "", reason: str = "") -> None:
        self.state = state
        if text:
            self.stage.setText(text)
        self.reason.setText(reason)
        self.reason.setVisible(bool(reason))
        self.cancel_button.setVisible(state in (WAITING, RUNNING))
        self.password_button.setVisible(state == NEEDS_PASSWORD)
        self.retry_button.setVisible(state in (FAILED, CANCELLED_STATE))
        self.remove_button.setVisible(state in (FAILED, CANCELLED_STATE, NEEDS_PASSWORD))
        if state == DONE:
            self.bar.setValue(100)
            if self.children_total:
                self.inside.setText(
                    tr("Imported with the {count} files inside it, each a document").format(
                        count=self.children_total
                    )
                )
        elif state in (FAILED, CANCELLED_STATE):
            self.inside.hide()

    def restart(self, request: ImportRequest) -> None:
        """Back in the queue with `request` (the same file, its options perhaps changed)."""
        self.request = request
        self.name.setText(shown(request.path.name))
        self.bar.setValue(0)
        self.children_seen.clear()
        self.children_total = 0
        self.inside.hide()
        self.set_state(WAITING, tr("Waiting"))


class ImportPanel(QWidget):
    file_finished = Signal(str, str)
    """(file path, final state) for each file."""
    batch_finished = Signal()
    document_imported = Signal(object)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.rows: list[ImportRow] = []
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
        self.list = QWidget()
        self.list_layout = QVBoxLayout(self.list)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.list)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(head)
        layout.addWidget(scroll, 1)
        state.locking.connect(self._locking)

    # -- queue --------------------------------------------------------------------------------

    def enqueue(self, case_id: str, requests: list[ImportRequest]) -> list[ImportRow]:
        """Queue files; returns the rows made at once (all of them, up to `ROWS_PER_TURN`)."""
        self._queued.extend((case_id, request) for request in requests)
        added = self._make_rows()
        self._next()
        return added

    def _make_rows(self) -> list[ImportRow]:
        added: list[ImportRow] = []
        started = time.perf_counter()
        while self._queued and len(added) < ROWS_PER_TURN:
            if added and time.perf_counter() - started > ROWS_SECONDS_PER_TURN:
                break
            case_id, request = self._queued.popleft()
            row = ImportRow(case_id, request)
            row.cancel_button.clicked.connect(partial(self.cancel, row))
            row.password_button.clicked.connect(partial(self.ask_password, row))
            row.retry_button.clicked.connect(partial(self.retry, row))
            row.remove_button.clicked.connect(partial(self.remove, row))
            self.list_layout.insertWidget(self.list_layout.count() - 1, row)
            self.rows.append(row)
            added.append(row)
        if self._queued:
            self._rows_timer.start()
        self._summary_soon()
        return added

    def _more_rows(self) -> None:
        self._make_rows()
        self._next()

    @property
    def running(self) -> ImportRow | None:
        return self.batch[0] if self.batch else None

    def _next(self) -> None:
        if self.batch:
            return
        waiting = [r for r in self.rows if r.state == WAITING]
        if not waiting and self._queued:
            return  # their rows come at the next turn
        if not waiting:
            self._announce_changes()
            self._summarise()
            if self.rows:
                self.batch_finished.emit()
            return
        first = waiting[0]
        key, shares = _options(first)
        together = [r for r in waiting[1:] if _options(r) == (key, True)] if shares else []
        self.batch = [first, *together[: FILES_PER_JOB - 1]]
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
        outcomes.reported.connect(lambda outcome: self._due(rows, outcome, None))

        def work(progress: Progress, cancel: CancelToken) -> list[ImportOutcome]:
            return ws.documents.import_many(
                case_id,
                paths,
                kind=request.kind,
                ocr=request.ocr,
                progress=progress,
                cancel=cancel,
                on_outcome=outcomes.reported.emit,
            )

        def ended() -> None:
            outcomes.deleteLater()

        return run_in_background(
            work,
            on_success=partial(self._many_done, rows),
            on_error=partial(self._many_failed, rows),
            on_progress=partial(self._many_progress, rows),
            on_finished=ended,
            parent=self,
        )

    def _many_progress(self, rows: list[ImportRow], fraction: float, message: str) -> None:
        # The core reports (file number + the file's own fraction) / files.
        at = min(len(rows) - 1, max(0, int(fraction * len(rows) + 1e-9)))
        if rows[at].state == RUNNING:
            rows[at].progress(fraction * len(rows) - at, message)
        if at and rows[at - 1].state == RUNNING:
            rows[at - 1].stage.setText(tr("Read; stored with the files around it…"))

    def _due(self, rows: list[ImportRow], outcome: ImportOutcome | None, exc: object) -> None:
        """An outcome (or the job's end, `outcome` None) to show: a group stores up to
        hundreds of files at once, and their rows change a time slice per turn."""
        self._outcomes_due.append((rows, outcome, exc))
        if not self._outcomes_timer.isActive():
            self._outcomes_timer.start()

    def _show_due(self) -> None:
        started = time.perf_counter()
        while self._outcomes_due:
            if time.perf_counter() - started > ROWS_SECONDS_PER_TURN:
                self._outcomes_timer.start()
                return
            rows, outcome, exc = self._outcomes_due.popleft()
            if outcome is not None:
                self._reported(rows, outcome)
            else:
                self._batch_ended(rows, exc if isinstance(exc, BaseException) else None)

    def _reported(self, rows: list[ImportRow], outcome: ImportOutcome) -> None:
        row = next(
            (r for r in rows if r.state == RUNNING and str(r.request.path) == outcome.path), None
        )
        if row is None or row not in self.rows:
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
            if row.state != RUNNING or row not in self.rows:
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

    def cancel(self, row: ImportRow, *_: object) -> None:
        if row.state == RUNNING and row.job is not None:
            row.stage.setText(tr("Cancelling…"))
            row.cancel_asked = True
            row.job.cancel()
        elif row.state == WAITING:
            row.set_state(CANCELLED_STATE, tr("Cancelled"))
            self.file_finished.emit(str(row.request.path), row.state)
            self._summarise()

    def cancel_all(self) -> None:
        queued, self._queued = self._queued, deque()
        self._rows_timer.stop()
        for row in list(self.rows):
            self.cancel(row)
        for _case_id, request in queued:
            self.file_finished.emit(str(request.path), CANCELLED_STATE)

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
        row.bar.setValue(0)
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
        if row.state not in (FAILED, CANCELLED_STATE) or not self.state.is_unlocked:
            return
        request = self.ask_options(row.request)
        if request is None or row not in self.rows:
            return
        row.restart(request)
        self._summarise()
        self._next()

    def remove(self, row: ImportRow, *_: object) -> None:
        """Take a finished row off the list."""
        if row.finished and row in self.rows:
            self.rows.remove(row)
            row.deleteLater()
            self._summarise()

    def clear_finished(self) -> None:
        for row in [r for r in self.rows if r.finished]:
            self.rows.remove(row)
            row.deleteLater()
        self._summarise()

    def _locking(self) -> None:
        # The running job is abandoned by the window (worker.abandon_all); forget every row.
        for row in self.rows:
            if row.job is not None:
                row.job.abandon()
            row.deleteLater()
        self.rows = []
        self._queued = deque()
        self._rows_timer.stop()
        self.batch = []
        self._summary_timer.stop()
        self._outcomes_due.clear()
        self._outcomes_timer.stop()
        self._changes_timer.stop()
        self._changed_cases.clear()
        self._summarise()

    def _summary_soon(self) -> None:
        # Counting 10,000 rows after every file would be most of a frame: a few times a second.
        if not self._summary_timer.isActive():
            self._summary_timer.start()

    def _summarise(self) -> None:
        self._summary_timer.stop()
        if not self.rows:
            self.summary.setText(tr("No imports."))
            return
        done = sum(r.state == DONE for r in self.rows)
        failed = sum(r.state in (FAILED, NEEDS_PASSWORD) for r in self.rows)
        left = sum(r.state in (WAITING, RUNNING) for r in self.rows) + len(self._queued)
        self.summary.setText(
            tr("{done} imported, {failed} refused, {left} to go").format(
                done=done, failed=failed, left=left
            )
        )


def _options(row: ImportRow) -> tuple[tuple[str, str, bool], bool]:
    """What files must share to be imported in one job, and whether this row may share one
    at all (a title, a date or a password is given for one file only)."""
    request = row.request
    alone = request.title is not None or request.date is not None or bool(request.password)
    return (row.case_id, request.kind, request.ocr), not alone


def _settle_heap() -> None:
    """After each job, what it left alive (rows, documents shown) is set aside from the
    collector. Left in, the collector's full passes (which stop every thread) went over all of
    it again and again: 60 to 90 ms each, every few seconds, through a 1,000-file import. The
    collection first frees the job's garbage (catalog rows in cycles) and costs only what was
    made since the last job; the window unfreezes and collects everything at lock."""
    gc.collect()
    gc.freeze()
