"""A case's documents as a tree: one branch per kind, then the documents by date and title.

The tree is kept, not rebuilt: `apply` adds the documents new to it in their place, shows
edits where they are and drops the deleted ones, so a notice during a large import costs the
rows that changed, not the whole case. Only an edit that moves a document with attachments
below it, or a deletion that leaves one of them behind, builds the tree again.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from dossier.services.constants import DOCUMENT_KINDS
from dossier.services.dto import DocumentChanges, DocumentInfo
from ui.i18n import tr
from ui.widgets.icons import kind_icon, kind_label
from ui.widgets.outside_text import shown

DOC_ROLE = Qt.ItemDataRole.UserRole + 1
"""The `DocumentInfo` of a document row (None on a kind branch)."""

_MAX_DEPTH = 12
_BRANCH = "kind:"


def _sort_key(doc: DocumentInfo) -> tuple[str, str]:
    return (doc.date or "9999", doc.title.casefold())


def _file_type(filename: str) -> str:
    """ "docx" of "a/Note.DOCX"; "" when the name says no type."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem and ext.isalnum() and len(ext) <= 5 else ""


def _rank(origin: str) -> int:
    last = origin.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


class DocumentsModel(QStandardItemModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels([tr("Document"), tr("Date"), tr("Pages")])
        self._docs: dict[str, DocumentInfo] = {}
        self._items: dict[str, QStandardItem] = {}
        """The title item of each document shown (one nested too deep is held, not shown)."""
        self._depth: dict[str, int] = {}
        self._branches: dict[str, QStandardItem] = {}
        self._keys: dict[str, list[tuple[object, ...]]] = {}
        """Sort keys of the rows under each branch (`_BRANCH` + kind) or parent (its id)."""
        self._parents: Counter[str] = Counter()
        """How many documents held name each parent: whether a new document is the late
        parent of some, without going over all (a part of 25 rows went over 10,000)."""
        self._ids_seen: frozenset[str] | None = None
        """The case's ids of the last changes applied: the other parts of the same read drop
        nothing more."""

    # -- reading ------------------------------------------------------------------------------

    @property
    def documents(self) -> list[DocumentInfo]:
        """The documents held, in the order `of_case` lists them."""
        return sorted(self._docs.values(), key=lambda d: (*_sort_key(d), d.id))

    def document_ids(self) -> frozenset[str]:
        return frozenset(self._docs)

    def document_at(self, index: QModelIndex) -> DocumentInfo | None:
        if not index.isValid():
            return None
        first = index.siblingAtColumn(0)
        value = self.data(first, DOC_ROLE)
        return value if isinstance(value, DocumentInfo) else None

    def index_of(self, doc_id: str) -> QModelIndex | None:
        item = self._items.get(doc_id)
        return item.index() if item is not None and item.index().isValid() else None

    # -- changing -----------------------------------------------------------------------------

    def load(self, documents: list[DocumentInfo]) -> None:
        """Show exactly `documents` (built anew)."""
        self.clear_documents()
        self._add({d.id: d for d in documents})

    def clear_documents(self) -> None:
        self.removeRows(0, self.rowCount())
        self._docs, self._items, self._depth, self._branches, self._keys = {}, {}, {}, {}, {}
        self._parents, self._ids_seen = Counter(), None

    def apply(self, changes: DocumentChanges) -> list[QStandardItem]:
        """Bring the tree to `changes`; returns the items that got rows below them (to
        expand)."""
        gone = set() if changes.ids is self._ids_seen else set(self._docs) - changes.ids
        self._ids_seen = changes.ids
        changed = [d for d in changes.changed if self._docs.get(d.id) != d]
        new_ids = {d.id for d in changed if d.id not in self._docs}
        if (
            any(self._must_rebuild(doc_id, gone) for doc_id in gone)
            or any(
                doc.id in self._docs and self._moves(doc) and self._has_rows_below(doc.id)
                for doc in changed
            )
            or not new_ids.isdisjoint(self._parents)  # a parent came late
        ):
            kept = {i: d for i, d in self._docs.items() if i not in gone}
            kept.update((d.id, d) for d in changed)
            self.load(list(kept.values()))
            return [self._branches[k] for k in DOCUMENT_KINDS if k in self._branches]
        for doc_id in gone:
            self._take(doc_id)
        fresh: dict[str, DocumentInfo] = {}
        for doc in changed:
            if doc.id in self._docs and not self._moves(doc):
                self._docs[doc.id] = doc  # the same parent: `_moves` compares it
                self._show(self._items[doc.id], doc)
                continue
            if doc.id in self._docs:
                self._take(doc.id)
            fresh[doc.id] = doc
        opened = self._add(fresh)
        self._count_branches()
        return opened

    def _must_rebuild(self, doc_id: str, gone: set[str]) -> bool:
        """A deleted document whose attachments stay would take them with its row."""
        if not self._has_rows_below(doc_id):
            return False
        return any(d.parent_id == doc_id and d.id not in gone for d in self._docs.values())

    def _has_rows_below(self, doc_id: str) -> bool:
        item = self._items.get(doc_id)
        return item is not None and item.rowCount() > 0

    def _moves(self, doc: DocumentInfo) -> bool:
        old = self._docs[doc.id]
        return (old.kind, old.parent_id, _sort_key(old), old.origin) != (
            doc.kind,
            doc.parent_id,
            _sort_key(doc),
            doc.origin,
        )

    def _forget(self, doc_id: str) -> DocumentInfo | None:
        old = self._docs.pop(doc_id, None)
        if old is not None and old.parent_id:
            self._parents[old.parent_id] -= 1
            if not self._parents[old.parent_id]:
                del self._parents[old.parent_id]
        return old

    def _take(self, doc_id: str) -> None:
        old = self._forget(doc_id)
        depth = self._depth.pop(doc_id, 0)
        item = self._items.pop(doc_id, None)
        self._keys.pop(doc_id, None)
        if old is None or item is None or not item.index().isValid():
            return
        self._forget_below(item)  # its row takes theirs with it
        slot = str(old.parent_id) if depth else _BRANCH + old.kind
        under = item.parent()
        row = item.row()
        keys = self._keys.get(slot)
        if keys is not None and row < len(keys):
            del keys[row]
        under.removeRow(row)
        if not depth and under.rowCount() == 0:
            del self._branches[old.kind]
            self._keys.pop(slot, None)
            self.removeRow(under.row())

    def _forget_below(self, item: QStandardItem) -> None:
        for row in range(item.rowCount()):
            child = item.child(row)
            doc = child.data(DOC_ROLE)
            if isinstance(doc, DocumentInfo):
                self._forget_below(child)
                self._forget(doc.id)
                for held in (self._items, self._depth, self._keys):
                    held.pop(doc.id, None)

    def _add(self, fresh: dict[str, DocumentInfo]) -> list[QStandardItem]:
        """Rows for `fresh`, each in its place: parents before their attachments."""
        opened: list[QStandardItem] = []
        self._docs.update(fresh)
        self._parents.update(d.parent_id for d in fresh.values() if d.parent_id)
        waiting = dict(sorted(fresh.items(), key=lambda pair: _sort_key(pair[1])))
        while waiting:
            placed = [
                doc
                for doc in waiting.values()
                if doc.parent_id not in self._docs or doc.parent_id in self._items
            ]
            if not placed:  # a loop of parents: should not be, shown at the top rather than lost
                placed = list(waiting.values())
            for doc in placed:
                del waiting[doc.id]
                self._place(doc, opened)
        self._count_branches()
        return opened

    def _place(self, doc: DocumentInfo, opened: list[QStandardItem]) -> None:
        parent_item = self._items.get(doc.parent_id or "")
        if parent_item is not None and doc.parent_id in self._docs:
            depth = self._depth[str(doc.parent_id)] + 1
            key: tuple[object, ...] = (_rank(doc.origin), *_sort_key(doc))
            under, slot = parent_item, str(doc.parent_id)
        else:
            depth, key = 0, _sort_key(doc)
            under, slot = self._branch(doc.kind, opened), _BRANCH + doc.kind
        self._depth[doc.id] = depth
        row = self._row(doc)
        self._items[doc.id] = row[0]
        if depth > _MAX_DEPTH:
            return  # held (its own attachments too) but not shown, as deep as trees go
        keys = self._keys.setdefault(slot, [])
        at = bisect_right(keys, key)
        keys.insert(at, key)
        if depth and under.rowCount() == 0:
            opened.append(under)
        under.insertRow(at, row)

    def _branch(self, kind: str, opened: list[QStandardItem]) -> QStandardItem:
        branch = self._branches.get(kind)
        if branch is not None:
            return branch
        branch = QStandardItem(kind_icon(kind), "")
        branch.setEditable(False)
        branch.setSelectable(False)
        filler = [QStandardItem(""), QStandardItem("")]
        for item in filler:
            item.setEditable(False)
            item.setSelectable(False)
        order = list(DOCUMENT_KINDS)
        at = sum(1 for k in self._branches if order.index(k) < order.index(kind))
        self._branches[kind] = branch
        self.insertRow(at, [branch, *filler])
        opened.append(branch)
        return branch

    def _count_branches(self) -> None:
        for kind, branch in self._branches.items():
            text = f"{kind_label(kind, plural=True)} ({branch.rowCount()})"
            if branch.text() != text:
                branch.setText(text)

    def _row(self, doc: DocumentInfo) -> list[QStandardItem]:
        items = [QStandardItem(kind_icon(doc.kind), ""), QStandardItem(""), QStandardItem("")]
        items[2].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for item in items:
            item.setEditable(False)
        items[1].setText(doc.date or "")
        items[2].setText(str(doc.page_count))
        self._show(items[0], doc)
        return items

    def _show(self, title: QStandardItem, doc: DocumentInfo) -> None:
        """Every text of a document's row, from the title item (escaped: outside text)."""
        label = shown(doc.title)
        if self._depth.get(doc.id, 0) and (kind := _file_type(doc.filename)):
            # A message's attachments often share a heading (a .docx and its .pdf): the
            # type tells them apart where the title alone repeats.
            label = f"{label} ({kind})"
        title.setText(label)
        title.setData(doc, DOC_ROLE)
        title.setToolTip(
            f"{shown(doc.title)} — {shown(doc.origin)}" if doc.origin else shown(doc.title)
        )
        if not title.index().isValid():  # not in the tree yet: `_row` sets its other cells
            return
        parent = title.parent()
        parent.child(title.row(), 1).setText(doc.date or "")
        parent.child(title.row(), 2).setText(str(doc.page_count))
