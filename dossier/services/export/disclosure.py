"""The case's disclosure gate and the self-check's watchlist, read from the vault together.

Both come from the same rows (marks, people, boxes) but share nothing else: the gate
(`dossier.redact.disclosure`) masks what leaves, the watchlist feeds the independent reading
of the finished bundle (`dossier.redact.bundlecheck`). Pages of documents holding a box are
read once and kept for both; other pages are read when the box secrets are computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from dossier.redact.bundlecheck import Watchlist
from dossier.redact.coverage import box_secrets
from dossier.redact.disclosure import Disclosure
from dossier.redact.masking import TextMasker
from dossier.services.export.dto import CaseDisclosure
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


def case_disclosure(ws: Workspace, case_id: str) -> CaseDisclosure:
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
    doc_ids = [d.id for d in ws.documents.of_case(case_id)]
    pages_of = _Pages(ws, {doc for doc, _page in boxes})
    masker = TextMasker(
        names=[(part, p.pseudonym) for p in protected for part in p.parts],
        terms=[
            *(term for _, term in terms),
            *(contact for p in protected for contact in p.contacts),
        ],
        patterns=[kind for _, kind in patterns],
        marked_names=[part for _, _doc, parts in marked for part in parts],
    )
    secrets = box_secrets(doc_ids, pages_of, boxes)
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
            *((name_label(mark_id), parts) for mark_id, _doc, parts in marked),
        ],
        contacts=[
            (f"a protected person's contact (person {p.person_id[:8]})", contact)
            for p in protected
            for contact in p.contacts
        ],
        patterns=patterns,
        boxes=boxes,
        doc_ids=doc_ids,
        scopes=scopes,
    )
    return CaseDisclosure(gate, watch, pages_of)
