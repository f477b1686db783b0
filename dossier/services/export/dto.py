"""The export feature's data classes: a request, what a bundle holds, what an import of one
brought, marks and protected people as exports see them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from dossier.crypto.kdf import DEFAULT, KdfParams
from dossier.redact.beside import AddressBook
from dossier.redact.bundlecheck import Needles, Watchlist, needles
from dossier.redact.disclosure import Covered, DisclosedQuote, Disclosure
from dossier.redact.marks import Rect, Rules
from dossier.redact.names import name_parts
from dossier.redact.selfcheck import SelfCheckReport
from dossier.redact.shortnames import ShortPart, short_parts
from dossier.services.dto import DocumentInfo
from dossier.text.model import PageText

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class BundleImport:
    case_id: str
    case_name: str
    fingerprint: str
    documents: list[DocumentInfo] = field(default_factory=list)
    quotes: int = 0


@dataclass
class CaseDisclosure:
    gate: Disclosure
    watch: Watchlist
    pages_of: Callable[[str], Sequence[PageText]]
    """A document's pages by id (those of documents holding a box are read once and kept)."""
    written: AddressBook[str]
    """The addresses written beside protected people's names in the case's pages."""

    def needles(self) -> Needles:
        return needles(self.watch, self.pages_of)


@dataclass(frozen=True)
class RedactionPreview:
    """Where one document's marks fall."""

    doc_id: str
    boxes: dict[int, list[Rect]] = field(default_factory=dict)
    """Page index -> boxes in PDF points (top-left origin of the unrotated page)."""
    spans: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    """Page index -> (start, end) offsets of text matches in the page's canonical text."""

    @property
    def pages(self) -> list[int]:
        """Pages holding at least one mark, in order."""
        return sorted(set(self.boxes) | set(self.spans))

    def count(self, page_index: int) -> int:
        return len(self.boxes.get(page_index, []))


@dataclass(frozen=True)
class RedactionInfo:
    id: str
    case_id: str
    document_id: str | None
    kind: str
    page_index: int | None
    rects: list[list[float]]
    term: str
    pattern: str
    person_id: str | None
    reason: str
    created_at: datetime


@dataclass(frozen=True)
class ProtectedPerson:
    """An anonymous or protected person as exports hide them."""

    person_id: str
    names: tuple[str, ...]
    """Name and aliases as recorded."""
    pseudonym: str
    contacts: tuple[str, ...] = ()
    """E-mail addresses and phone numbers written anywhere in their record."""

    @property
    def parts(self) -> list[str]:
        """Full forms and every distinctive part (`names.name_parts`)."""
        return name_parts(self.names)

    @property
    def shorts(self) -> list[ShortPart]:
        """The two-letter parts, masked where they stand for the person (`shortnames`)."""
        return short_parts(self.names)


@dataclass(frozen=True)
class ProtectedName:
    """A name or alias of a protected person, with what exports say instead."""

    person_id: str
    name: str
    pseudonym: str


@dataclass(frozen=True)
class ExportRequest:
    case: str
    out: Path
    doc_ids: tuple[str, ...] = ()
    """Documents to export; empty: every document of the case but archive listings."""
    quote_ids: tuple[str, ...] | None = None
    """Quotes to include; None: every quote of the case."""
    rasterize_redacted: bool = False
    bundle_passphrase: str | None = None
    kdf: KdfParams = DEFAULT
    """Argon2id parameters for a sealed bundle."""
    pdf_password: str | None = None
    """For originals that need a password to open."""


@dataclass(frozen=True)
class ExportedDocument:
    doc_id: str
    path: str
    title: str
    pages: int
    redactions: dict[str, int]
    rasterized_pages: list[int]
    cleaning: str
    sha256: str
    size: int


@dataclass(frozen=True)
class ExportResult:
    path: Path
    fingerprint: str
    sealed: bool
    sha256: str
    size: int
    documents: list[ExportedDocument]
    quotes: int
    letters: int
    redactions: dict[str, int]
    selfcheck: SelfCheckReport
    skipped: list[str] = field(default_factory=list)
    """Documents of the case left out: listings of archives and mailboxes."""
    quote_outcomes: list[DisclosedQuote] = field(default_factory=list)
    """Quotes the gate changed or left out, with why."""
    covered: list[Covered] = field(default_factory=list)
    """Every string the gate changed: where, and what kind of mark (never the text)."""


@dataclass(frozen=True)
class ExportSource:
    data: bytes
    """A PDF."""
    pages: list[PageText]
    """Its pages as extracted: what the marks are planned on."""
    rules: Rules
    picture: bool
    """A photo or scan: rebuild every page from its pixels."""
