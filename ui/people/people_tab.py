"""The people of a case: roles, protection levels, pseudonyms; add, edit, merge.

Protected and anonymous people are listed under their pseudonym, in italics, with their
identifying fields withheld. "Reveal names" shows the real names after a confirmation, in every
view of the case (viewer, search, quotes, letters, timeline) until it is switched off or the vault
locks; the core keeps that choice and writes each reveal to the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from dossier.errors import DossierError
from dossier.services.people.dto import PersonInfo
from ui.case.case_tab import CaseListTab, grey_note, text_toolbar
from ui.case.inspector_panel import short
from ui.errors import show_error
from ui.i18n import tr
from ui.people.merge_dialog import MergeDialog, merge_summary
from ui.people.person_dialog import PersonDialog, protection_label, role_label
from ui.state import AppState
from ui.undo import record_edit
from ui.widgets.confirm import confirm
from ui.widgets.fit import fit_columns
from ui.widgets.form_fields import run_dialog, top_items
from ui.widgets.outside_text import shown

PERSON_ROLE = Qt.ItemDataRole.UserRole + 1
# U+26B7 (a key): in the bundled DejaVu Sans, unlike the padlock emoji.
MASK_MARK = "⚷ "


class PeopleTab(CaseListTab):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        self.people: list[PersonInfo] = []
        self.add_action = QAction(tr("Add person…"), self)
        self.add_action.triggered.connect(self.add_person)
        self.edit_action = QAction(tr("Edit…"), self)
        self.edit_action.triggered.connect(self.edit_person)
        self.merge_action = QAction(tr("Merge…"), self)
        self.merge_action.triggered.connect(self.merge_people)
        self.reveal_action = QAction(tr("Reveal names"), self)
        self.reveal_action.setCheckable(True)
        self.reveal_action.setToolTip(
            tr("Show the real names of protected people (recorded in the audit trail)")
        )
        self.reveal_action.toggled.connect(self._reveal_toggled)
        toolbar = text_toolbar(
            self.add_action, self.edit_action, self.merge_action, self.reveal_action
        )
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(
            [tr("Name"), tr("Role"), tr("Protection"), tr("Pseudonym"), tr("Organisation")]
        )
        self.tree.setRootIsDecorated(False)
        self.tree.setSortingEnabled(True)
        self.tree.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.tree.setAccessibleName(tr("People"))
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Names and organisations elide; role, protection and pseudonym stay in view.
        self.columns = fit_columns(self.tree, self.tree.header(), {0: 3, 4: 2}, fitted=(1, 2, 3))
        self.tree.itemDoubleClicked.connect(lambda *_: self.edit_person())
        self.tree.currentItemChanged.connect(lambda *_: self._update_actions())
        self.tree.currentItemChanged.connect(lambda *_: self._show_details())
        self.notice = grey_note()
        self.stack(toolbar, self.tree, self.notice, grow=self.tree)
        self.state.people_changed.connect(self._changed)
        self._update_actions()

    # -- CaseTab ------------------------------------------------------------------------------

    def title(self) -> str:
        return tr("People")

    def load(self, case_id: str) -> None:
        self._show_choice(bool(case_id) and self.state.ws.screen.revealed(case_id))
        super().load(case_id)

    def clear(self) -> None:
        self._mask()
        self.people = []
        self.tree.clear()
        self.notice.clear()
        self._update_actions()

    def _mask(self) -> None:
        self._show_choice(False)

    def _show_choice(self, revealed: bool) -> None:
        """The toggle shows the session's choice for the case (kept by the core until lock)."""
        self.reveal_action.blockSignals(True)
        self.reveal_action.setChecked(revealed)
        self.reveal_action.blockSignals(False)

    @property
    def revealed(self) -> bool:
        return self.reveal_action.isChecked()

    def reload(self) -> None:
        selected = self.current_person()
        try:
            self.people = self.state.ws.people.of_case(self.case_id, reveal=self.revealed)
        except DossierError as exc:
            show_error(self, exc)
            return
        self.tree.clear()
        for person in self.people:
            self.tree.addTopLevelItem(self._item(person))
        if selected is not None:
            self.select_person(selected.id)
        masked = sum(1 for p in self.people if p.masked)
        self.notice.setText(
            tr("{n} protected name(s) hidden behind a pseudonym.").format(n=masked)
            if masked
            else ""
        )
        self._update_actions()

    def _item(self, person: PersonInfo) -> QTreeWidgetItem:
        protected = person.protection in ("anonymous", "protected")
        name = MASK_MARK + shown(person.name) if person.masked else shown(person.name)
        item = QTreeWidgetItem(
            [
                name,
                role_label(person.role),
                protection_label(person.protection),
                shown(person.pseudonym) if protected else "",
                shown(person.organisation),
            ]
        )
        item.setData(0, PERSON_ROLE, person)
        if person.masked:
            font = item.font(0)
            font.setItalic(True)
            item.setFont(0, font)
            item.setToolTip(0, tr("Real name hidden: use “Reveal names” to show it"))
        return item

    def _show_details(self) -> None:
        """The details pane describes the selected person."""
        person = self.current_person()
        if person is not None and self.isVisible():
            self.state.select_item("person", person)

    def current_person(self) -> PersonInfo | None:
        item = self.tree.currentItem()
        return item.data(0, PERSON_ROLE) if item is not None else None

    def select_person(self, person_id: str) -> None:
        for item in top_items(self.tree):
            if item.data(0, PERSON_ROLE).id == person_id:
                self.tree.setCurrentItem(item)

    def shown_names(self) -> list[str]:
        return [item.text(0) for item in top_items(self.tree)]

    def _update_actions(self) -> None:
        has_case = bool(self.case_id) and self.state.is_unlocked
        self.add_action.setEnabled(has_case)
        self.reveal_action.setEnabled(has_case)
        self.edit_action.setEnabled(self.current_person() is not None)
        self.merge_action.setEnabled(len(self.people) > 1)

    # -- questions (methods so tests can answer them) -----------------------------------------

    def exec_dialog(self, dialog: QDialog) -> bool:
        return run_dialog(dialog)

    def confirm_reveal(self) -> bool:
        return confirm(
            self,
            tr("Reveal names"),
            tr(
                "Show the real names of protected and anonymous people? Each reveal is recorded "
                "in the vault's audit trail. Make sure nobody else can see the screen."
            ),
        )

    # -- actions ------------------------------------------------------------------------------

    def _reveal_toggled(self, on: bool) -> None:
        """Reveal names in every view of this case until lock (audited), or mask them again."""
        if on and not self.confirm_reveal():
            self._mask()
            return
        screen = self.state.ws.screen
        try:
            if on:
                screen.reveal(self.case_id, where="app")
            else:
                screen.hide(self.case_id)
        except DossierError as exc:
            self._mask()
            show_error(self, exc)
            return
        self._changed_everywhere()

    def add_person(self) -> None:
        if not self.case_id:
            return
        dialog = PersonDialog(self.state, self.case_id, None, self)
        if self.exec_dialog(dialog) and dialog.saved is not None:
            self.state.people_changed.emit(self.case_id)
            self.select_person(dialog.saved.id)

    def edit_person(self) -> None:
        person = self.current_person()
        if person is None:
            return
        label = person.name  # as the list shows it: a pseudonym stays one in Edit › Undo
        if person.masked:
            # Editing shows the real name: ask, then load this one person revealed (audited).
            if not self.confirm_reveal():
                return
            try:
                person = self.state.ws.people.get(self.case_id, person.id, reveal=True)
            except DossierError as exc:
                show_error(self, exc)
                return
        try:
            before = self.state.ws.history.snapshot("person", person.id)
        except DossierError as exc:
            show_error(self, exc)
            return
        dialog = PersonDialog(self.state, self.case_id, person, self)
        if self.exec_dialog(dialog) and dialog.saved is not None:
            self._changed_everywhere()
            self.select_person(dialog.saved.id)
            if dialog.saved is not person:  # something was changed
                text = tr("edit of person “{name}”").format(name=short(label))
                record_edit(self.state, text, before, self._undone(person.id))

    def _undone(self, person_id: str) -> Callable[[], None]:
        def announce() -> None:
            self._changed_everywhere()
            self.select_person(person_id)

        return announce

    def merge_people(self) -> None:
        person = self.current_person()
        dialog = MergeDialog(
            self.state, self.case_id, self.people, person.id if person else None, self
        )
        if self.exec_dialog(dialog) and dialog.outcome is not None:
            self._changed_everywhere()
            self.state.show_status(merge_summary(dialog.outcome))

    def _changed_everywhere(self) -> None:
        """Names show in quotes, letters, the timeline and marks: they all reload."""
        for signal in (
            self.state.people_changed,
            self.state.quotes_changed,
            self.state.letters_changed,
            self.state.timeline_changed,
            self.state.redactions_changed,
        ):
            signal.emit(self.case_id)
