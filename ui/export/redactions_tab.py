"""Redaction marks of a case: boxes drawn on pages and case-wide rules, listed and removable.

"Draw boxes" switches the viewer's redact tool on (drag on a page); terms, patterns and people
are added as rules for the whole case. Every mark shows on the open document as a black box
(see `ui.workflows`), and exports black out all of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from dossier.errors import DossierError
from dossier.services.export.dto import RedactionInfo
from ui.case.case_tab import CaseListTab, grey_note, text_toolbar
from ui.errors import show_error
from ui.export.redaction_rule_dialog import RuleDialog, pattern_label
from ui.i18n import N_, ntr, tr
from ui.state import AppState
from ui.undo import record_addition, record_deletion
from ui.widgets.form_fields import run_dialog
from ui.widgets.outside_text import shown
from ui.widgets.when_shown import WhenShown

if TYPE_CHECKING:
    from dossier.services import Workspace

MARK_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_NAMES = {
    "rect": N_("box"),
    "term": N_("term"),
    "pattern": N_("pattern"),
    "person": N_("person"),
}


class RedactionsTab(CaseListTab):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        self.marks: list[RedactionInfo] = []
        self.titles: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.draw_action = QAction(tr("Draw boxes"), self)
        self.draw_action.setCheckable(True)
        self.draw_action.setToolTip(tr("Drag on a page of the open PDF to black out an area"))
        self.draw_action.toggled.connect(self.state.redact_tool_requested)
        self.state.redact_tool_toggled.connect(self._tool_toggled)
        self.term_action = QAction(tr("Add term…"), self)
        self.term_action.triggered.connect(lambda: self.add_rule("term"))
        self.pattern_action = QAction(tr("Add pattern…"), self)
        self.pattern_action.triggered.connect(lambda: self.add_rule("pattern"))
        self.person_action = QAction(tr("Add person…"), self)
        self.person_action.triggered.connect(lambda: self.add_rule("person"))
        self.remove_action = QAction(tr("Remove"), self)
        self.remove_action.triggered.connect(self.remove_selected)
        toolbar = text_toolbar(
            self.draw_action, self.term_action, self.pattern_action, self.person_action,
            self.remove_action,
        )  # fmt: skip
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([tr("Mark"), tr("Applies to"), tr("What"), tr("Reason")])
        self.tree.setRootIsDecorated(False)
        self.tree.setAccessibleName(tr("Redaction marks"))
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tree.itemDoubleClicked.connect(lambda item, _c: self.open_mark(item))
        self.tree.itemSelectionChanged.connect(self._update_actions)
        self.note = grey_note(
            tr("Protected and anonymous people are always blacked out in exports.")
        )
        self.stack(toolbar, self.tree, self.note, grow=self.tree)
        self.state.redactions_changed.connect(self._changed)
        # Behind another tab, once when shown: not on every notice of an import.
        self._documents_shown = WhenShown(self, lambda: self._changed(self.case_id))
        state.documents_changed.connect(self._documents_changed)
        self._update_actions()

    # -- CaseTab ------------------------------------------------------------------------------

    def title(self) -> str:
        return tr("Redactions")

    def _documents_changed(self, case_id: str) -> None:
        if case_id == self.case_id and self.state.is_unlocked:
            self._documents_shown.request()

    def clear(self) -> None:
        self.marks = []
        self.titles = {}
        self.names = {}
        self.tree.clear()
        self.draw_action.setChecked(False)
        self._update_actions()

    def reload(self) -> None:
        ws = self.state.ws
        try:
            reveal = ws.screen.revealed(self.case_id)
            self.marks = ws.redactions.shown(self.case_id, reveal=reveal)
            self.titles = {d.id: d.title for d in ws.documents.of_case(self.case_id)}
            self.names = ws.people.display_names(self.case_id)
        except DossierError as exc:
            show_error(self, exc)
            return
        self.tree.clear()
        for mark in self.marks:
            item = QTreeWidgetItem(
                [
                    tr(KIND_NAMES.get(mark.kind, mark.kind)),
                    shown(self.titles.get(mark.document_id, "?"))
                    if mark.document_id
                    else tr("the whole case"),
                    self.describe(mark),
                    shown(mark.reason),
                ]
            )
            item.setData(0, MARK_ROLE, mark)
            self.tree.addTopLevelItem(item)
        self._update_actions()

    def describe(self, mark: RedactionInfo) -> str:
        if mark.kind == "rect":
            return tr("page {page}, {n} box(es)").format(
                page=(mark.page_index or 0) + 1, n=len(mark.rects)
            )
        if mark.kind == "term":
            return f"« {shown(mark.term)} »"
        if mark.kind == "pattern":
            return pattern_label(mark.pattern)
        return shown(self.names.get(mark.person_id or "", "?"))

    def _tool_toggled(self, on: bool) -> None:
        self.draw_action.blockSignals(True)
        self.draw_action.setChecked(on)
        self.draw_action.blockSignals(False)

    def _update_actions(self) -> None:
        has_case = bool(self.case_id) and self.state.is_unlocked
        for action in (self.draw_action, self.term_action, self.pattern_action, self.person_action):
            action.setEnabled(has_case)
        self.remove_action.setEnabled(bool(self.tree.selectedItems()))

    # -- actions ------------------------------------------------------------------------------

    def exec_dialog(self, dialog: QDialog) -> bool:
        """Run a dialog (tests answer it instead)."""
        return run_dialog(dialog)

    def add_rule(self, kind: str) -> None:
        if not self.case_id:
            return
        dialog = RuleDialog(self.state, self.case_id, kind, self)
        if self.exec_dialog(dialog) and dialog.saved is not None:
            self.state.redactions_changed.emit(self.case_id)
            record_mark(self.state, dialog.saved.id, self.case_id)

    def remove_selected(self) -> None:
        marks = [item.data(0, MARK_ROLE) for item in self.tree.selectedItems()]
        removed = []
        for mark in marks:
            try:
                # Taken from the catalog, not the list: a term shown masked is kept real.
                snapshot = self.state.ws.history.snapshot("redaction", mark.id)
                self.state.ws.redactions.remove(mark.id)
            except DossierError as exc:
                show_error(self, exc)
                break
            removed.append(snapshot)
        if not marks:
            return
        self.state.redactions_changed.emit(self.case_id)
        if removed:
            ids = [snapshot.item_id for snapshot in removed]

            def remove_again(ws: Workspace) -> None:
                for mark_id in ids:
                    ws.redactions.remove(mark_id)

            record_deletion(
                self.state,
                ntr(
                    "removal of {n} redaction mark", "removal of {n} redaction marks", len(removed)
                ).format(n=len(removed)),
                removed,
                remove_again,
                lambda: self.state.redactions_changed.emit(self.case_id),
            )

    def open_mark(self, item: QTreeWidgetItem | None) -> None:
        mark: RedactionInfo | None = item.data(0, MARK_ROLE) if item is not None else None
        if mark is not None and mark.document_id:
            self.state.open_document(mark.document_id, mark.page_index or 0)


def record_mark(state: AppState, mark_id: str, case_id: str) -> None:
    """A mark was added (a rule, a box drawn): Edit › Undo removes it, Redo puts it back."""
    record_addition(
        state,
        tr("new redaction mark"),
        "redaction",
        mark_id,
        lambda ws: ws.redactions.remove(mark_id),
        lambda: state.redactions_changed.emit(case_id),
    )
