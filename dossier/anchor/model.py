"""What anchoring returns: spans on pages, a fidelity verdict, a word-level diff.

These are plain dataclasses so the catalog, the CLI, the export manifest and the viewer can all
carry them; `to_json()` gives the exact shape the CLI prints and the manifest stores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from dossier.errors import CorruptData
from dossier.i18n import _

Verdict = Literal["verbatim", "normalized", "trimmed", "altered", "not_found"]
VERDICTS: tuple[Verdict, ...] = ("verbatim", "normalized", "trimmed", "altered", "not_found")
"""Best first: choosing among documents and judging a re-anchoring compare these ranks."""

DiffKind = Literal["equal", "insert", "delete", "replace"]
Rect = tuple[float, float, float, float]
ReanchorStatus = Literal["unchanged", "moved", "degraded", "lost"]


@dataclass(frozen=True)
class Span:
    """One contiguous piece of source text on one page (W3C text-quote + position selectors)."""

    page_index: int
    start: int
    """Python `str` offset into the page's canonical text."""
    end: int
    text: str
    prefix: str
    """Up to 32 characters of the page text right before `start`."""
    suffix: str
    """Up to 32 characters of the page text right after `end`."""
    rects: tuple[Rect, ...] = ()
    """One rectangle per line, PDF points, origin top-left of the unrotated page."""
    doc_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "page_index": self.page_index,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "rects": [[round(v, 2) for v in rect] for rect in self.rects],
        }
        if self.doc_id is not None:
            data["doc_id"] = self.doc_id
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Span:
        """Rebuild a stored span; raises CorruptData when a field is missing or mistyped."""
        try:
            rects = tuple(
                (float(r[0]), float(r[1]), float(r[2]), float(r[3])) for r in data.get("rects", [])
            )
            doc_id = data.get("doc_id")
            return cls(
                page_index=int(data["page_index"]),
                start=int(data["start"]),
                end=int(data["end"]),
                text=str(data["text"]),
                prefix=str(data.get("prefix", "")),
                suffix=str(data.get("suffix", "")),
                rects=rects,
                doc_id=None if doc_id is None else str(doc_id),
            )
        except (KeyError, TypeError, ValueError, IndexError):
            raise CorruptData(_("a stored quote span is incomplete or malformed")) from None


@dataclass(frozen=True)
class DiffOp:
    """One run of words: `published` is the quote's wording, `source` the document's."""

    op: DiffKind
    published: str
    source: str

    def to_json(self) -> dict[str, str]:
        return {"op": self.op, "published": self.published, "source": self.source}


@dataclass(frozen=True)
class AnchorResult:
    verdict: Verdict
    score: float
    """Similarity in [0, 1]: 1.0 when every word was found, lower for altered quotes."""
    spans: tuple[Span, ...] = ()
    diff: tuple[DiffOp, ...] = ()
    doc_id: str | None = None
    closest: tuple[Span, ...] = ()
    """With `not_found` only, for information: the closest passage, when it says something else
    (names or numbers replaced by others). `diff` then compares the quote with it."""

    @property
    def found(self) -> bool:
        return self.verdict != "not_found"

    @property
    def rank(self) -> int:
        return VERDICTS.index(self.verdict)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "verdict": self.verdict,
            "score": round(self.score, 4),
            "spans": [span.to_json() for span in self.spans],
            "diff": [op.to_json() for op in self.diff],
        }
        if self.doc_id is not None:
            data["doc_id"] = self.doc_id
        if self.closest:
            data["closest_passage_for_information"] = [span.to_json() for span in self.closest]
        return data


NOT_FOUND = AnchorResult(verdict="not_found", score=0.0)


@dataclass(frozen=True)
class ReanchorResult:
    """Where a stored quote landed after its document was re-extracted or replaced."""

    status: ReanchorStatus
    result: AnchorResult
    moved_spans: tuple[int, ...] = field(default=())
    """Indexes (into the stored spans) of the spans whose page or offsets changed."""

    @property
    def needs_review(self) -> bool:
        return self.status != "unchanged"

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "result": self.result.to_json()}
