"""Quote anchoring: where in the source documents does a published quote come from?

Public API:
- `anchor_quote(quote, pages, doc_id=None) -> AnchorResult`
- `anchor_in_documents(quote, {doc_id: pages}) -> AnchorResult` (best across documents)
- `reanchor(stored_spans, quote, pages) -> ReanchorResult` (after re-extraction or replacement)
- `extract_quoted_passages(article_text) -> list[str]` (pre-publication check)
- `span_for_selection(page, start, end) -> Span` (a selection made in the viewer)
- `clear_cache()` (drop cached indexes of decrypted text, e.g. when the vault locks)
"""

from __future__ import annotations

from dossier.anchor.docindex import clear_cache
from dossier.anchor.engine import anchor_in_documents, anchor_quote
from dossier.anchor.model import (
    VERDICTS,
    AnchorResult,
    DiffOp,
    ReanchorResult,
    ReanchorStatus,
    Span,
    Verdict,
)
from dossier.anchor.passages import extract_quoted_passages
from dossier.anchor.reanchor import reanchor, reanchor_many
from dossier.anchor.spans import span_for_selection

__all__ = [
    "VERDICTS",
    "AnchorResult",
    "DiffOp",
    "ReanchorResult",
    "ReanchorStatus",
    "Span",
    "Verdict",
    "anchor_in_documents",
    "anchor_quote",
    "clear_cache",
    "extract_quoted_passages",
    "reanchor",
    "reanchor_many",
    "span_for_selection",
]
