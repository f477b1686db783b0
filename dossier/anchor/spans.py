"""Turning a character range of a page into a span: exact text, context and line rectangles
(`dossier.text.rects`, the same rectangles the viewer draws)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dossier.anchor.model import Span
from dossier.errors import UsageError
from dossier.i18n import _
from dossier.text.model import PageText, Word
from dossier.text.rects import LineGeometry, line_geometry, line_rects

CONTEXT = 32
"""Characters of prefix and suffix kept with a span (as the W3C text-quote selector)."""


def make_span(
    page: PageText,
    start: int,
    end: int,
    *,
    layout: tuple[Sequence[Word], Sequence[int], Mapping[int, LineGeometry]] | None = None,
    doc_id: str | None = None,
) -> Span:
    """The span of `page.text[start:end]`; `layout` is the page's words sorted by start, their
    start offsets and the page's line geometry (passed in when the caller already has them)."""
    if layout is None:
        words: Sequence[Word] = sorted(page.words, key=lambda w: w.start)
        layout = (words, [w.start for w in words], line_geometry(words))
    text = page.text
    return Span(
        page_index=page.index,
        start=start,
        end=end,
        text=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
        rects=line_rects(*layout, start, end),
        doc_id=doc_id,
    )


def span_for_selection(page: PageText, start: int, end: int) -> Span:
    """The exact span a journalist selected in the viewer (offsets into the page text)."""
    if not 0 <= start < end <= len(page.text):
        raise UsageError(
            _("selection {start}-{end} is outside page {display_label} ({n} characters)").format(
                start=start, end=end, display_label=page.display_label, n=len(page.text)
            )
        )
    return make_span(page, start, end)
