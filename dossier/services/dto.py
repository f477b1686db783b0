"""Plain data of the top-level services and data shared by several features: no ORM objects
leave the service layer. A feature package keeps its own in its `dto.py`.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, Final

from dossier.errors import CorruptData
from dossier.i18n import _
from dossier.search.model import ScorePart


class Keep(enum.Enum):
    KEEP = "keep"


KEEP: Final = Keep.KEEP
"""A field of an edit (`QuoteEdit`, `LetterEdit`, `PersonEdit`, `DocumentEdit`) left at KEEP is
not changed (None is a value: "remove it")."""


class Edit:
    """What the typed edits of the use cases share (each is a frozen dataclass of fields that
    default to KEEP)."""

    def changed(self) -> list[str]:
        """The names of the fields this edit changes."""
        edit: Any = self  # a dataclass: each subclass is one
        return [f.name for f in fields(edit) if getattr(edit, f.name) is not KEEP]


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

    @property
    def exportable(self) -> bool:
        """Whether an export takes it, as a redacted PDF: every document but the listings of
        archives, mailboxes and web archives (their files and messages are exported instead)."""
        return self.mime not in LISTING_MIMES


LISTING_MIMES = frozenset(
    {
        "application/zip",
        "application/x-tar",
        "application/gzip",
        "application/x-bzip2",
        "application/x-xz",
        "application/mbox",
        "application/warc",
        "application/wacz",
    }
)
"""Documents that list the files (or messages, or captured pages) they hold."""


@dataclass(frozen=True)
class DocumentChanges:
    """What a view of a case's documents must change since it last asked (`documents.changes`)."""

    changed: list[DocumentInfo]
    """Documents new to the view or edited since its marker, as `of_case` shows them."""
    ids: frozenset[str]
    """Every document of the case now: the view drops those it holds and this lacks."""
    marker: datetime
    """When this answer was read: the view hands it back with its next question."""
    recent: Mapping[str, str] = field(default_factory=dict)
    """The edit time (a token, compared only) of each document edited lately, read before the
    documents: the view hands it back too, and a document it holds as it is now is not sent
    again while its edit is within the margin kept for late commits."""


@dataclass(frozen=True)
class ImportOutcome:
    """One file of a batch: the document, or the reason it was refused."""

    path: str
    document: DocumentInfo | None = None
    error: str | None = None
    needs_password: bool = False
    exit_code: int = 0
    """The refusal's exit code (README), 0 for an import."""
    already_as: str | None = None
    """A skipped duplicate: the document of the case that already holds this file."""


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


@dataclass(frozen=True)
class AuditRecord:
    seq: int
    at: str
    case_id: str | None
    action: str
    details: dict[str, Any]


@dataclass(frozen=True)
class AuditCheck:
    entries: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class FsckReport:
    checked: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Journal:
    todo: list[str] = field(default_factory=list)
    """Cases still under their old key, in order."""
    cleanup: list[str] = field(default_factory=list)
    """Cases switched to their new key whose old files may still be on disk."""
    keys: dict[str, str] = field(default_factory=dict)
    """Case id -> its new key, wrapped under the master (base64), once chosen."""
    started: list[str] = field(default_factory=list)
    """Every case of this rekey (for the final count)."""

    def dump(self) -> str:
        return json.dumps(
            {"v": 1, "todo": self.todo, "cleanup": self.cleanup, "keys": self.keys,
             "started": self.started},
            sort_keys=True,
        )  # fmt: skip

    @classmethod
    def parse(cls, value: str) -> Journal:
        try:
            data = json.loads(value)
            return cls(
                [str(c) for c in data["todo"]],
                [str(c) for c in data["cleanup"]],
                {str(k): str(v) for k, v in data["keys"].items()},
                [str(c) for c in data.get("started", [])],
            )
        except (ValueError, TypeError, KeyError, AttributeError):
            raise CorruptData(
                _("the journal of an interrupted re-encryption is unreadable")
            ) from None


@dataclass(frozen=True)
class RekeyResult:
    cases: int
    documents: int
    pages: int
    originals: int
    resumed: bool

    def to_json(self) -> dict[str, object]:
        return {
            "cases": self.cases,
            "documents": self.documents,
            "pages": self.pages,
            "originals": self.originals,
            "resumed": self.resumed,
        }


@dataclass(frozen=True)
class SearchHit:
    """A hit, with the document to open (None for a person) and the page to open it at."""

    item_id: str
    item_type: str
    case_id: str
    doc_id: str | None
    title: str
    kind: str
    page_index: int | None
    page_label: str
    date: str | None
    score: float
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    terms: tuple[str, ...]
    ref_id: str | None
    """The quote, letter, question, reply or person id for a non-page hit."""
    parts: tuple[ScorePart, ...] = ()
    """Why it scores `score` (`dossier.search.ranking`)."""

    def to_json(self) -> dict[str, object]:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "kind": self.kind,
            "item_type": self.item_type,
            "ref_id": self.ref_id,
            "page_index": self.page_index,
            "page_label": self.page_label or None,
            "score": round(self.score, 4),
            "score_parts": [part.to_json() for part in self.parts],
            "snippet": self.snippet,
        }


@dataclass(frozen=True)
class TimelineItem:
    date: str
    kind: str
    title: str
    ref_type: str
    """document | letter | reply | quote | note | case | event: what `ref_id` names."""
    ref_id: str
    people: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    detail: str = ""


@dataclass(frozen=True)
class NoteInfo:
    """A note on a passage of a document (`ws.notes`)."""

    id: str
    case_id: str
    document_id: str | None
    page_index: int
    start: int
    end: int
    excerpt: str
    body: str
    created_at: datetime


@dataclass(frozen=True)
class RowImage:
    table: str
    row_id: str
    columns: dict[str, Any]
    """Clear columns (ids, foreign keys, kinds, creation time)."""
    fields: dict[str, Any]
    """Sealed fields, as plain values."""


@dataclass(frozen=True)
class Snapshot:
    """An item as it was: opaque to front ends, kept in memory, handed back to `restore`."""

    kind: str
    item_id: str
    case_id: str
    rows: tuple[RowImage, ...]
    children: tuple[RowImage, ...] = ()
    """Rows that belong to the item and go with it (a letter's questions)."""
    links: tuple[str, ...] = field(default_factory=tuple)
    """Replies tied to a letter: tied to it again when a deleted letter is restored."""
