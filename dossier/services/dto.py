"""Plain data returned by services: no ORM objects leave the service layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class CaseInfo:
    id: str
    name: str
    description: str
    status: str
    created_at: datetime
    published_on: str | None = None
    document_count: int = 0


@dataclass(frozen=True)
class DocumentInfo:
    id: str
    case_id: str
    kind: str
    title: str
    date: str | None
    outlet: str
    author: str
    filename: str
    mime: str
    size: int
    page_count: int
    language: str | None
    ocr_pages: int
    extractor_version: str
    created_at: datetime
    tags: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    parent_id: str | None = None
    """The document this one came out of (its message, mailbox or archive), if any."""
    origin: str = ""
    """Where it sat in its parent: "attachment", "message 12", "member a/b.pdf"."""

    @property
    def is_pdf(self) -> bool:
        return self.mime == "application/pdf"

    @property
    def has_pages(self) -> bool:
        """Whether the original is shown as rendered pages (a PDF, a photo or a scan)."""
        return self.is_pdf or self.mime.startswith("image/")


@dataclass(frozen=True)
class ImportOutcome:
    """One file of a batch: the document, or the reason it was refused."""

    path: str
    document: DocumentInfo | None = None
    error: str | None = None
    needs_password: bool = False


@dataclass(frozen=True)
class SearchableItem:
    """One catalog item (letter, question, reply, person) offered to the search index.

    `title` and `text` already use display names: a protected person appears under the
    pseudonym only, so the index never holds (nor shows in a snippet) a name kept back.
    """

    item_type: str
    item_id: str
    case_id: str
    title: str
    text: str
    date: str | None = None
    people: list[str] = field(default_factory=list)
