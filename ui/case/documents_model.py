"""A case's documents as a tree: one branch per kind, then the documents by date and title."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from dossier.services.constants import DOCUMENT_KINDS
from dossier.services.dto import DocumentInfo
from ui.i18n import tr
from ui.widgets.icons import kind_icon, kind_label
from ui.widgets.outside_text import shown

DOC_ROLE = Qt.ItemDataRole.UserRole + 1
"""The `DocumentInfo` of a document row (None on a kind branch)."""


class DocumentsModel(QStandardItemModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels([tr("Document"), tr("Date"), tr("Pages")])
        self.documents: list[DocumentInfo] = []

    def load(self, documents: list[DocumentInfo]) -> None:
        self.removeRows(0, self.rowCount())
        self.documents = list(documents)
        ids = {d.id for d in documents}
        below: dict[str, list[DocumentInfo]] = {}
        for doc in documents:
            if doc.parent_id in ids:
                below.setdefault(str(doc.parent_id), []).append(doc)
        for kind in DOCUMENT_KINDS:
            # A document that came out of another (an attachment) sits under its parent.
            of_kind = [d for d in documents if d.kind == kind and d.parent_id not in ids]
            if not of_kind:
                continue
            branch = QStandardItem(
                kind_icon(kind), f"{kind_label(kind, plural=True)} ({len(of_kind)})"
            )
            branch.setEditable(False)
            branch.setSelectable(False)
            for doc in of_kind:
                branch.appendRow(self._row(doc, below))
            filler = [QStandardItem(""), QStandardItem("")]
            for item in filler:
                item.setEditable(False)
                item.setSelectable(False)
            self.appendRow([branch, *filler])

    def _row(
        self, doc: DocumentInfo, below: dict[str, list[DocumentInfo]], depth: int = 0
    ) -> list[QStandardItem]:
        title = QStandardItem(kind_icon(doc.kind), shown(doc.title))
        title.setData(doc, DOC_ROLE)
        title.setToolTip(
            f"{shown(doc.title)} — {shown(doc.origin)}" if doc.origin else shown(doc.title)
        )
        date = QStandardItem(doc.date or "")
        pages = QStandardItem(str(doc.page_count))
        pages.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for item in (title, date, pages):
            item.setEditable(False)
        if depth < _MAX_DEPTH:
            for child in sorted(below.get(doc.id, []), key=lambda c: _rank(c.origin)):
                title.appendRow(self._row(child, below, depth + 1))
        return [title, date, pages]

    def clear_documents(self) -> None:
        self.removeRows(0, self.rowCount())
        self.documents = []

    def document_at(self, index: QModelIndex) -> DocumentInfo | None:
        if not index.isValid():
            return None
        first = index.siblingAtColumn(0)
        value = self.data(first, DOC_ROLE)
        return value if isinstance(value, DocumentInfo) else None

    def index_of(self, doc_id: str) -> QModelIndex | None:
        for row in range(self.rowCount()):
            found = self._find(self.item(row), doc_id)
            if found is not None:
                return found.index()
        return None

    def _find(self, item: QStandardItem, doc_id: str) -> QStandardItem | None:
        for row in range(item.rowCount()):
            child = item.child(row)
            doc = child.data(DOC_ROLE)
            if isinstance(doc, DocumentInfo) and doc.id == doc_id:
                return child
            deeper = self._find(child, doc_id)
            if deeper is not None:
                return deeper
        return None


_MAX_DEPTH = 12


def _rank(origin: str) -> int:
    last = origin.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0
