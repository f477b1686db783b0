"""Search: a field (Ctrl+F / Ctrl+K), filters, and results that open at the page, highlighted.

Queries go to `ws.search.query(...)` in the background; its `SearchHit`s carry the title, kind,
page, snippet with its highlights, and the terms the viewer marks on the page. Beside them: the
counts per kind, year and person (`facets`), the recent searches (kept sealed in the vault), and
the result list as CSV.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dossier.errors import DossierError
from dossier.services.constants import DOCUMENT_KINDS
from dossier.services.dto import SearchHit
from ui.errors import BUG, failure_kind, message_for, show_crash, show_error
from ui.i18n import tr
from ui.search.facets import SCAN, FacetLine, Facets, count_facets
from ui.search.results_csv import write_results
from ui.search.search_model import HIT_ROLE, ResultDelegate, SearchResultsModel
from ui.state import AppState
from ui.widgets.file_dialogs import choose_save_file
from ui.widgets.icons import kind_label
from ui.worker import named_pool, run_in_background

LIMIT = 50
SEARCH_THREADS = 2
"""Searches (and their counts) run in a pool of their own: never queued behind an import's
job or the views' reads in the shared one."""


class QueryArguments(TypedDict):
    """The filters of the panel, as `ws.search.query` takes them."""

    case: str | None
    kinds: list[str] | None
    people: list[str] | None
    date_from: str | None
    date_to: str | None
    limit: int


