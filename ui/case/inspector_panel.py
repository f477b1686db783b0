"""The inspector on the right: properties of the selected item, editable where it makes sense.

One editor per kind of item, registered with `register_editor(editor)`; an editor names its
kind and the heading shown above it (the quotes add theirs). Edits save when the user presses
Save, when the selection moves, and when the vault locks: a draft that cannot be saved (e.g. an
invalid date) is kept in memory and offered again when the same item is shown after unlocking.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from dossier import i18n
from dossier.errors import DossierError
from dossier.services.constants import CASE_STATUSES, DOCUMENT_KINDS
from dossier.services.documents.dto import DocumentEdit
from dossier.services.dto import CaseInfo, DocumentInfo
from ui.errors import message_for
from ui.i18n import N_, tr
from ui.state import AppState
from ui.undo import record_edit
from ui.widgets.fit import breakable
from ui.widgets.icons import kind_label
from ui.widgets.outside_text import shown
from ui.worker import LatestRead

W = TypeVar("W", bound=QWidget)
STATUS_NAMES = {"open": N_("Ongoing"), "published": N_("Published"), "archived": N_("Archived")}


def short(text: str, length: int = 40) -> str:
    """`text` on one line, cut to `length` characters: names an item in a menu."""
    line = " ".join(text.split())
    return line if len(line) <= length else line[: length - 1].rstrip() + "…"


# The size of a file in its unit, as the user's language writes it ("158,5 Ko" in French).
_UNITS = (N_("{n} bytes"), N_("{n} KB"), N_("{n} MB"), N_("{n} GB"))


def file_size(size: int) -> str:
    if size < 1024:
        return tr(_UNITS[0]).format(n=size)
    value = float(size)
    for unit in _UNITS[1:]:
        value /= 1024
        if value < 1024 or unit == _UNITS[-1]:
            break
    number = QLocale(i18n.current_language()).toString(value, "f", 1)
    return tr(unit).format(n=number)


def fact(label: str, value: str) -> str:
    """One line of the document's facts: the label in bold, the value escaped, and the
    colon as the user's language writes it (French puts a no-break space before it)."""
    return tr("{name}: {message}").format(
        name=f"<b>{html.escape(label)}</b>", message=html.escape(breakable(shown(value)))
    )


def language_name(code: str | None) -> str:
    """The language an import guessed ("fr", "en"); "unknown" in words when its text was too
    short or mixed to tell (a photo of a timetable), where a "?" looked like a fault."""
    return code or tr("unknown")


