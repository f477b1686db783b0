"""A stand-in for `ws.search` while the real search service is not attached to the workspace.

It scans the decrypted page text in memory with the viewer's own matching rules and returns
hits with the documented shape. Tests use the real `ws.search` as soon as it exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dossier.text.highlight import term_spans


@dataclass(frozen=True)
class StandInHit:
    item_id: str
    doc_id: str
    case_id: str
    title: str
    kind: str
    item_type: str
    page_index: int | None
    page_label: str
    score: float
    snippet: str
    highlights: list[tuple[int, int]] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)


class PageScanSearch:
    def __init__(self, ws: Any) -> None:
        self.ws = ws

    def query(
        self,
        text: str,
        case: str | None = None,
        kinds: list[str] | None = None,
        people: list[str] | None = None,
        tags: list[str] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = 50,
    ) -> list[StandInHit]:
        terms = text.split()
        hits: list[StandInHit] = []
        cases = [case] if case else [c.id for c in self.ws.cases.all()]
        for case_id in cases:
            for doc in self.ws.documents.of_case(case_id):
                if kinds and doc.kind not in kinds:
                    continue
                for page in self.ws.documents.pages(doc.id, with_words=False):
                    spans = term_spans(page.text, terms)
                    if not spans:
                        continue
                    start = max(0, spans[0][0] - 40)
                    snippet = page.text[start : spans[0][1] + 60]
                    marks = [(a - start, b - start) for a, b in spans if b - start <= len(snippet)]
                    found = sorted({page.text[a:b] for a, b in spans})
                    hits.append(
                        StandInHit(
                            f"{doc.id}:{page.index}",
                            doc.id,
                            case_id,
                            doc.title,
                            doc.kind,
                            "page",
                            page.index,
                            page.display_label,
                            float(len(spans)),
                            snippet,
                            marks,
                            found,
                        )
                    )
        hits.sort(key=lambda h: -h.score)
        return hits[:limit]


def ensure_search(ws: Any) -> Any:
    """The workspace's search service, or the stand-in when it has none yet."""
    if getattr(ws, "search", None) is None:
        ws.search = PageScanSearch(ws)
    return ws.search
