"""A case's contents as tabs, registered in one place (`CASE_TABS`).

Each tab is a widget with `title()`, `load(case_id)` and `clear()`; it talks to the rest of
the window through `AppState` (open a document, select an item). `CASE_TABS` lists them in
order; the search tab is registered last.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QModelIndex, QPoint, Qt
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

from dossier.errors import DossierError
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


class CaseTab(Protocol):
    def title(self) -> str: ...
    def load(self, case_id: str) -> None: ...
    def clear(self) -> None: ...


class DocumentsTab(QWidget):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.case_id = ""
        self.model = DocumentsModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setAccessibleName(tr("Documents"))
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu)
        self.tree.activated.connect(self._open)
        self.tree.clicked.connect(self._open)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)
        state.documents_changed.connect(self._documents_changed)
        # Names revealed or masked again: titles are shown anew.
        state.people_changed.connect(self._documents_changed)

    def title(self) -> str:
        return tr("Documents")

    def load(self, case_id: str) -> None:
        self.case_id = case_id
        if not case_id or not self.state.is_unlocked:
            self.clear()
            return
        try:
            revealed = self.state.ws.screen.revealed(case_id)
            documents = self.state.ws.documents.of_case(case_id, reveal=revealed)
        except DossierError as exc:
            show_error(self, exc)
            return
        self.model.load(documents)
        self.tree.expandAll()

    def clear(self) -> None:
        self.model.clear_documents()

    def _documents_changed(self, case_id: str) -> None:
        if case_id == self.case_id:
            self.load(case_id)

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
        for factory in [*CASE_TABS, *(extra or [])]:
            self.add_tab(factory(state))
        self.setMinimumWidth(self.names_width())
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
        return next((t for t in self.tabs if isinstance(t, kind)), None)

    def load(self, case_id: str) -> None:
        for tab in self.tabs:
            tab.load(case_id)  # type: ignore[attr-defined]

    def clear(self) -> None:
        for tab in self.tabs:
            tab.clear()  # type: ignore[attr-defined]
