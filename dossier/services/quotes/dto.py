"""Plain views of quotes and of what checking them found, as the quote service returns them.

Every view has `to_json()`, the shape the CLI prints. One quote is
`{"id", ..., "verdict", "score", "spans": [...], "diff": [...]}`; its spans are the anchoring
engine's `{"page_index", "start", "end", "text", "prefix", "suffix", "rects"}` without the
`doc_id`, which the quote's `source_doc_id` already gives (all spans of a quote lie in it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from dossier.anchor import VERDICTS, AnchorResult, DiffOp, Span
from dossier.anchor.model import DiffKind
from dossier.errors import CorruptData
from dossier.i18n import _
from dossier.services.dto import KEEP, DocumentInfo, Edit, Keep

UNCHECKED = "unchecked"
"""Verdict of a quote that had no document to be anchored in (none given, none in the case)."""
QUOTE_VERDICTS: tuple[str, ...] = (*VERDICTS, UNCHECKED)

ReviewStatus = Literal["unchanged", "moved", "degraded", "lost", "found"]
REVIEW_STATUSES: tuple[ReviewStatus, ...] = ("unchanged", "moved", "degraded", "lost", "found")
"""What a re-check found: the engine's four re-anchoring outcomes, plus `found` for a quote that
had no anchor before and has one now (a document holding it was imported or corrected)."""

FLAGGED_VERDICTS = frozenset({"not_found", "altered"})
"""Verdicts a pre-publication check lists as problems."""

_DIFF_KINDS: dict[str, DiffKind] = {
    "equal": "equal",
    "insert": "insert",
    "delete": "delete",
    "replace": "replace",
}


def span_json(span: Span) -> dict[str, Any]:
    data = span.to_json()
    data.pop("doc_id", None)
    return data


def spans_json(spans: Iterable[Span]) -> list[dict[str, Any]]:
    return [span_json(s) for s in spans]


def spans_from_rows(rows: Sequence[dict[str, Any]], doc_id: str | None) -> list[Span]:
    """Stored span dicts as spans, each naming its document (older rows may not)."""
    spans = [Span.from_json(row) for row in rows]
    return [s if s.doc_id is not None else replace(s, doc_id=doc_id) for s in spans]


def diff_from_rows(rows: Sequence[dict[str, str]]) -> list[DiffOp]:
    ops: list[DiffOp] = []
    for row in rows:
        kind = _DIFF_KINDS.get(str(row.get("op"))) if isinstance(row, dict) else None
        if kind is None:
            raise CorruptData(_("a stored quote diff is malformed"))
        ops.append(DiffOp(kind, str(row.get("published", "")), str(row.get("source", ""))))
    return ops


def diff_json(diff: Iterable[DiffOp]) -> list[dict[str, str]]:
    return [op.to_json() for op in diff]


@dataclass(frozen=True)
class QuoteInfo:
    """A stored quote. `speaker` is a display name: the pseudonym of a masked person."""

    id: str
    case_id: str
    text: str
    speaker_id: str | None
    speaker: str
    source_doc_id: str | None
    source_title: str
    published_in_id: str | None
    published_in_title: str
    said_on: str | None
    verdict: str
    score: float
    spans: list[Span] = field(default_factory=list)
    diff: list[DiffOp] = field(default_factory=list)
    review: str | None = None
    """Pending outcome of a re-check (moved, degraded, lost, found) until marked reviewed."""
    notes: str = ""
    language: str | None = None
    extractor_version: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "case_id": self.case_id,
            "text": self.text,
            "speaker": self.speaker,
            "speaker_id": self.speaker_id,
            "source_doc_id": self.source_doc_id,
            "source_title": self.source_title,
            "published_in_id": self.published_in_id,
            "published_in_title": self.published_in_title,
            "said_on": self.said_on,
            "verdict": self.verdict,
            "score": round(self.score, 4),
            "spans": spans_json(self.spans),
            "diff": diff_json(self.diff),
            "review": self.review,
            "notes": self.notes,
        }


@dataclass(frozen=True)
class QuoteCandidate:
    """Where a pasted quote may come from in one document ("Find in sources")."""

    doc_id: str
    doc_title: str
    doc_kind: str
    verdict: str
    score: float
    spans: list[Span]
    diff: list[DiffOp]

    @classmethod
    def from_result(
        cls, result: AnchorResult, doc_id: str, title: str, kind: str
    ) -> QuoteCandidate:
        return cls(
            doc_id, title, kind, result.verdict, result.score, list(result.spans), list(result.diff)
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "doc_title": self.doc_title,
            "doc_kind": self.doc_kind,
            "verdict": self.verdict,
            "score": round(self.score, 4),
            "spans": spans_json(self.spans),
            "diff": diff_json(self.diff),
        }


@dataclass(frozen=True)
class AnchorState:
    """A quote's anchoring at one moment: before or after a re-check."""

    verdict: str
    score: float
    spans: list[Span]

    def to_json(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "score": round(self.score, 4),
            "spans": spans_json(self.spans),
        }


