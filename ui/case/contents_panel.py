"""A case's contents as tabs, registered in one place (`CASE_TABS`).

Each tab is a widget with `title()`, `load(case_id)` and `clear()`; it talks to the rest of
the window through `AppState` (open a document, select an item). `CASE_TABS` lists them in
order; the search tab is registered last. A tab that reads its case on the GUI thread says
so (`lazy = True`): behind another, it reads the case when first shown or asked for
(`ContentsPanel.tab`), not at every unlock and case switch.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Protocol

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from dossier.jobs import CancelToken, Progress
from dossier.services.dto import DocumentChanges, DocumentInfo
from ui import slices
from ui.case.documents_model import DocumentsModel
from ui.errors import show_error
from ui.export.redactions_tab import RedactionsTab
from ui.i18n import tr
from ui.letters.letters_tab import LettersTab
from ui.people.people_tab import PeopleTab
from ui.quotes.quotes_tab import QuotesTab
from ui.state import AppState
from ui.timeline.timeline_tab import TimelineTab
from ui.widgets.confirm import delete_if_confirmed
from ui.worker import Job, run_in_background


class CaseTab(Protocol):
    lazy: bool
    """Whether the tab reads its case on the GUI thread (then only once it is looked at)."""

    def title(self) -> str: ...
    def load(self, case_id: str) -> None: ...
    def clear(self) -> None: ...


REFRESH_AFTER_MS = 150
"""A notice of changed documents is answered at once; those that follow it closer than this
are answered once, together, at the end of that time (an import's file was shown that much
later, after a timer every notice waited for)."""
ROWS_PER_PART = 25
"""The rows a read brings are put in the tree in parts, until the turn's budget is spent
(`ui.slices`): a notice during a large import brings a second's worth of files (hundreds),
which put in at once held the GUI thread 40-100 ms."""


WIDEST_DATE = "0000-00-00"
WIDEST_PAGES = "00000"
"""The date and page count columns are as wide as these: sized to their contents, they went
over the rows on screen and a thousand more at each part of an import put in (6 ms a part at
10,000 documents), and a date and a count are never wider."""


def _parts(changes: DocumentChanges) -> list[DocumentChanges]:
    """`changes` as parts of `ROWS_PER_PART` documents, each after its parents (a parent put
    in after its attachment would make the tree build itself anew)."""
    changed = {doc.id: doc for doc in changes.changed}

    def depth(doc: DocumentInfo) -> int:
        seen = 0
        while doc.parent_id in changed and seen <= len(changed):
            doc, seen = changed[str(doc.parent_id)], seen + 1
        return seen

    ordered = sorted(changes.changed, key=depth)
    return [
        replace(changes, changed=ordered[at : at + ROWS_PER_PART])
        for at in range(0, max(1, len(ordered)), ROWS_PER_PART)
    ]


class DocumentsTab(QWidget):
    """The case's documents. They are read in the worker (titles are decrypted there) and
    the tree changes only the rows that changed: a large import stays a series of short
    frames, never a reload of every document on the GUI thread."""

    lazy = False  # read in a worker, and the tab the window opens on

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.case_id = ""
        self.job: Job | None = None
        self._marker: datetime | None = None
        """When the tree's documents were last read (`documents.changes`)."""
        self._seen: Mapping[str, str] = {}
        """The last read's `recent`: the documents edited lately that the tree holds as they
        are, not read again while their edit is within the margin."""
        self._again = False
        self._whole = True
        self._people_version = 0
        """Bumped at each change to the names shown: a read begun before one is not shown."""
        self._parts: deque[DocumentChanges] = deque()
        """What a read brought and the tree does not show yet (`_put_parts`)."""
        self._parts_timer = QTimer(self)
        self._parts_timer.setSingleShot(True)
        self._parts_timer.setInterval(0)
        self._parts_timer.timeout.connect(self._put_parts)
        self._notices = QTimer(self)
        self._notices.setSingleShot(True)
        self._notices.setInterval(REFRESH_AFTER_MS)
        self._notices.timeout.connect(self._quiet)
        self._noticed = False
        """A notice came after the last one answered, within `REFRESH_AFTER_MS`."""
        self.model = DocumentsModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setAccessibleName(tr("Documents"))
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, widest in ((1, WIDEST_DATE), (2, WIDEST_PAGES)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, self._width_of(column, widest))
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu)
        self.tree.activated.connect(self._open)
        self.tree.clicked.connect(self._open)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)
        state.documents_changed.connect(self._documents_changed)
        state.people_changed.connect(self._people_changed)

    def _width_of(self, column: int, widest: str) -> int:
        """What the column needs for `widest` (and its name), as its contents would size it."""
        margin = self.tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1
        text = self.tree.fontMetrics().horizontalAdvance(widest) + 2 * margin
        return max(text, self.tree.header().sectionSizeHint(column))

    def title(self) -> str:
        return tr("Documents")

    def load(self, case_id: str) -> None:
        self.clear()
        self.case_id = case_id
        self.refresh()

    def clear(self) -> None:
        if self.job is not None:
            self.job.abandon()
            self.job = None
        self._notices.stop()
        self._noticed = False
        self._parts.clear()
        self._parts_timer.stop()
        self._again, self._whole, self._marker, self._seen = False, True, None, {}
        self.model.clear_documents()

    @property
    def busy(self) -> bool:
        """Whether the tree is behind the catalog (a read running or due)."""
        return self._noticed or bool(self._parts) or (self.job is not None and not self.job.done)

    def refresh(self) -> None:
        """Read what changed since the last read in the worker, then show it."""
        if not self.case_id or not self.state.is_unlocked:
            return
        if (self.job is not None and not self.job.done) or self._parts:
            self._again = True  # read once the tree shows what the last read brought
            return
        ws, case_id, whole = self.state.ws, self.case_id, self._whole
        known = frozenset() if whole else self.model.document_ids()
        since, seen = (None, {}) if whole else (self._marker, self._seen)
        reveal = ws.screen.revealed(case_id)
        self._whole = False
        version = self._people_version

        def work(_progress: Progress, _cancel: CancelToken) -> DocumentChanges:
            return ws.documents.changes(case_id, known=known, since=since, reveal=reveal, seen=seen)

        self.job = run_in_background(
            work,
            on_success=partial(self._show_changes, case_id, version),
            on_error=partial(self._failed, whole),
            on_finished=self._read,
            parent=self,
        )

    def _show_changes(self, case_id: str, version: int, changes: DocumentChanges) -> None:
        if case_id != self.case_id or version != self._people_version:
            return  # another case, or names read before they were hidden (read whole again)
        self._marker, self._seen = changes.marker, changes.recent
        # A whole read (unlock, a case switch, names masked or revealed) goes in by parts too:
        # 10,000 rows put in at once held the GUI thread 370 ms in one frame.
        self._parts.extend(_parts(changes))
        self._put_parts()

    def _put_parts(self) -> None:
        until = slices.begin()
        while self._parts:
            for item in self.model.apply(self._parts.popleft()):
                self.tree.expand(item.index())
            if self._parts and time.perf_counter() > until:
                slices.end(self._parts_timer)
                return
        slices.end()
        if self.job is None or self.job.done:
            self._read()

    def _failed(self, whole: bool, exc: BaseException) -> None:
        self._whole = self._whole or whole
        show_error(self, exc)

    def _read(self) -> None:
        if self._again:
            self._again = False
            self.refresh()

    def _documents_changed(self, case_id: str) -> None:
        if case_id == self.case_id:
            self._notice()

    def _notice(self) -> None:
        if self._notices.isActive():
            self._noticed = True  # answered with the others at the end of the time
            return
        self._notices.start()
        self.refresh()

    def _quiet(self) -> None:
        if self._noticed:
            self._noticed = False
            self._notice()

    def _people_changed(self, case_id: str) -> None:
        # Names revealed or masked again: every title is shown anew.
        if case_id == self.case_id:
            self._people_version += 1
            self._parts.clear()  # read before the change: they may show a name now masked
            if self.state.is_unlocked and not self.state.ws.screen.revealed(case_id):
                # The rows on show may hold a name masked from now on: they go at once, not
                # when the read below comes back (behind an import's, seconds maybe).
                self.model.clear_documents()
            self._whole = True
            self._notice()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        doc = self.model.document_at(current)
        if doc is not None:
            self.state.select_item("document", doc)

    def _open(self, index: QModelIndex) -> None:
        doc = self.model.document_at(index)
        if doc is not None:
            self.state.open_document(doc.id)

    def _menu(self, point: QPoint) -> None:
        doc = self.model.document_at(self.tree.indexAt(point))
        if doc is None:
            return
        menu = QMenu(self)
        open_action = QAction(tr("Open"), menu)
        open_action.triggered.connect(lambda: self.state.open_document(doc.id))
        delete_action = QAction(tr("Delete document…"), menu)
        delete_action.triggered.connect(lambda: self.delete_document(doc.id, doc.title))
        menu.addAction(open_action)
        menu.addAction(delete_action)
        menu.exec(self.tree.viewport().mapToGlobal(point))

    def delete_document(self, doc_id: str, title: str) -> None:
        if not delete_if_confirmed(
            self,
            tr("Delete document"),
            tr("Delete “{title}” from the case? Its original and its text are destroyed.").format(
                title=title
            ),
            lambda: self.state.ws.documents.delete(doc_id),
            warning=True,
        ):
            return
        self.state.documents_changed.emit(self.case_id)


