"""What goes into the search index and what comes out of it: plain dataclasses, no Whoosh."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from dossier.errors import UsageError
from dossier.i18n import _

ITEM_TYPES = ("page", "quote", "letter", "question", "reply", "note", "person")


@dataclass(frozen=True)
class IndexItem:
    """One searchable unit: a page of a document, a quote, a letter, a note, a person...

    `item_id` is unique within the case (e.g. f"{doc_id}:{page_index}", "quote:<id>");
    `doc_id` groups the items removed together when a document is deleted or re-extracted.
    """

    item_id: str
    doc_id: str
    case_id: str
    item_type: str
    kind: str
    title: str
    text: str
    page_index: int | None = None
    page_label: str = ""
    language: str | None = None
    date: str | None = None
    """ISO date: "YYYY", "YYYY-MM" or "YYYY-MM-DD" (a time part is ignored)."""
    people: Sequence[str] = ()
    """Ids of the people the item concerns (speaker, sender, person named)."""
    tags: Sequence[str] = ()
    secondary: str = ""
    """Text searched below `text`: a saved web page's whole visible text (menus, footer)."""
    ocr: bool = False
    """The text was read by OCR: its words are also found one recognition error away."""
    version: str = ""
    """A digest of the catalog rows the document's items were made from (the same for all its
    items): an old copy of the index put back holds old versions, which the catalog's show up."""

    def __post_init__(self) -> None:
        if not self.item_id or not self.doc_id:
            raise UsageError(_("a search item needs an item id and a document id"))
        if self.item_type not in ITEM_TYPES:
            raise UsageError(
                _("unknown search item type {item_type} (one of {ITEM_TYPES})").format(
                    item_type=repr(self.item_type), ITEM_TYPES=", ".join(ITEM_TYPES)
                )
            )


@dataclass(frozen=True)
class SearchFilters:
    """Restrictions on a search: any of the values within a filter, every filter given.

    An empty filter does not restrict. With a date range, undated items are left out.
    """

    kinds: Sequence[str] = ()
    people: Sequence[str] = ()
    tags: Sequence[str] = ()
    date_from: str | None = None
    date_to: str | None = None
    item_types: Sequence[str] = ()
    cases: Sequence[str] = ()


@dataclass(frozen=True)
class ScorePart:
    """One part of a hit's score: what a word or phrase of the query added ("word", "phrase",
    with the field it was found in), or a factor ("first page", "title", "proximity")."""

    what: str
    term: str
    field: str
    value: float

    def to_json(self) -> dict[str, object]:
        if self.what in ("word", "phrase"):
            return {
                "what": self.what,
                "term": self.term,
                "field": self.field,
                "score": round(self.value, 4),
            }
        return {
            "what": self.what,
            "factor": self.value,
            **({"detail": self.term} if self.term else {}),
        }


@dataclass(frozen=True)
class Hit:
    """A search result: where it lands (a page, a quote...) and why it matched.

    `snippet` is plain text cut from the item's text; `highlights` are (start, end) ranges of
    matched words inside `snippet`; `terms` are the matched words as written anywhere in the
    item's text, for the viewer to mark on the page.
    """

    item_id: str
    doc_id: str
    case_id: str
    item_type: str
    kind: str
    title: str
    page_index: int | None
    page_label: str
    date: str | None
    score: float
    snippet: str
    highlights: tuple[tuple[int, int], ...] = ()
    terms: tuple[str, ...] = field(default=())
    parts: tuple[ScorePart, ...] = ()
    """Why it scores `score`: its words' BM25F parts, then the ranking's factors."""
