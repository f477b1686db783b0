"""The documents feature's data classes: what an import reads and stores, before and as it
stores it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dossier.services.dto import KEEP, Edit, Keep
from dossier.text.model import ExtractedDocument

if TYPE_CHECKING:
    from dossier.crypto.keys import CaseKeys
    from dossier.db.models import Document


@dataclass
class Child:
    name: str
    data: bytes = field(repr=False)
    origin: str
    extracted: ExtractedDocument
    children: list[Child] = field(default_factory=list)
    blob_id: str = ""
    """Its original's keyed hash (`CaseKeys.blob_id`), computed once for the whole import."""


@dataclass
class ChildReport:
    """What reading the embedded files found: the tree, and what was left out and why."""

    children: list[Child] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    count: int = 0
    held: int = 0
    """Bytes of the embedded files read so far (each level's, so an archive's member counts
    once as its archive's part and once as itself)."""
    budget: int = 0
    """The most `held` may reach; files beyond it are left out with their reason."""


@dataclass(frozen=True)
class Incoming:
    """What an import knows of a file besides its text: its name and size, and the caller's
    kind, title and (ISO) date."""

    name: str
    size: int
    kind: str
    title: str | None
    date: str | None


@dataclass
class TreeState:
    keys: CaseKeys
    in_case: dict[str | None, Document]
    """Documents already in the case, by original blob id."""
    seen: dict[str, Document]
    """Documents of this import, by original blob id."""
    stored: list[Document]


@dataclass
class Prepared:
    """A file read and extracted, waiting for its group's commit."""

    incoming: Incoming
    root: Child
    left_out: list[str]
    blob_ids: list[str] = field(default_factory=list)
    """The blob id of each original of its tree (the file's own first)."""
    known: bool = False
    """Whether one of those originals was stored before: the case may hold it already."""


@dataclass(frozen=True)
class ImportOptions:
    """What the caller said of every file of an import (see `DocumentService.import_file`)."""

    kind: str
    title: str | None
    date: str | None
    """ISO date, already checked."""
    ocr: bool
    password: str | None
    duplicates: str


@dataclass(frozen=True)
class DocumentEdit(Edit):
    """What to change in a document's description; a field left at KEEP is not changed.
    `people` takes references (names or id prefixes) in the document's case; `tags` and
    `people` replace the lists."""

    title: str | Keep = KEEP
    outlet: str | Keep | None = KEEP
    author: str | Keep | None = KEEP
    date: str | Keep | None = KEEP
    """An ISO date (YYYY-MM-DD)."""
    kind: str | Keep = KEEP
    tags: Sequence[str] | Keep = KEEP
    people: Sequence[str] | Keep = KEEP
    notes: str | Keep = KEEP
    language: str | Keep | None = KEEP
