"""Search: a field (Ctrl+F / Ctrl+K), filters, and results that open at the page, highlighted.

Queries go to `ws.search.query(...)` in the background; its `SearchHit`s carry the title, kind,
page, snippet with its highlights, and the terms the viewer marks on the page.
"""

from __future__ import annotations

from typing import TypedDict

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from dossier.services.constants import DOCUMENT_KINDS
from dossier.services.dto import SearchHit
from ui.errors import BUG, failure_kind, message_for, show_crash
from ui.i18n import tr
from ui.search.search_model import HIT_ROLE, ResultDelegate, SearchResultsModel
from ui.state import AppState
from ui.widgets.icons import kind_label
from ui.worker import run_in_background

LIMIT = 50


class QueryArguments(TypedDict):
    """The filters of the panel, as `ws.search.query` takes them."""

    case: str | None
    kinds: list[str] | None
    people: list[str] | None
    date_from: str | None
    date_to: str | None
    limit: int


class SearchTab(QWidget):
    searched = Signal()
    """A new search was made: highlights of the previous one are out of date."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.case_id = ""
        self._generation = 0
        # Names revealed or masked again, a protection changed: the results are shown anew.
        state.people_changed.connect(self._people_changed)
        self._searched = ""
        self._debounce = QTimer(self, singleShot=True, interval=300)
        self.field = QLineEdit()
        self.field.setPlaceholderText(tr("Search (Ctrl+F)"))
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName(tr("Search"))
        self.field.textEdited.connect(lambda _text: self._debounce.start())
        self.field.returnPressed.connect(self._enter)
        self.field.installEventFilter(self)
        self.scope = QComboBox()
        self.scope.addItem(tr("This case"), "case")
        self.scope.addItem(tr("All cases"), "all")
        self.kind = QComboBox()
        self.kind.addItem(tr("All kinds"), "")
        for kind in DOCUMENT_KINDS:
            self.kind.addItem(kind_label(kind, plural=True), kind)
        self.person = QLineEdit()
        self.person.setPlaceholderText(tr("Person"))
        self.date_from = QLineEdit()
        self.date_from.setPlaceholderText(tr("From (YYYY-MM-DD)"))
        self.date_to = QLineEdit()
        self.date_to.setPlaceholderText(tr("To (YYYY-MM-DD)"))
        for combo in (self.scope, self.kind):
            combo.currentIndexChanged.connect(lambda _i: self.search_now())
        for line in (self.person, self.date_from, self.date_to):
            line.editingFinished.connect(self._filters_edited)

        self.model = SearchResultsModel(self)
        self.results = QListView()
        self.results.setModel(self.model)
        self.results.setItemDelegate(ResultDelegate(self.results))
        self.results.setAccessibleName(tr("Search results"))
        self.results.setWordWrap(True)
        self.results.setResizeMode(QListView.ResizeMode.Adjust)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.activated.connect(self._open_index)
        self.results.clicked.connect(self._open_index)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setStyleSheet("color: #666;")

        filters = QGridLayout()
        filters.addWidget(self.scope, 0, 0)
        filters.addWidget(self.kind, 0, 1)
        filters.addWidget(self.person, 1, 0, 1, 2)
        filters.addWidget(self.date_from, 2, 0)
        filters.addWidget(self.date_to, 2, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.field)
        layout.addLayout(filters)
        layout.addWidget(self.info)
        layout.addWidget(self.results, 1)

        self._debounce.timeout.connect(self.search_now)
        state.unlocked.connect(self._update_availability)

    # -- CaseTab ------------------------------------------------------------------------------

    def title(self) -> str:
        return tr("Search")

    def load(self, case_id: str) -> None:
        self.case_id = case_id
        if self.field.text().strip() and self.scope.currentData() == "case":
            self.search_now()

    def _people_changed(self, _case_id: str) -> None:
        if self.state.is_unlocked and self._searched:
            self.search_now()

    def clear(self) -> None:
        """Forget the query and the results (they quote the documents)."""
        self._generation += 1
        self.field.clear()
        self.person.clear()
        self.date_from.clear()
        self.date_to.clear()
        self.model.set_hits([])
        self.info.clear()
        self._searched = ""

    # -- searching ----------------------------------------------------------------------------

    def _update_availability(self) -> None:
        self.field.setEnabled(self.state.is_unlocked)

    def focus_search(self) -> None:
        self._update_availability()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def _filters_edited(self) -> None:
        if self.field.text().strip():
            self.search_now()

    def _enter(self) -> None:
        text = self.field.text().strip()
        if text and text == self._searched and self.model.hits:
            self._open_index(
                self.results.currentIndex()
                if self.results.currentIndex().isValid()
                else self.model.index(0)
            )
        else:
            self.search_now()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down arrow from the field moves into the results, as in a browser's address bar.
        if watched is self.field and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Down and self.model.hits:
                self.results.setFocus()
                if not self.results.currentIndex().isValid():
                    self.results.setCurrentIndex(self.model.index(0))
                return True
        return super().eventFilter(watched, event)

    def query_arguments(self) -> QueryArguments:
        kind = self.kind.currentData()
        person = self.person.text().strip()
        return {
            "case": self.case_id or None if self.scope.currentData() == "case" else None,
            "kinds": [kind] if kind else None,
            "people": [person] if person else None,
            "date_from": self.date_from.text().strip() or None,
            "date_to": self.date_to.text().strip() or None,
            "limit": LIMIT,
        }

    def search_now(self) -> None:
        self._debounce.stop()
        text = self.field.text().strip()
        self._generation += 1
        generation = self._generation
        if not self.state.is_unlocked or not text:
            self.model.set_hits([])
            self._searched = ""
            self._update_availability()
            return
        service = self.state.ws.search
        arguments = self.query_arguments()
        self.info.setText(tr("Searching…"))

        def done(hits: list[SearchHit]) -> None:
            if generation != self._generation:
                return  # an older query answered after a newer one was typed
            self._searched = text
            self.model.set_hits(hits)
            self.searched.emit()
            if hits:
                self.results.setCurrentIndex(self.model.index(0))
                self.info.setText(
                    tr("{n} results").format(n=len(hits)) if len(hits) > 1 else tr("1 result")
                )
            else:
                self.info.setText(tr("No results."))

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self.model.set_hits([])
            self.info.setText(message_for(exc))  # a bad date or query syntax: said in place
            if failure_kind(exc) == BUG:
                show_crash(self, exc)

        run_in_background(
            lambda *_: service.query(text, **arguments),
            on_success=done,
            on_error=failed,
            parent=self,
        )

    def _open_index(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE) if index.isValid() else None
        if hit is not None:
            self.open_hit(hit)

    def open_hit(self, hit: SearchHit) -> None:
        if hit.doc_id is None:
            return  # a person: there is no document to open
        page = hit.page_index if hit.page_index is not None else 0
        terms = list(hit.terms)
        # The words searched together, where they stand together, are one hit, not several.
        phrase = [" ".join(terms)] if len(terms) > 1 else []
        self.state.open_document(hit.doc_id, page, terms=phrase + terms)

    def step_result(self, direction: int, doc_id: str | None) -> bool:
        """Open the next (1) or previous (-1) result in another document than `doc_id`, in
        result order; False when there is none."""
        rows = self.model.rowCount()
        if not rows or doc_id is None:
            return False
        current = self.results.currentIndex().row() if self.results.currentIndex().isValid() else -1
        row = current + direction
        while 0 <= row < rows:
            index = self.model.index(row)
            hit = index.data(HIT_ROLE)
            if hit is not None and hit.doc_id is not None and hit.doc_id != doc_id:
                self.results.setCurrentIndex(index)
                self.open_hit(hit)
                return True
            row += direction
        return False
