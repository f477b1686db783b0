"""A case's timeline: every dated item (documents, letters, deadlines, replies, quotes, free
entries), as a list or on a time axis; filtered by person and kind; an item opens on click.
Free entries (an interview, a call) are added and removed here.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dossier.errors import DossierError
from dossier.services.dto import TimelineItem
from dossier.services.timeline import KINDS
from ui.errors import show_error
from ui.i18n import N_, tr
from ui.state import AppState
from ui.timeline.timeline_axis import TimelineAxis, TimelineScroll, kind_colour
from ui.timeline.timeline_entry_dialog import TimelineEntryDialog
from ui.widgets.confirm import confirm
from ui.widgets.fit import fit_columns
from ui.widgets.form_fields import run_dialog, top_items
from ui.widgets.outside_text import shown
from ui.widgets.when_shown import WhenShown

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_NAMES = {
    "document": N_("document"),
    "letter": N_("letter"),
    "deadline": N_("deadline"),
    "reply": N_("reply"),
    "quote": N_("quote"),
    "note": N_("note"),
    "publication": N_("publication"),
    "entry": N_("entry"),
    "interview": N_("interview"),
    "meeting": N_("meeting"),
    "call": N_("call"),
    "visit": N_("visit"),
    "other": N_("other"),
}


def kind_name(kind: str) -> str:
    return tr(KIND_NAMES[kind]) if kind in KIND_NAMES else kind


class TimelineTab(QWidget):
    lazy = True  # read once the tab is looked at (`ContentsPanel.load`)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.case_id = ""
        self.items: list[TimelineItem] = []
        self.person = QComboBox()
        self.person.setAccessibleName(tr("Person"))
        self.person.currentIndexChanged.connect(lambda _i: self.reload())
        self.kinds_button = QToolButton()
        self.kinds_button.setText(tr("Kinds"))
        self.kinds_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        kinds_menu = QMenu(self.kinds_button)
        self.kind_actions: dict[str, QAction] = {}
        for kind in KINDS:
            action = kinds_menu.addAction(kind_name(kind))
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(lambda _on: self.reload())
            self.kind_actions[kind] = action
        self.kinds_button.setMenu(kinds_menu)
        self.list_button = QPushButton(tr("List"))
        self.axis_button = QPushButton(tr("Time axis"))
        for button in (self.list_button, self.axis_button):
            button.setCheckable(True)
            button.setAutoExclusive(True)
        self.list_button.setChecked(True)
        self.list_button.toggled.connect(self._view_changed)
        zoom_in = QPushButton("+")
        zoom_in.setToolTip(tr("Zoom in"))
        zoom_in.clicked.connect(lambda: self.zoom(1.5))
        zoom_out = QPushButton("−")
        zoom_out.setToolTip(tr("Zoom out"))
        zoom_out.clicked.connect(lambda: self.zoom(1 / 1.5))
        self.zoom_buttons = (zoom_in, zoom_out)
        for button in self.zoom_buttons:
            button.setFixedWidth(28)
        self.add_button = QPushButton(tr("Add entry…"))
        self.add_button.setToolTip(tr("Put an interview, a call or a meeting on the timeline"))
        self.add_button.clicked.connect(self.add_entry)
        self.remove_button = QPushButton(tr("Remove entry"))
        self.remove_button.setToolTip(tr("Remove the selected free entry from the timeline"))
        self.remove_button.clicked.connect(self.remove_entry)

        self.list = QTreeWidget()
        self.list.setHeaderLabels([tr("Date"), tr("Kind"), tr("Item"), tr("People")])
        self.list.setRootIsDecorated(False)
        self.list.setAccessibleName(tr("Timeline"))
        # The item's words get most of the width; date and kind theirs; people what is left.
        self._fitter = fit_columns(
            self.list, self.list.header(), elastic={2: 3, 3: 1}, fitted=(0, 1)
        )
        self.list.itemClicked.connect(lambda item, _c: self.open_item(item.data(0, ITEM_ROLE)))
        self.list.itemActivated.connect(lambda item, _c: self.open_item(item.data(0, ITEM_ROLE)))
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.axis = TimelineAxis()
        self.axis.item_activated.connect(self.open_item)
        self.axis_scroll = TimelineScroll(self.axis)
        self.views = QStackedWidget()
        self.views.addWidget(self.list)
        self.views.addWidget(self.axis_scroll)

        # Two rows: on a laptop's pane one row cut the buttons' names (French ones are longer).
        filters = QHBoxLayout()
        filters.addWidget(self.person, 1)
        filters.addWidget(self.kinds_button)
        filters.addWidget(self.list_button)
        filters.addWidget(self.axis_button)
        for button in self.zoom_buttons:
            filters.addWidget(button)
        entries = QHBoxLayout()
        entries.addWidget(self.add_button)
        entries.addWidget(self.remove_button)
        entries.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addLayout(entries)
        layout.addWidget(self.views, 1)
        self._view_changed()
        for signal in (
            self.state.timeline_changed,
            self.state.letters_changed,
            self.state.quotes_changed,
        ):
            signal.connect(self._changed)
        self.state.people_changed.connect(self._people_changed)
        # Behind another tab, once when shown: not on every notice of an import.
        self._documents_shown = WhenShown(self, lambda: self._changed(self.case_id))
        state.documents_changed.connect(self._documents_changed)
        self._update_buttons()

    # -- CaseTab ------------------------------------------------------------------------------

    def title(self) -> str:
        return tr("Timeline")

    def load(self, case_id: str) -> None:
        self.case_id = case_id
        if not case_id or not self.state.is_unlocked:
            self.clear()
            return
        self._fill_people()
        self.reload()

    def clear(self) -> None:
        self.items = []
        self.list.clear()
        self.axis.set_items([])
        self.person.blockSignals(True)
        self.person.clear()
        self.person.blockSignals(False)
        self._update_buttons()

    def _changed(self, case_id: str) -> None:
        if case_id == self.case_id and self.state.is_unlocked:
            self.reload()

    def _documents_changed(self, case_id: str) -> None:
        if case_id == self.case_id and self.state.is_unlocked:
            self._documents_shown.request()

    def _people_changed(self, case_id: str) -> None:
        if case_id == self.case_id and self.state.is_unlocked:
            self._fill_people()
            self.reload()

    def _fill_people(self) -> None:
        current = self.person.currentData()
        self.person.blockSignals(True)
        self.person.clear()
        self.person.addItem(tr("Everyone"), "")
        try:
            people = self.state.ws.people.of_case(self.case_id)
        except DossierError as exc:
            show_error(self, exc)
            people = []
        for person in people:
            self.person.addItem(shown(person.name), person.id)
        self.person.setCurrentIndex(max(0, self.person.findData(current or "")))
        self.person.blockSignals(False)

    def chosen_kinds(self) -> list[str]:
        """The kinds ticked; empty when all are (no filter)."""
        chosen = [k for k, action in self.kind_actions.items() if action.isChecked()]
        return [] if len(chosen) == len(self.kind_actions) else chosen

    def set_kinds(self, kinds: list[str]) -> None:
        for kind, action in self.kind_actions.items():
            action.blockSignals(True)
            action.setChecked(not kinds or kind in kinds)
            action.blockSignals(False)
        self.reload()

    def set_person(self, person_id: str | None) -> None:
        self.person.setCurrentIndex(max(0, self.person.findData(person_id or "")))

    def reload(self) -> None:
        if not self.case_id or not self.state.is_unlocked:
            return
        kinds = self.chosen_kinds()
        if not kinds and not any(a.isChecked() for a in self.kind_actions.values()):
            self.items = []
        else:
            try:
                self.items = self.state.ws.timeline.items(
                    self.case_id,
                    person=self.person.currentData() or None,
                    kinds=kinds,
                    reveal=self.state.ws.screen.revealed(self.case_id),
                )
            except DossierError as exc:
                show_error(self, exc)
                return
        self.list.clear()
        for item in self.items:
            row = QTreeWidgetItem(
                [
                    item.date,
                    kind_name(item.kind),
                    shown(item.title),
                    ", ".join(shown(n) for n in item.names),
                ]
            )
            row.setData(0, ITEM_ROLE, item)
            row.setForeground(1, kind_colour(item.kind))
            row.setToolTip(2, f"{shown(item.title)}\n{shown(item.detail)}".strip())
            self.list.addTopLevelItem(row)
        self.axis.set_items(self.items)
        self._update_buttons()

    def _view_changed(self, *_: object) -> None:
        on_axis = self.axis_button.isChecked()
        self.views.setCurrentWidget(self.axis_scroll if on_axis else self.list)
        for button in self.zoom_buttons:
            button.setVisible(on_axis)

    def zoom(self, factor: float) -> None:
        self.axis.zoom(factor)

    def show_axis(self, on: bool = True) -> None:
        (self.axis_button if on else self.list_button).setChecked(True)

    # -- free entries -------------------------------------------------------------------------

    def selected_entry(self) -> TimelineItem | None:
        """The selected row's item when it is a free entry (the only kind stored by hand)."""
        row = self.list.currentItem()
        item = row.data(0, ITEM_ROLE) if row is not None else None
        return item if isinstance(item, TimelineItem) and item.ref_type == "event" else None

    def _update_buttons(self) -> None:
        ready = bool(self.case_id) and self.state.is_unlocked
        self.add_button.setEnabled(ready)
        self.remove_button.setEnabled(ready and self.selected_entry() is not None)

    def exec_dialog(self, dialog: QDialog) -> bool:
        """Run a dialog (tests answer it instead)."""
        return run_dialog(dialog)

    def confirm_remove(self, item: TimelineItem) -> bool:
        return confirm(
            self,
            tr("Remove entry"),
            tr("Remove “{title}” ({date}) from the timeline?").format(
                title=shown(item.title), date=item.date
            ),
        )

    def add_entry(self) -> None:
        if not self.case_id or not self.state.is_unlocked:
            return
        try:
            dialog = TimelineEntryDialog(self.state, self.case_id, kind_name, self)
        except DossierError as exc:
            show_error(self, exc)
            return
        if self.exec_dialog(dialog) and dialog.saved is not None:
            # Every tab showing the timeline (this one included) reloads on this signal.
            self.state.timeline_changed.emit(self.case_id)
            self.select_item(dialog.saved.ref_id)

    def remove_entry(self) -> None:
        item = self.selected_entry()
        if item is None or not self.state.is_unlocked or not self.confirm_remove(item):
            return
        try:
            self.state.ws.timeline.remove_entry(item.ref_id)
        except DossierError as exc:
            show_error(self, exc)
            return
        self.state.timeline_changed.emit(self.case_id)

    def select_item(self, ref_id: str) -> None:
        for row in top_items(self.list):
            item = row.data(0, ITEM_ROLE)
            if isinstance(item, TimelineItem) and item.ref_id == ref_id:
                self.list.setCurrentItem(row)
                return

    # -- opening ------------------------------------------------------------------------------

    def open_item(self, item: TimelineItem | None) -> None:
        """Open what the item points to: its document, a quote at its span, a letter."""
        if item is None or not self.state.is_unlocked:
            return
        ws = self.state.ws
        try:
            if item.ref_type == "document":
                self.state.open_document(item.ref_id)
            elif item.ref_type == "quote":
                quote = ws.quotes.get(item.ref_id)
                self.state.item_requested.emit("quote", quote.id)
            elif item.ref_type == "letter":
                letter = ws.letters.get(item.ref_id)
                self.state.item_requested.emit("letter", letter.id)
                if letter.document_id:
                    self.state.open_document(letter.document_id)
            elif item.ref_type == "reply":
                reply = ws.letters.get_reply(item.ref_id)
                if reply.letter_id:
                    self.state.item_requested.emit("letter", reply.letter_id)
                if reply.document_id:
                    self.state.open_document(reply.document_id)
            else:
                self.state.show_status(f"{item.date} · {item.title}")
        except DossierError as exc:
            show_error(self, exc)
