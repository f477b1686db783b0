"""Previews of what an export hides: a document's marks as boxes, and a page as it will leave.

`ws.previews.quotes` says, for each chosen quote the marks change, what it will read in the
bundle (covered words replaced by a marker) or that it is left out, and why.
`ws.previews.marks` plans the marks of one document (its rectangles, the case's terms,
patterns and people, the names of protected people) the way an export does, and returns the
boxes per page (for PDFs) and the character spans of text matches (for text documents), so a
viewer can draw every mark. `ws.previews.redacted_page` applies true redaction to one page of an
in-memory copy of the original and renders it: what the recipient will see. Nothing is written
to disk; the copy is closed as soon as the page is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from dossier.errors import UsageError
from dossier.i18n import _
from dossier.pdf.mupdf import exclusive
from dossier.pdf.open import close_pdf
from dossier.pdf.render import RenderedPage, open_stored_pdf, render_page
from dossier.redact.apply import redact_page, strip_annotations
from dossier.redact.disclosure import DisclosedQuote
from dossier.redact.marks import plan_document, text_spans
from dossier.services.export.disclosure import case_disclosure
from dossier.services.export.dto import RedactionPreview
from dossier.services.export.sources import typeset
from dossier.services.export.texts import chosen_quotes, disclose_quote
from dossier.text.model import PageText

__all__ = ["DisclosedQuote", "PreviewService", "RedactionPreview"]

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace


class PreviewService:
    """`ws.previews`: what an export will hide, shown before anything leaves."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def marks(self, doc_id: str, pages: Sequence[PageText] | None = None) -> RedactionPreview:
        """The boxes an export of `doc_id` would black out (`pages`: its pages, if already read)."""
        ws = self.ws
        info = ws.documents.get(doc_id)
        if pages is None:
            pages = ws.documents.pages(doc_id)
        rules = ws.redactions.rules(info.case_id, doc_id)
        if rules.empty:
            return RedactionPreview(doc_id)
        plans = plan_document(pages, rules)
        boxes = {index: list(plan.rects) for index, plan in plans.items() if plan.rects}
        spans: dict[int, list[tuple[int, int]]] = {}
        for page in pages:
            # From the text itself: a text document has no word boxes, so no planned hits.
            matched = sorted((start, end) for _rule, start, end in text_spans(page, rules))
            if matched:
                spans[page.index] = matched
        return RedactionPreview(doc_id, boxes, spans)

    def redacted_page(
        self,
        doc_id: str,
        page_index: int,
        zoom: float,
        preview: RedactionPreview | None = None,
    ) -> RenderedPage:
        """Page `page_index` of `doc_id` with its marks truly redacted, drawn at `zoom`.

        A text document's page is shown as it leaves: typeset, its own marks planned on the
        typeset words (its first sheet, when the page runs onto more).
        """
        ws = self.ws
        info = ws.documents.get(doc_id)
        if not info.exportable:
            raise UsageError(_("this document lists files or messages; each of them is exported"))
        if not info.has_pages:
            pages = ws.documents.pages(doc_id, with_words=False)
            if not 0 <= page_index < len(pages):
                raise UsageError(
                    _("this document has no page {page_index}").format(page_index=page_index + 1)
                )
            source = typeset([pages[page_index]], ws.redactions.rules(info.case_id, doc_id), info)
            plans = plan_document(source.pages, source.rules)
            sheet = RedactionPreview(doc_id, {i: list(p.rects) for i, p in plans.items()})
            return _redacted_page(source.data, 0, zoom, sheet)
        if preview is None:
            preview = self.marks(doc_id)
        return _redacted_page(ws.documents.shown(doc_id), page_index, zoom, preview)

    def quotes(
        self,
        case: str,
        quote_ids: Sequence[str] | None = None,
        doc_ids: Sequence[str] | None = None,
    ) -> list[DisclosedQuote]:
        """The chosen quotes (all when None) that will not leave as written, beside the chosen
        documents (those an export takes by default when None): each as it will read in the
        bundle, or left out, with the reason. The same gate as the export's."""
        ws = self.ws
        case_id = ws.cases.resolve(case)
        gate = case_disclosure(ws, case_id, doc_ids).gate
        outcomes = (disclose_quote(gate, q) for q in chosen_quotes(ws, case_id, quote_ids))
        return [o for o in outcomes if o.reason]


@exclusive
def _redacted_page(
    data: bytes, page_index: int, zoom: float, preview: RedactionPreview
) -> RenderedPage:
    # One MuPDF at a time (the viewer may be drawing on another thread): held for the page.
    doc = open_stored_pdf(data)
    try:
        if not 0 <= page_index < doc.page_count:
            raise UsageError(
                _("this document has no page {page_index}").format(page_index=page_index + 1)
            )
        page = doc[page_index]
        strip_annotations(page)
        redact_page(page, preview.boxes.get(page_index, []))
        del page
        return render_page(doc, page_index, zoom)
    finally:
        close_pdf(doc)
