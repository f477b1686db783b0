"""The case's disclosure gate and the self-check's watchlist, read from the vault together.

Both come from the same rows (marks, people, boxes) but share nothing else: the gate
(`dossier.redact.disclosure`) masks what leaves, the watchlist feeds the independent reading
of the finished bundle (`dossier.redact.bundlecheck`). Pages of documents holding a box are
read once and kept for both; other pages are read when the box secrets are computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from dossier.redact.beside import AddressBook
from dossier.redact.bundlecheck import Watchlist
from dossier.redact.coverage import box_secrets
from dossier.redact.disclosure import Disclosure
from dossier.redact.glued import GluedFinder
from dossier.redact.masking import REDACTED, TextMasker
from dossier.redact.names import name_parts
from dossier.redact.shortnames import short_parts
from dossier.services.export.dto import CaseDisclosure
from dossier.services.export.redactions import address_book
from dossier.text.fold import fold
from dossier.text.model import PageText

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace


def term_label(mark_id: str) -> str:
    """How a finding names a term mark: the kind and the mark, never the term."""
    return f"a redacted term (mark {mark_id[:8]})"


def pattern_label(kind: str, mark_id: str) -> str:
    return f"a redacted {kind} (mark {mark_id[:8]})"


def name_label(mark_id: str) -> str:
    return f"a redacted name (mark {mark_id[:8]})"


def person_label(person_id: str) -> str:
    return f"a protected person's name (person {person_id[:8]})"


class _Pages:
    """Pages of a case's documents; those of documents holding a box are kept."""

    def __init__(self, ws: Workspace, keep: set[str]) -> None:
        self.ws = ws
        self.keep = keep
        self.kept: dict[str, list[PageText]] = {}

    def __call__(self, doc_id: str) -> Sequence[PageText]:
        if doc_id in self.kept:
            return self.kept[doc_id]
        pages = self.ws.documents.pages(doc_id)
        if doc_id in self.keep:
            self.kept[doc_id] = pages
        return pages


def _read_pages(
    ws: Workspace, doc_ids: Sequence[str], names: Sequence[tuple[str, str]], book: AddressBook[str]
) -> list[tuple[str, str]]:
    """Read every page of the case once, for what only the pages say about the people:
    (word as read, what to show) of every name part misread on the pages read by OCR
    ("Quartermame"), masked in every text like the name itself (a quote, a title copied from
    the page), as the PDFs box it (`redact.glued`); and into `book`, the addresses written
    beside a protected name (`redact.beside`)."""
    finder = GluedFinder.of(names)
    found: dict[str, str] = {}
    if not (finder.misread or book):
        return []
    for doc_id in doc_ids:
        for page in ws.documents.pages(doc_id, with_words=False):
            book.read(page.text)
            if page.ocr and finder.misread:
                for start, end, shown in finder.find_misread(page.text, fold(page.text)):
                    found.setdefault(page.text[start:end], str(shown))
    return sorted(found.items())


def case_disclosure(
    ws: Workspace, case_id: str, shown: Sequence[str] | None = None
) -> CaseDisclosure:
    """The gate and the self-check's facts for an export of the documents `shown` (None: every
    document an export takes by default). A word under a box is a secret unless one of those
    shows it uncovered: a document left in the vault shows the recipient nothing."""
    marks = ws.redactions
    rows = marks.of_case(case_id)
    terms = [(term_label(r.id), r.term) for r in rows if r.kind == "term" and r.term]
    patterns = [
        (pattern_label(r.pattern, r.id), r.pattern)
        for r in rows
        if r.kind == "pattern" and r.pattern
    ]
    scopes = {
        label: r.document_id
        for r in rows
        if r.document_id is not None and r.kind != "rect"
        for label in (term_label(r.id), pattern_label(r.pattern, r.id), name_label(r.id))
    }
    protected = marks.protected_people(case_id)
    marked = marks.marked_people(case_id)
    boxes = marks.boxes(case_id)
    docs = ws.documents.of_case(case_id)
    doc_ids = [d.id for d in docs]
    seen = list(shown) if shown is not None else [d.id for d in docs if d.exportable]
    pages_of = _Pages(ws, {doc for doc, _page in boxes})
    names = [(part, p.pseudonym) for p in protected for part in p.parts]
    marked_names = [part for _, _doc, their in marked for part in name_parts(their)]
    shorts = [(s, p.pseudonym) for p in protected for s in p.shorts]
    shorts += [(s, REDACTED) for _, _doc, their in marked for s in short_parts(their)]
    written = address_book(protected)
    misread = _read_pages(
        ws, doc_ids, [*names, *((part, REDACTED) for part in marked_names)], written
    )
    contacts = {p.person_id: (*p.contacts, *written.of(p.person_id)) for p in protected}
    masker = TextMasker(
        names=[*names, *((word, shown) for word, shown in misread if shown != REDACTED)],
        terms=[
            *(term for _, term in terms),
            *(contact for p in protected for contact in contacts[p.person_id]),
        ],
        patterns=[kind for _, kind in patterns],
        marked_names=[*marked_names, *(word for word, shown in misread if shown == REDACTED)],
        short=shorts,
    )
    secrets = box_secrets(seen, pages_of, boxes)
    boxed_pages = {
        (doc, page.index): page
        for doc in sorted({doc for doc, _page in boxes})
        for page in pages_of(doc)
        if (doc, page.index) in boxes
    }
    gate = Disclosure(masker, secrets, boxed_pages, boxes)
    watch = Watchlist(
        terms=terms,
        people=[
            *((person_label(p.person_id), p.names) for p in protected),
            *((name_label(mark_id), their) for mark_id, _doc, their in marked),
        ],
        contacts=[
            (f"a protected person's contact (person {p.person_id[:8]})", contact)
            for p in protected
            for contact in contacts[p.person_id]
        ],
        patterns=patterns,
        boxes=boxes,
        doc_ids=doc_ids,
        shown=seen,
        scopes=scopes,
    )
    return CaseDisclosure(gate, watch, pages_of, written)
