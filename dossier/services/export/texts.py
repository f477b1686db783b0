"""Quotes and letters as an export writes them: pseudonyms, masked terms, anchors in the copies.

Speakers, senders and recipients come from the quote and letter services, which name every
anonymous or protected person by their pseudonym; every free text (quote, subject, question)
also goes through the masker, because a protected name can sit inside a sentence. Quote
anchors point at the exported PDFs by page and rectangles; canonical offsets and surrounding
text are left out (they describe the original, and the text around a passage may be redacted).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from dossier.errors import NotFoundError
from dossier.export.content import Anchor, BundleLetter, BundleQuestion, BundleQuote
from dossier.redact.rasterize import overlaps

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace

Rect = tuple[float, float, float, float]
Mask = Callable[[str], str]


def quotes_content(
    ws: Workspace,
    case_id: str,
    quote_ids: Sequence[str] | None,
    mask: Mask,
    paths: dict[str, str],
    boxes: dict[str, dict[int, list[Rect]]],
) -> list[BundleQuote]:
    """The chosen quotes of the case (all when `quote_ids` is None), ready to leave.

    The quote service names speakers as exports must (pseudonyms for masked people, never
    revealed here); anchors are kept for the spans that lie in an exported document.
    """
    quotes = ws.quotes.of_case(case_id)
    if quote_ids is not None:
        known = {q.id for q in quotes}
        missing = [q for q in quote_ids if q not in known]
        if missing:
            raise NotFoundError(f"no quote {missing[0]} in this case")
        wanted = set(quote_ids)
        quotes = [q for q in quotes if q.id in wanted]
    out: list[BundleQuote] = []
    for quote in quotes:
        anchors: list[Anchor] = []
        for span in quote.spans:
            doc_id = span.doc_id or quote.source_doc_id
            if doc_id is None or doc_id not in paths:
                continue
            page_boxes = boxes.get(doc_id, {}).get(span.page_index, [])
            hidden = any(overlaps(r, b) for r in span.rects for b in page_boxes)
            anchors.append(Anchor(paths[doc_id], span.page_index, span.rects, hidden))
        out.append(
            BundleQuote(
                id=quote.id,
                text=mask(quote.text),
                speaker=mask(quote.speaker) if quote.speaker else "unknown",
                verdict=quote.verdict,
                score=float(quote.score or 0.0),
                said_on=quote.said_on,
                anchors=tuple(anchors),
            )
        )
    return out


def letters_content(ws: Workspace, case_id: str, mask: Mask) -> list[BundleLetter]:
    """Every letter of the case with its questions and reply states, names as exported."""
    letters: list[BundleLetter] = []
    for info in ws.letters.of_case(case_id):
        replies = []
        for reply in info.replies:
            answers = ", ".join(f"Q{a.number} {a.status}" for a in reply.answers)
            line = f"{reply.received_on or 'undated'} from {reply.sender or 'unknown'}"
            replies.append(mask(line + (f": {answers}" if answers else "")))
        letters.append(
            BundleLetter(
                id=info.id,
                subject=mask(info.subject),
                direction=info.direction,
                sender=mask(info.sender),
                recipients=tuple(mask(r) for r in info.recipients),
                channel=info.channel,
                sent_on=info.sent_on,
                deadline=info.deadline,
                state=info.state,
                questions=tuple(
                    BundleQuestion(q.number, mask(q.text), q.status) for q in info.questions
                ),
                replies=tuple(replies),
            )
        )
    return letters
