"""Names from outside are shown escaped in every view: lists, trees, tables, tabs, labels,
tooltips, window titles, combo boxes and read-only text panes.

A title, file name, subject, speaker or person's name comes from the files a journalist is
sent: a newline in it adds a fake line to a list, a right-to-left override (U+202E) turns
"cod.exe" into "exe.doc" on screen, a NUL cuts it. Each such text here carries all three, and
every widget of the window is read as a user would see it, after visiting every view. Editable
fields keep the real value (they are where it is corrected) and are not read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from dossier.services.documents.dto import DocumentEdit
from tests.ui.conftest import documents_read, import_now, sample_pdf
from ui.export.export_wizard import ChoosePage
from ui.export.redaction_rule_dialog import RuleDialog
from ui.letters.reply_dialog import ReplyDialog
from ui.main_window import MainWindow
from ui.people.merge_dialog import MergeDialog
from ui.quotes.find_quote_dialog import FindQuoteDialog
from ui.timeline.timeline_entry_dialog import TimelineEntryDialog

EVIL = "Memo\nfake line \u202etxt.exe\x00hidden"
"""An outside name: a newline, a right-to-left override and a NUL."""
ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)


def _model_texts(model: QAbstractItemModel, parent: QModelIndex) -> Iterator[str]:
    try:
        columns = model.columnCount(parent)
    except TypeError:  # a list model: its column count is private in PySide, and one
        columns = 1
    for row in range(model.rowCount(parent)):
        for column in range(columns):
            index = model.index(row, column, parent)
            for role in ROLES:
                value = index.data(role)
                if isinstance(value, str):
                    yield value
            if column == 0:
                yield from _model_texts(model, index)


def shown_texts(window: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every piece of text the window shows, dialogs and docks included."""
    widgets = [window, *window.findChildren(QWidget)]
    widgets += [w for w in QApplication.topLevelWidgets() if w not in widgets and w.isVisible()]
    for widget in widgets:
        where = f"{type(widget).__name__} {widget.accessibleName() or widget.objectName()}"
        yield f"{where} window title", widget.windowTitle()
        yield f"{where} tooltip", widget.toolTip()
        if isinstance(widget, QLabel | QAbstractButton):
            yield where, widget.text()
        if isinstance(widget, QComboBox):
            for i in range(widget.count()):
                yield where, widget.itemText(i)
        if isinstance(widget, QTabBar):
            for i in range(widget.count()):
                yield where, widget.tabText(i)
                yield where, widget.tabToolTip(i)
        if isinstance(widget, QTextEdit | QPlainTextEdit) and widget.isReadOnly():
            yield where, widget.toPlainText()
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            for text in _model_texts(widget.model(), QModelIndex()):
                yield where, text
    for action in window.findChildren(QAction):
        yield "action", action.text()
        yield "action tooltip", action.toolTip()


def _raw(text: str) -> bool:
    return "\u202e" in text or "\x00" in text or "Memo\nfake" in text


def _fill(win: MainWindow, tmp_path: Path) -> dict[str, Any]:
    ws, case = win.state.ws, win.state.case_id
    doc_id = import_now(win, sample_pdf(tmp_path / "in"), kind="letter")
    person = ws.people.add(case, EVIL, organisation=EVIL)
    quote = ws.quotes.add(case, f"Une phrase de {EVIL}", speaker=person.id)
    ws.people.add(case, "Le journal")
    letter = ws.letters.add(
        case, sender="Le journal", recipients=[EVIL], questions=[EVIL], subject=EVIL
    )
    ws.timeline.add_entry(case, when="2024-03-01", title=EVIL)
    ws.cases.create(EVIL, EVIL)
    changed = ("documents_changed", "people_changed", "quotes_changed", "letters_changed")
    for signal in (*changed, "timeline_changed"):
        getattr(win.state, signal).emit(case)
    win.state.cases_changed.emit()
    document = ws.documents.update(doc_id, DocumentEdit(title=EVIL))
    return {"document": document, "person": person, "quote": quote, "letter": letter}


def _dialogs(win: MainWindow, items: dict[str, Any]) -> list[QWidget]:
    """The dialogs that list outside names, made as their panels make them (not run)."""
    state, case = win.state, win.state.case_id
    people = state.ws.people.of_case(case)
    documents = state.ws.documents.of_case(case)
    quotes = state.ws.quotes.of_case(case)
    return [
        FindQuoteDialog(state, case, "", win),
        ReplyDialog(state, case, items["letter"], win),
        MergeDialog(state, case, people, None, win),
        TimelineEntryDialog(state, case, parent=win),
        RuleDialog(state, case, "person", win),
        ChoosePage(documents, quotes),
    ]


def test_every_view_shows_outside_names_escaped(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    items = _fill(win, tmp_path)
    doc_id = items["document"].id
    win.state.open_document(doc_id, 0)
    qtbot.waitUntil(lambda: win.viewer.doc_id == doc_id, timeout=10000)
    win.search.field.setText("collège")
    win.search.search_now()
    qtbot.waitUntil(lambda: bool(win.search.model.hits), timeout=10000)
    seen: list[tuple[str, str]] = []
    tabs = win.contents
    for number in range(tabs.count()):  # every tab of the case, each loaded as the user sees it
        tabs.setCurrentIndex(number)
        documents_read(win)
        seen += shown_texts(win)
    for kind, item in items.items():  # the inspector, for each kind of thing
        win.inspector.show_item(kind, item)
        seen += shown_texts(win)
    for dialog in _dialogs(win, items):
        qtbot.addWidget(dialog)
        seen += shown_texts(dialog)
    raw = sorted({f"{where}: {text!r}" for where, text in seen if _raw(text)})
    assert not raw, "\n".join(raw)
    escaped = {where.split(" ")[0] for where, text in seen if "\\u202e" in text}
    assert len(escaped) >= 6, escaped  # the views did show the names (escaped)
