"""Window-level commands and wiring: what needs the viewer and the case tabs at once.

- "New quote from selection" (Edit menu, the quotes toolbar, the viewer's context menu) takes
  the viewer's selection into the new-quote dialog;
- the viewer's redact tool: a box drawn on a page becomes a rectangle mark; every mark of the
  open document is drawn as a black box (layer "redaction"), refreshed when marks change;
- quotes, letters and the export wizard reached from the menus; File > Verify a bundle;
- a tab asking to show an item ("letter", "quote") gets its tab brought forward.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from dossier.errors import DossierError
from dossier.services.export.dto import RedactionPreview
from ui.errors import show_error
from ui.export.export_wizard import ExportWizard
from ui.export.import_bundle_dialog import ImportBundleDialog
from ui.export.redactions_tab import RedactionsTab, record_mark
from ui.export.verify_dialog import VerifyDialog
from ui.i18n import tr
from ui.letters.letters_tab import LettersTab
from ui.quotes.quote_dialog import NewQuoteDialog
from ui.quotes.quote_editor import QuoteEditor
from ui.quotes.quotes_tab import QuotesTab
from ui.viewer.reason_bar import ReasonBar
from ui.viewer.redact_tool import RedactTool
from ui.viewer.span_notes import SpanNotes
from ui.widgets.form_fields import run_dialog
from ui.worker import run_in_background

if TYPE_CHECKING:
    from ui.main_window import MainWindow

_Tab = TypeVar("_Tab", bound=QWidget)


def _action(parent: QObject, text: str, slot: Callable[[], object], shortcut: str = "") -> QAction:
    action = QAction(text, parent)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    return action


class Workflows(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.state = window.state
        self.viewer = window.viewer
        self._overlay_generation = 0
        self.redaction_overlay: RedactionPreview | None = None

        self.new_quote_action = _action(
            self, tr("New quote from selection…"), self.new_quote_from_selection, "Ctrl+Shift+Q"
        )
        self.new_quote_action.setToolTip(tr("Make a quote of the text selected in the document"))
        self.find_quote_action = _action(
            self, tr("Find a quote in the sources…"), lambda: self.quotes.find_in_sources()
        )
        self.recheck_action = _action(
            self, tr("Re-check all quotes"), lambda: self.quotes.recheck_all()
        )
        self.prepub_action = _action(
            self, tr("Pre-publication check…"), lambda: self.quotes.check_article()
        )
        self.export_action = _action(self, tr("Export a bundle…"), self.export, "Ctrl+E")
        self.verify_action = _action(self, tr("Verify a bundle…"), self.verify_bundle)
        self.import_bundle_action = _action(self, tr("Import a bundle…"), self.import_bundle)
        window.inspector.register_editor(QuoteEditor(self.state))
        self.redact_tool = RedactTool(self.viewer.pdf)
        self.viewer.toolbar.addSeparator()
        self.viewer.toolbar.addAction(self.redact_tool.action)
        self.reason_bar = ReasonBar(self.state)
        viewer_layout = self.viewer.layout()
        assert isinstance(viewer_layout, QVBoxLayout)
        viewer_layout.insertWidget(3, self.reason_bar)  # under the title, toolbar and notice
        self.notes = SpanNotes(self.state, self.viewer, window)
        self.quotes.toolbar.insertAction(self.quotes.find_action, self.new_quote_action)
        for view in (self.viewer.pdf, self.viewer.text):
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            view.addAction(self.viewer.copy_action)
            view.addAction(self.new_quote_action)
            view.addAction(self.notes.action)

        self.viewer.selection_changed.connect(lambda *_: self._update_actions())
        self.viewer.selection_cleared.connect(self._update_actions)
        self.viewer.document_shown.connect(self._document_shown)
        # Shown, cleared or switched to text: the Redact button follows what can take a box.
        self.viewer.stack.currentChanged.connect(lambda _index: self._update_actions())
        self.redact_tool.drawn.connect(self.add_rect)
        self.redact_tool.toggled.connect(self.state.redact_tool_toggled)
        self.state.redact_tool_requested.connect(self.set_redact_tool)
        self.state.redactions_changed.connect(self._marks_changed)
        self.state.people_changed.connect(self._marks_changed)
        self.state.item_requested.connect(self.show_item)
        self.state.unlocked.connect(self._update_actions)
        self.state.locking.connect(lambda: self.set_redact_tool(False))
        self.state.locked.connect(self._update_actions)
        self.state.case_changed.connect(lambda _case: self._update_actions())
        self._update_actions()

    # -- tabs ---------------------------------------------------------------------------------

    def _tab(self, kind: type[_Tab]) -> _Tab:
        tab = self.window.contents.tab(kind)
        assert isinstance(tab, kind), f"{kind.__name__} is registered in CASE_TABS"
        return tab

    @property
    def quotes(self) -> QuotesTab:
        return self._tab(QuotesTab)

    @property
    def letters(self) -> LettersTab:
        return self._tab(LettersTab)

    @property
    def redactions(self) -> RedactionsTab:
        return self._tab(RedactionsTab)

    def actions(self) -> dict[str, QAction]:
        return {
            "new_quote": self.new_quote_action,
            "note": self.notes.action,
            "find_quote": self.find_quote_action,
            "recheck_quotes": self.recheck_action,
            "prepublication": self.prepub_action,
            "export": self.export_action,
            "verify": self.verify_action,
            "import_bundle": self.import_bundle_action,
            "redact_tool": self.redact_tool.action,
        }

    def _update_actions(self) -> None:
        has_case = self.state.is_unlocked and bool(self.state.case_id)
        selection = self.viewer.selection() if has_case else None
        self.new_quote_action.setEnabled(selection is not None)
        self.notes.update(has_case)
        for action in (
            self.find_quote_action, self.recheck_action, self.prepub_action, self.export_action,
        ):  # fmt: skip
            action.setEnabled(has_case)
        drawable = has_case and self.viewer.stack.currentWidget() is self.viewer.pdf
        if not drawable:
            self.redact_tool.set_active(False)
        self.redact_tool.action.setEnabled(drawable)
        self.import_bundle_action.setEnabled(self.state.is_unlocked)

    def exec_dialog(self, dialog: QDialog) -> bool:
        """Run a dialog (tests answer it instead)."""
        return run_dialog(dialog)

    def show_item(self, kind: str, item_id: str) -> None:
        contents = self.window.contents
        if kind == "letter":
            contents.setCurrentWidget(self.letters)
            self.letters.reload()
            self.letters.select_letter(item_id)
        elif kind == "quote":
            contents.setCurrentWidget(self.quotes)
            self.quotes.set_document_scope(None)
            self.quotes.reload()
            self.quotes.select_quote(item_id)
            self.quotes.open_quote(self.quotes.current_quote())

    # -- quotes -------------------------------------------------------------------------------

    def new_quote_from_selection(self) -> None:
        selection = self.viewer.selection()
        case_id = self.state.case_id
        info = self.viewer.current_document()
        if selection is None or info is None or not case_id:
            return
        text = self.viewer.selected_text()
        dialog = NewQuoteDialog(self.state, info.case_id, selection, text, self.window)
        if self.exec_dialog(dialog) and dialog.saved is not None:
            self.state.quotes_changed.emit(info.case_id)
            self.window.contents.setCurrentWidget(self.quotes)
            self.quotes.select_quote(dialog.saved.id)
            self.state.show_status(tr("Quote saved, anchored at the selection."))

    # -- redaction ----------------------------------------------------------------------------

    def set_redact_tool(self, on: bool) -> None:
        if on and self.viewer.stack.currentWidget() is not self.viewer.pdf:
            self.state.show_status(tr("Open a PDF document to draw boxes on its pages."))
            self.state.redact_tool_toggled.emit(False)  # the tab's button springs back
            return
        self.redact_tool.set_active(on)

    def add_rect(self, doc_id: str, page_index: int, rect: tuple[float, ...]) -> None:
        try:
            mark = self.state.ws.redactions.add_rect(doc_id, page_index, [rect])  # type: ignore[list-item]
        except DossierError as exc:
            show_error(self.window, exc)
            return
        self.state.redactions_changed.emit(mark.case_id)
        record_mark(self.state, mark.id, mark.case_id)
        self.state.show_status(tr("Box added: it is blacked out in exports."))
        self.reason_bar.ask(mark.id, mark.case_id)

    def _document_shown(self, doc_id: str) -> None:
        self.state.document_shown(doc_id)
        self.refresh_redactions()

    def _marks_changed(self, case_id: str) -> None:
        info = self.viewer.current_document()
        if info is not None and info.case_id == case_id:
            self.refresh_redactions()

    def refresh_redactions(self) -> None:
        """Draw every mark of the open document as a black box (planned off the GUI thread)."""
        info = self.viewer.current_document()
        self._overlay_generation += 1
        generation = self._overlay_generation
        if info is None or not self.state.is_unlocked:
            self.viewer.clear_overlay("redaction")
            return
        ws, pages = self.state.ws, list(self.viewer.pages)

        def shown(preview: RedactionPreview) -> None:
            if generation != self._overlay_generation or self.viewer.doc_id != preview.doc_id:
                return
            self.redaction_overlay = preview
            if self.viewer.stack.currentWidget() is self.viewer.pdf:
                self.viewer.set_overlay("redaction", preview.boxes)
            else:
                self.viewer.set_span_overlay("redaction", preview.spans)

        run_in_background(
            lambda *_: ws.previews.marks(info.id, pages),
            on_success=shown,
            parent=self.window,
        )

    # -- export -------------------------------------------------------------------------------

    def export(self) -> None:
        case_id = self.state.case_id
        if not case_id:
            return
        self.set_redact_tool(False)
        wizard = ExportWizard(self.state, case_id, self.window.unlock_panel.kdf, self.window)
        self.exec_dialog(wizard)

    def verify_bundle(self) -> None:
        self.exec_dialog(VerifyDialog(self.window))

    def import_bundle(self) -> None:
        if self.state.is_unlocked:
            self.exec_dialog(ImportBundleDialog(self.state, self.window))