TabFactory = Callable[[AppState], QWidget]
CASE_TABS: list[TabFactory] = [
    DocumentsTab,
    PeopleTab,
    QuotesTab,
    LettersTab,
    TimelineTab,
    RedactionsTab,
]
"""Tabs shown for a case, in order (the search tab is added after them by the window)."""


TAB_PADDING = 12
"""Pixels of room around a tab's name (Fusion gives 24): seven names fit a laptop's pane."""


class CompactTabs(QProxyStyle):
    """The application's style with tighter tabs, so every tab's whole name stays readable."""

    def pixelMetric(
        self,
        metric: QStyle.PixelMetric,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
    ) -> int:
        if metric == QStyle.PixelMetric.PM_TabBarTabHSpace:
            return TAB_PADDING
        return super().pixelMetric(metric, option, widget)


class ContentsPanel(QTabWidget):
    def __init__(
        self, state: AppState, extra: list[TabFactory] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.tabs: list[QWidget] = []
        # Every tab stays in sight on a laptop, never behind scroll arrows (Search, the last
        # tab, was out of reach at 1366×768), and every name stays whole: the tabs are compact
        # and the pane is never narrower than their names (French ones are longer).
        bar = self.tabBar()
        self._tab_style = CompactTabs(bar.style().name())
        bar.setStyle(self._tab_style)
        bar.setUsesScrollButtons(False)
        bar.setElideMode(Qt.TextElideMode.ElideRight)  # only if the window itself is too small
        bar.setExpanding(False)
        self._due: dict[QWidget, str] = {}
        """Lazy tabs behind another and the case each reads once it is shown or asked for: at
        unlock and at each case switch the quotes, redactions, timeline, people and letters
        tabs each read the case on the GUI thread (the quotes and redactions tabs every
        document's title), for tabs nobody looked at (and every UI test paid for them)."""
        for factory in [*CASE_TABS, *(extra or [])]:
            self.add_tab(factory(state))
        self.setMinimumWidth(self.names_width())
        self.currentChanged.connect(lambda index: self._catch_up(self.widget(index)))
        state.case_changed.connect(self.load)
        state.locked.connect(self.clear)

    def add_tab(self, tab: QWidget) -> None:
        self.tabs.append(tab)
        index = self.addTab(tab, tab.title())  # type: ignore[attr-defined]
        self.setTabToolTip(index, tab.title())  # type: ignore[attr-defined]

    def names_width(self) -> int:
        """The width this panel needs for every tab to show its whole name."""
        bar = self.tabBar()
        tabs = sum(bar.tabSizeHint(index).width() for index in range(bar.count()))
        frame = self.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, self)
        return tabs + 2 * frame + 4

    def tab(self, kind: type) -> QWidget | None:
        """The tab of that kind, its case read if it was waiting to be shown (whoever asks
        for a tab means to use what it shows)."""
        found = next((t for t in self.tabs if isinstance(t, kind)), None)
        if found is not None:
            self._catch_up(found)
        return found

    def load(self, case_id: str) -> None:
        self._due.clear()
        current = self.currentWidget()
        for tab in self.tabs:
            if getattr(tab, "lazy", False) and tab is not current:
                tab.clear()  # type: ignore[attr-defined]  # the last case's rows go now
                self._due[tab] = case_id
            else:
                tab.load(case_id)  # type: ignore[attr-defined]

    def _catch_up(self, tab: QWidget | None) -> None:
        case_id = self._due.pop(tab, None) if tab is not None else None
        if case_id is not None:
            tab.load(case_id)  # type: ignore[union-attr]

    def clear(self) -> None:
        self._due.clear()
        for tab in self.tabs:
            tab.clear()  # type: ignore[attr-defined]