class SearchTab(QWidget):
    lazy = False  # reads nothing at load but a search already typed, in a worker
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
        self.recent_button = QToolButton()
        self.recent_button.setText(tr("Recent"))
        self.recent_button.setToolTip(tr("Searches made lately (kept in the vault)"))
        self.recent_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.recent_menu = QMenu(self.recent_button)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.recent_button.setMenu(self.recent_menu)
        self.export_button = QToolButton()
        self.export_button.setText(tr("CSV…"))
        self.export_button.setToolTip(tr("Save this result list as a CSV file"))
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export_results)
        self.facets = FacetLine()
        self.facets.hide()
        self.facets.year_chosen.connect(self._narrow_to_year)
        self.facets.person_chosen.connect(self._narrow_to_person)

        filters = QGridLayout()
        filters.addWidget(self.scope, 0, 0)
        filters.addWidget(self.kind, 0, 1)
        filters.addWidget(self.person, 1, 0, 1, 2)
        filters.addWidget(self.date_from, 2, 0)
        filters.addWidget(self.date_to, 2, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        field_row = QHBoxLayout()
        field_row.addWidget(self.field, 1)
        field_row.addWidget(self.recent_button)
        layout.addLayout(field_row)
        layout.addLayout(filters)
        info = QHBoxLayout()
        info.addWidget(self.info, 1)
        info.addWidget(self.export_button)
        layout.addLayout(info)
        layout.addWidget(self.facets)
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
        self._show_facets(Facets())
        self.export_button.setEnabled(False)

    # -- searching ----------------------------------------------------------------------------

    def _update_availability(self) -> None:
        self.field.setEnabled(self.state.is_unlocked)

    def showEvent(self, event: QShowEvent) -> None:
        # Picking the Search tab means searching: the words typed go to the field (they went
        # nowhere until the field was clicked).
        super().showEvent(event)
        if self.field.isEnabled():
            self.field.setFocus(Qt.FocusReason.TabFocusReason)

    def focus_search(self) -> None:
        self._update_availability()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def _filters_edited(self) -> None:
        if self.field.text().strip():
            self.search_now()

    def _enter(self) -> None:
        text = self.field.text().strip()
        self.remember(text)
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
            self._show_facets(Facets())
            self.export_button.setEnabled(False)
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
            self.export_button.setEnabled(bool(hits))
            self.searched.emit()
            self._count(generation, text, arguments)
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
            self.export_button.setEnabled(False)
            self._show_facets(Facets())
            self.info.setText(message_for(exc))  # a bad date or query syntax: said in place
            if failure_kind(exc) == BUG:
                show_crash(self, exc)

        run_in_background(
            # From what is indexed now: during an import, not after its next index write.
            lambda *_: service.query(text, **arguments, fresh=False),
            on_success=done,
            on_error=failed,
            parent=self,
            pool=named_pool("search", SEARCH_THREADS),
        )

    def _open_index(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE) if index.isValid() else None
        if hit is not None:
            self.open_hit(hit)

    def open_hit(self, hit: SearchHit) -> None:
        if hit.doc_id is None:
            return  # a person: there is no document to open
        self.remember(self._searched)
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

    # -- counts, recent searches, CSV -----------------------------------------------------------

    def _count(self, generation: int, text: str, arguments: QueryArguments) -> None:
        """Count the matching documents per kind, year and person (every kind, not only the
        one chosen), in the background."""
        ws = self.state.ws
        wider = {**arguments, "kinds": None, "limit": SCAN}
        case_id = arguments["case"]

        def count(*_: object) -> Facets:
            found = ws.search.query(text, **wider, fresh=False)  # type: ignore[arg-type]
            return count_facets(ws, found, case_id)

        def counted(facets: Facets) -> None:
            if generation == self._generation:
                self._show_facets(facets)

        run_in_background(
            count,
            on_success=counted,
            on_error=lambda _exc: None,
            parent=self,
            pool=named_pool("search", SEARCH_THREADS),
        )

    def _show_facets(self, facets: Facets) -> None:
        for index in range(1, self.kind.count()):
            kind = self.kind.itemData(index)
            label = kind_label(kind, plural=True)
            if facets.kinds:
                label = tr("{kind} ({n})").format(kind=label, n=facets.kinds.get(kind, 0))
            self.kind.setItemText(index, label)
        self.facets.show_facets(facets)

    def _narrow_to_year(self, year: str) -> None:
        self.date_from.setText(f"{year}-01-01")
        self.date_to.setText(f"{year}-12-31")
        self.search_now()

    def _narrow_to_person(self, name: str) -> None:
        self.person.setText(name)
        self.search_now()

    def _recent_scope(self) -> str | None:
        return self.case_id or None if self.scope.currentData() == "case" else None

    def remember(self, text: str) -> None:
        """Keep `text` in the vault's recent searches (once searched for on purpose: Enter, or
        a result opened; not every word on the way while typing)."""
        if not text or not self.state.is_unlocked:
            return
        try:
            self.state.ws.recent_searches.remember(self._recent_scope(), text)
        except DossierError:
            pass  # a search works without its history; the reason shows on the next write

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent: list[str] = []
        if self.state.is_unlocked:
            try:
                recent = self.state.ws.recent_searches.of(self._recent_scope())
            except DossierError as exc:
                show_error(self, exc)
        # What was searched is shown as every other text: a protected name under its pseudonym
        # (the search itself, once chosen, uses the words as typed).
        mask = self._mask_query([]) if recent else str
        for text in recent:
            action = self.recent_menu.addAction(mask(text).replace("&", "&&"))
            action.triggered.connect(lambda _c=False, t=text: self._search_again(t))
        if not recent:
            self.recent_menu.addAction(tr("No recent searches")).setEnabled(False)

    def _search_again(self, text: str) -> None:
        self.field.setText(text)
        self.search_now()

    def _mask_query(self, hits: list[SearchHit]) -> Callable[[str], str]:
        """The query as the results show names: masked by the case searched, or by every case
        when searching them all, and by each case the hits come from."""
        ws = self.state.ws
        searched = self._recent_scope()
        cases = {searched} if searched else {c.id for c in ws.cases.all()}
        masks = [
            ws.screen.mask(case_id, reveal=ws.screen.revealed(case_id), where="search")
            for case_id in sorted({hit.case_id for hit in hits} | cases)
        ]

        def mask(text: str) -> str:
            for one in masks:
                text = one.text(text)
            return text

        return mask

    def export_results(self) -> None:
        hits = list(self.model.hits)
        if not hits:
            return
        path = choose_save_file(
            self, tr("Save the results"), tr("results.csv"), tr("CSV files (*.csv)")
        )
        if path is None:
            return
        try:
            write_results(path, self._searched, hits, self._mask_query(hits))
        except (OSError, DossierError) as exc:
            show_error(self, exc)
            return
        self.state.show_status(
            tr("{n} results saved in {file}, outside the vault and not encrypted.").format(
                n=len(hits), file=path.name
            )
        )