class Editor(QWidget):
    """Base of an inspector editor: a form whose fields mark the editor dirty."""

    kind = ""
    heading = ""
    """Shown above the form (an `N_` text, translated when shown); the kind when empty."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.item: Any = None
        self.dirty = False
        outer = QVBoxLayout(self)
        self.form = QFormLayout()
        outer.addLayout(self.form)
        outer.addStretch(1)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.on_dirty = lambda: None

    def watch(self, widget: W) -> W:
        for signal in ("textEdited", "textChanged", "currentIndexChanged"):
            if hasattr(widget, signal):
                getattr(widget, signal).connect(self._edited)
                break
        return widget

    def _edited(self, *_: object) -> None:
        if not self._loading:
            self.dirty = True
            self.on_dirty()

    _loading = False

    def show_item(self, item: Any, draft: dict[str, Any] | None = None) -> None:
        self._loading = True
        self.item = item
        self.fill(item)
        if draft:
            self.apply_draft(draft)
        for line in self.findChildren(QLineEdit):
            line.setCursorPosition(0)  # long names show their start, not their end
        self._loading = False
        self.dirty = bool(draft)

    # Subclasses fill these in.
    def fill(self, item: Any) -> None:
        raise NotImplementedError

    def draft(self) -> dict[str, Any]:
        raise NotImplementedError

    def apply_draft(self, draft: dict[str, Any]) -> None:
        raise NotImplementedError

    def save(self, draft: dict[str, Any]) -> Any:
        raise NotImplementedError

    def reload(self, item_id: str) -> Any:
        """The item as stored now (after an undo), as this pane shows it."""
        raise NotImplementedError

    def announce(self, item: Any) -> None:
        """Tell the views that `item` changed."""

    def change_text(self, item: Any) -> str:
        """What an edit of `item` is called in Edit › Undo ("edit of quote “…”")."""
        return tr("edit of {what}").format(what=tr(self.heading or self.kind).lower())

    def item_id(self) -> str:
        return str(self.item.id) if self.item is not None else ""

    def clear_fields(self) -> None:
        """Empty every field: the vault is locking and they show its content."""
        self._loading = True
        for line in self.findChildren(QLineEdit):
            line.clear()
        for text in self.findChildren(QPlainTextEdit):
            text.clear()
        for label in self.findChildren(QLabel):
            if label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse:
                label.clear()
        self._loading = False
        self.item = None
        self.dirty = False


class CaseEditor(Editor):
    kind = "case"
    heading = N_("Case")

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        self.name = self.watch(QLineEdit())
        self.description = self.watch(QPlainTextEdit())
        self.description.setMaximumHeight(110)
        self.status = self.watch(QComboBox())
        for status in CASE_STATUSES:
            self.status.addItem(tr(STATUS_NAMES.get(status, status)), status)
        self.published = self.watch(QLineEdit())
        self.published.setPlaceholderText(tr("YYYY-MM-DD"))
        self.created = QLabel()
        self.count = QLabel()
        self.form.addRow(tr("Name"), self.name)
        self.form.addRow(tr("Description"), self.description)
        self.form.addRow(tr("Status"), self.status)
        self.form.addRow(tr("Published on"), self.published)
        self.form.addRow(tr("Created"), self.created)
        self.form.addRow(tr("Documents"), self.count)
        self._counts = LatestRead(self)
        """The count is read in a worker: an import tells every second."""
        state.documents_changed.connect(self._recount)

    def _recount(self, case_id: str) -> None:
        """An import or a deletion changed the case shown: its count follows, edits stay (a
        case deleted meanwhile: the case list clears this pane)."""
        if self.item is None or str(self.item.id) != case_id or not self.state.is_unlocked:
            return
        self._counts.ask(self.state.ws.cases.document_counts, partial(self._show_count, case_id))

    def _show_count(self, case_id: str, counts: dict[str, int]) -> None:
        if self.item is not None and str(self.item.id) == case_id:
            self.count.setText(str(counts.get(case_id, 0)))

    def fill(self, case: CaseInfo) -> None:
        self.name.setText(case.name)
        self.description.setPlainText(case.description)
        self.status.setCurrentIndex(max(0, self.status.findData(case.status)))
        self.published.setText(case.published_on or "")
        self.created.setText(case.created_at.strftime("%Y-%m-%d %H:%M"))
        self.count.setText(str(case.document_count))

    def draft(self) -> dict[str, Any]:
        return {
            "name": self.name.text(),
            "description": self.description.toPlainText(),
            "status": self.status.currentData(),
            "published_on": self.published.text().strip(),
        }

    def apply_draft(self, draft: dict[str, Any]) -> None:
        self.name.setText(draft["name"])
        self.description.setPlainText(draft["description"])
        self.status.setCurrentIndex(max(0, self.status.findData(draft["status"])))
        self.published.setText(draft["published_on"])

    def save(self, draft: dict[str, Any]) -> CaseInfo:
        case = self.state.ws.cases.update(self.item.id, **draft)
        self.announce(case)
        return case

    def reload(self, item_id: str) -> CaseInfo:
        return self.state.ws.cases.get(item_id)

    def announce(self, item: Any) -> None:
        self.state.cases_changed.emit()

    def change_text(self, item: Any) -> str:
        return tr("edit of case “{name}”").format(name=short(item.name))


class DocumentEditor(Editor):
    kind = "document"
    heading = N_("Document")

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        self.title = self.watch(QLineEdit())
        self.doc_kind = self.watch(QComboBox())
        for kind in DOCUMENT_KINDS:
            self.doc_kind.addItem(kind_label(kind), kind)
        self.date = self.watch(QLineEdit())
        self.date.setPlaceholderText(tr("YYYY-MM-DD"))
        self.outlet = self.watch(QLineEdit())
        self.author = self.watch(QLineEdit())
        self.tags = self.watch(QLineEdit())
        self.tags.setPlaceholderText(tr("comma-separated"))
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.addRow(tr("Title"), self.title)
        self.form.addRow(tr("Kind"), self.doc_kind)
        self.form.addRow(tr("Date"), self.date)
        self.form.addRow(tr("Outlet"), self.outlet)
        self.form.addRow(tr("Author"), self.author)
        self.form.addRow(tr("Tags"), self.tags)
        self.form.addRow(self.facts)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes.setAccessibleName(tr("Notes on this document"))
        self.form.addRow(self.notes)

    def fill(self, doc: DocumentInfo) -> None:
        self.title.setText(doc.title)
        self.doc_kind.setCurrentIndex(max(0, self.doc_kind.findData(doc.kind)))
        self.date.setText(doc.date or "")
        self.outlet.setText(doc.outlet)
        self.author.setText(doc.author)
        self.tags.setText(", ".join(doc.tags))
        facts = [
            (tr("File"), doc.filename),
            (tr("Type"), doc.mime),
            (tr("Size"), file_size(doc.size)),
            (tr("Pages"), str(doc.page_count)),
            (tr("Pages read by OCR"), str(doc.ocr_pages)),
            (tr("Language"), language_name(doc.language)),
            (tr("Imported"), doc.created_at.strftime("%Y-%m-%d %H:%M")),
        ]
        if doc.metadata.get("date_source"):
            facts.insert(0, (tr("Date from"), doc.metadata["date_source"]))
        facts += self._family(doc)
        self.notes.setText(self._notes(doc))
        # Long file names wrap at their separators instead of widening the pane.
        self.facts.setText("<br/>".join(fact(k, v) for k, v in facts))

    def _notes(self, doc: DocumentInfo) -> str:
        """The notes written on passages of the document, in reading order."""
        ws = self.state.ws
        notes = ws.notes.of_document(doc.id, reveal=ws.screen.revealed(doc.case_id))
        if not notes:
            return ""
        heading = html.escape(tr("Notes ({n})").format(n=len(notes)))
        rows = [
            tr("p. {page} “{passage}”: {note}").format(
                page=note.page_index + 1,
                passage=html.escape(short(shown(note.excerpt, passage=True), 80)),
                note=html.escape(note.body).replace("\n", "<br/>"),
            )
            for note in notes
        ]
        return f"<b>{heading}</b><br/>" + "<br/>".join(rows)

    def _family(self, doc: DocumentInfo) -> list[tuple[str, str]]:
        """Where the document came from and what came out of it (attachments, messages)."""
        found: list[tuple[str, str]] = []
        documents = self.state.ws.documents
        if doc.parent_id:
            parent = documents.get(doc.parent_id)
            found.append((tr("Part of"), f"{parent.title} ({doc.origin})"))
        children = documents.children(doc.id)
        if children:
            names = ", ".join(child.title for child in children[:12])
            more = "…" if len(children) > 12 else ""
            found.append((tr("Contains"), f"{len(children)}: {names}{more}"))
        for key, label in (
            ("not_imported", tr("Not imported")),
            ("duplicates", tr("Already in the case")),
            # A font whose text says other letters than it draws: search misses them there.
            ("pages_text_unlike_glyphs", tr("Pages whose text differs from the letters shown")),
        ):
            if doc.metadata.get(key):
                found.append((label, "; ".join(doc.metadata[key].splitlines())))
        return found

    def draft(self) -> dict[str, Any]:
        return {
            "title": self.title.text().strip(),
            "kind": self.doc_kind.currentData(),
            "date": self.date.text().strip(),
            "outlet": self.outlet.text().strip(),
            "author": self.author.text().strip(),
            "tags": [t.strip() for t in self.tags.text().split(",") if t.strip()],
        }

    def apply_draft(self, draft: dict[str, Any]) -> None:
        self.title.setText(draft["title"])
        self.doc_kind.setCurrentIndex(max(0, self.doc_kind.findData(draft["kind"])))
        self.date.setText(draft["date"])
        self.outlet.setText(draft["outlet"])
        self.author.setText(draft["author"])
        self.tags.setText(", ".join(draft["tags"]))

    def save(self, draft: dict[str, Any]) -> DocumentInfo:
        doc = self.state.ws.documents.update(self.item.id, DocumentEdit(**draft))
        self.announce(doc)
        return doc

    def reload(self, item_id: str) -> DocumentInfo:
        ws = self.state.ws
        return ws.documents.get(item_id, reveal=ws.screen.revealed(self.state.case_id))

    def announce(self, item: Any) -> None:
        self.state.documents_changed.emit(item.case_id)

    def change_text(self, item: Any) -> str:
        return tr("edit of document “{title}”").format(title=short(item.title))


class InspectorPanel(QWidget):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.editors: dict[str, Editor] = {}
        self.drafts: dict[tuple[str, str], dict[str, Any]] = {}
        self.current: Editor | None = None
        self.heading = QLabel(tr("Nothing selected"))
        self.heading.setStyleSheet("font-weight: bold;")
        self.stack = QStackedWidget()
        self.stack.addWidget(QWidget())
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.stack)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.save_button = QPushButton(tr("Save"))
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.flush)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.register_editor(CaseEditor(state))
        self.register_editor(DocumentEditor(state))
        state.item_selected.connect(self.show_item)
        state.locking.connect(self._locking)

    def register_editor(self, editor: Editor) -> None:
        self.editors[editor.kind] = editor
        editor.on_dirty = lambda: self.save_button.setEnabled(True)
        self.stack.addWidget(editor)

    def show_item(self, kind: str, item: Any) -> None:
        if self.current is not None and self.current.dirty:
            self.flush()
        editor = self.editors.get(kind)
        self.message.clear()
        if editor is None or item is None:
            self.current = None
            self.stack.setCurrentIndex(0)
            self.heading.setText(tr("Nothing selected"))
            self.save_button.setEnabled(False)
            return
        editor.show_item(item, self.drafts.pop((kind, str(item.id)), None))
        self.current = editor
        self.stack.setCurrentWidget(editor)
        self.heading.setText(tr(editor.heading or kind))
        self.save_button.setEnabled(editor.dirty)

    def flush(self) -> bool:
        """Save the current edits; on failure keep them as a draft and say why."""
        editor = self.current
        if editor is None or not editor.dirty:
            return True
        draft = editor.draft()
        key = (editor.kind, editor.item_id())
        # Not dirty while saving: the save's own change signals may re-show this item.
        editor.dirty = False
        try:
            before = self.state.ws.history.snapshot(editor.kind, key[1])
            saved = editor.save(draft)
            record_edit(self.state, editor.change_text(saved), before, self._announcer(editor, key))
        except DossierError as exc:
            editor.dirty = True
            self.drafts[key] = draft
            self.message.setText(message_for(exc))
            return False
        if editor.item is not None and editor.item_id() == key[1]:
            editor.item = saved
        self.drafts.pop(key, None)
        self.save_button.setEnabled(False)
        self.message.clear()
        self.state.show_status(tr("Saved."))
        return True

    def _announcer(self, editor: Editor, key: tuple[str, str]) -> Callable[[], None]:
        """After an undo or a redo: the views reload, the details pane shows the item."""

        def announce() -> None:
            try:
                item = editor.reload(key[1])
            except DossierError:
                return  # deleted since: nothing to show
            editor.announce(item)
            self.state.select_item(key[0], item)

        return announce

    def _locking(self) -> None:
        self.flush()
        self.current = None
        for editor in self.editors.values():
            editor.clear_fields()
        self.stack.setCurrentIndex(0)
        self.heading.setText(tr("Nothing selected"))
        self.message.clear()
        self.save_button.setEnabled(False)