@dataclass(frozen=True)
class QuoteReview:
    """One quote after a re-check: what changed, with its anchoring before and after."""

    quote_id: str
    text: str
    speaker: str
    doc_id: str | None
    status: ReviewStatus
    before: AnchorState
    after: AnchorState
    moved_spans: tuple[int, ...] = ()
    """Indexes (into the spans before) of the spans whose page or offsets changed."""

    @property
    def needs_review(self) -> bool:
        return self.status != "unchanged"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.quote_id,
            "text": self.text,
            "speaker": self.speaker,
            "doc_id": self.doc_id,
            "status": self.status,
            "before": self.before.to_json(),
            "after": self.after.to_json(),
            "moved_spans": list(self.moved_spans),
        }


@dataclass(frozen=True)
class PassageCheck:
    """One passage in quotation marks of an article, anchored in the case's other documents."""

    number: int
    """1-based, in the order of the article."""
    text: str
    verdict: str
    score: float
    doc_id: str | None
    """The document it is best anchored in (None when not found)."""
    doc_title: str
    spans: list[Span]
    diff: list[DiffOp]
    article_spans: list[Span]
    """Where the passage sits in the article itself, for the viewer to mark it."""

    @property
    def issue(self) -> str | None:
        """`not_found` or `altered` for a passage to look at before publication, else None."""
        return self.verdict if self.verdict in FLAGGED_VERDICTS else None

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "text": self.text,
            "verdict": self.verdict,
            "score": round(self.score, 4),
            "issue": self.issue,
            "doc_id": self.doc_id,
            "doc_title": self.doc_title,
            "spans": spans_json(self.spans),
            "diff": diff_json(self.diff),
            "article_spans": spans_json(self.article_spans),
        }


@dataclass(frozen=True)
class DocumentRefresh:
    """A document re-extracted or given a corrected file, and its quotes re-checked."""

    document: DocumentInfo
    reviews: list[QuoteReview]
    replaced: bool
    """True when the original file was replaced, False for a re-extraction of the same file."""

    @property
    def needing_review(self) -> list[QuoteReview]:
        return [r for r in self.reviews if r.needs_review]


@dataclass(frozen=True)
class QuoteEdit(Edit):
    """What to change in a quote. A new text, source or spans re-anchor it and clear its review
    flag. `speaker`, `source` and `published_in` take references (a name or an id prefix; None
    removes them). `review=None` marks a re-check outcome as reviewed."""

    text: str | Keep = KEEP
    speaker: str | Keep | None = KEEP
    source: str | Keep | None = KEEP
    published_in: str | Keep | None = KEEP
    said_on: str | Keep | None = KEEP
    """An ISO date (YYYY-MM-DD)."""
    notes: str | Keep = KEEP
    language: str | Keep | None = KEEP
    spans: Sequence[Span] | Keep = KEEP
    """Spans chosen by hand (e.g. a selection in the viewer) instead of anchoring the text."""
    review: str | Keep | None = KEEP
