"""A case's documents as a tree: one branch per kind, then the documents by date and title."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from dossier.services.constants import DOCUMENT_KINDS
from dossier.services.dto import DocumentInfo
from ui.i18n import tr
from ui.widgets.icons import kind_icon, kind_label

DOC_ROLE = Qt.ItemDataRole.UserRole + 1
"""The `DocumentInfo` of a document row (None on a kind branch)."""


class DocumentsModel(QStandardItemModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels([tr("Document"), tr("Date"), tr("Pages")])
        self.documents: list[DocumentInfo] = []

    def load(self, documents: list[DocumentInfo]) -> None:
        self.removeRows(0, self.rowCount())
        self.documents = list(documents)
        for kind in DOCUMENT_KINDS:
            of_kind = [d for d in documents if d.kind == kind]
            if not of_kind:
                continue
            branch = QStandardItem(
                kind_icon(kind), f"{kind_label(kind, plural=True)} ({len(of_kind)})"
            )
            branch.setEditable(False)
            branch.setSelectable(False)
            for doc in of_kind:
                title = QStandardItem(kind_icon(kind), doc.title)
                title.setData(doc, DOC_ROLE)
                title.setToolTip(doc.title)
                date = QStandardItem(doc.date or "")
                pages = QStandardItem(str(doc.page_count))
                pages.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                for item in (title, date, pages):
                    item.setEditable(False)
                branch.appendRow([title, date, pages])
            filler = [QStandardItem(""), QStandardItem("")]
            for item in filler:
                item.setEditable(False)
                item.setSelectable(False)
            self.appendRow([branch, *filler])

    def clear_documents(self) -> None:
        self.removeRows(0, self.rowCount())
        self.documents = []

    def document_at(self, index) -> DocumentInfo | None:
        if not index.isValid():
            return None
        first = index.siblingAtColumn(0)
        value = self.data(first, DOC_ROLE)
        return value if isinstance(value, DocumentInfo) else None

    def index_of(self, doc_id: str):
        for row in range(self.rowCount()):
            branch = self.item(row)
            for child in range(branch.rowCount()):
                doc = branch.child(child).data(DOC_ROLE)
                if isinstance(doc, DocumentInfo) and doc.id == doc_id:
                    return branch.child(child).index()
        return None
