"""Quotes, letters, people and the timeline as an export writes them: every string gated.

Names come from the services as exports must show them (pseudonyms for anonymous and
protected people, never revealed here), and every string, names included, then goes through
the case's disclosure gate (`dossier.redact.disclosure`), which knows the marks, the boxes and
each part of every protected name. Quotes are gated along their anchors: words a box covers in
the source become a marker, and a quote with nothing else left is left out. Quote anchors point
at the exported PDFs by page and rectangles; canonical offsets and the text around a passage
never leave (they describe the original, and that text may be redacted).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from dossier.errors import NotFoundError
from dossier.export.content import (
    Anchor,
    BundleEntry,
    BundleLetter,
    BundlePerson,
    BundleQuestion,
    BundleQuote,
)
from dossier.i18n import _
from dossier.redact.disclosure import DisclosedQuote, Disclosure, QuoteSource
from dossier.redact.rasterize import overlaps
from dossier.services.quotes.dto import QuoteInfo

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace

Rect = tuple[float, float, float, float]


def chosen_quotes(ws: Workspace, case_id: str, quote_ids: Sequence[str] | None) -> list[QuoteInfo]:
    """The chosen quotes of the case (all when `quote_ids` is None)."""
    quotes = ws.quotes.of_case(case_id)
    if quote_ids is None:
        return quotes
    known = {q.id for q in quotes}
    missing = [q for q in quote_ids if q not in known]
    if missing:
        raise NotFoundError(_("no quote {missing} in this case").format(missing=missing[0]))
    wanted = set(quote_ids)
    return [q for q in quotes if q.id in wanted]


def disclose_quote(gate: Disclosure, quote: QuoteInfo) -> DisclosedQuote:
    sources = [
        QuoteSource(doc, s.page_index, s.start, s.end, s.text)
        for s in quote.spans
        if (doc := s.doc_id or quote.source_doc_id) is not None
    ]
    return gate.quote(quote.id, quote.text, sources)


def quotes_content(
    quotes: Sequence[QuoteInfo],
    gate: Disclosure,
    paths: dict[str, str],
    boxes: dict[str, dict[int, list[Rect]]],
) -> tuple[list[BundleQuote], list[DisclosedQuote]]:
    """The quotes as they leave, and what the gate did to each (left-out ones included)."""
    out: list[BundleQuote] = []
    outcomes: list[DisclosedQuote] = []
    for quote in quotes:
        shown = disclose_quote(gate, quote)
        outcomes.append(shown)
        if shown.text is None:
            continue
        anchors: list[Anchor] = []
        for span in quote.spans:
            doc_id = span.doc_id or quote.source_doc_id
            if doc_id is None or doc_id not in paths:
                continue
            page_boxes = boxes.get(doc_id, {}).get(span.page_index, [])
            hidden = any(overlaps(r, b) for r in span.rects for b in page_boxes)
            anchors.append(Anchor(paths[doc_id], span.page_index, span.rects, hidden))
        where = f"the speaker of quote {quote.id[:8]}"
        out.append(
            BundleQuote(
                id=quote.id,
                text=shown.text,
                speaker=gate.text(quote.speaker, where) if quote.speaker else "unknown",
                verdict=quote.verdict,
                score=float(quote.score or 0.0),
                said_on=quote.said_on,
                anchors=tuple(anchors),
            )
        )
    return out, outcomes


def letters_content(ws: Workspace, case_id: str, gate: Disclosure) -> list[BundleLetter]:
    """Every letter of the case with its questions and reply states, gated."""
    letters: list[BundleLetter] = []
    for info in ws.letters.of_case(case_id):
        where = f"letter {info.id[:8]}"

        def text(value: str, part: str, where: str = where) -> str:
            return gate.text(value, f"the {part} of {where}")

        replies = []
        for reply in info.replies:
            answers = ", ".join(f"Q{a.number} {a.status}" for a in reply.answers)
            line = f"{reply.received_on or 'undated'} from {reply.sender or 'unknown'}"
            replies.append(text(line + (f": {answers}" if answers else ""), "replies"))
        letters.append(
            BundleLetter(
                id=info.id,
                subject=text(info.subject, "subject"),
                direction=info.direction,
                sender=text(info.sender, "sender"),
                recipients=tuple(text(r, "recipients") for r in info.recipients),
                channel=text(info.channel, "channel"),
                sent_on=info.sent_on,
                deadline=info.deadline,
                state=info.state,
                questions=tuple(
                    BundleQuestion(q.number, text(q.text, f"question {q.number}"), q.status)
                    for q in info.questions
                ),
                replies=tuple(replies),
            )
        )
    return letters


def people_content(ws: Workspace, case_id: str, gate: Disclosure) -> list[BundlePerson]:
    """The people of the case: a masked person is their pseudonym and role, nothing else."""
    people: list[BundlePerson] = []
    for info in ws.people.of_case(case_id):
        where = f"person {info.id[:8]}"
        people.append(
            BundlePerson(
                name=gate.text(info.name, f"the name of {where}"),
                role=info.role,
                organisation=""
                if info.masked
                else gate.text(info.organisation, f"the organisation of {where}"),
                protected=info.masked,
            )
        )
    return people


def timeline_content(
    ws: Workspace,
    case_id: str,
    gate: Disclosure,
    quotes: dict[str, BundleQuote],
    doc_ids: set[str],
) -> list[BundleEntry]:
    """The case's timeline as far as the bundle shows it: entries of the exported documents
    and quotes (a quote as exported), letters, replies, free entries; never working notes."""
    entries: list[BundleEntry] = []
    for item in ws.timeline.items(case_id):
        where = f"timeline entry {item.date} ({item.kind})"
        title = item.title
        if item.ref_type == "note" or (item.ref_type == "document" and item.ref_id not in doc_ids):
            continue
        if item.ref_type == "quote":
            quote = quotes.get(item.ref_id)
            if quote is None:
                continue  # not exported, or left out: its entry would describe it
            title = f"{quote.speaker}: «{quote.text}»"
        else:
            title = gate.text(title, f"the title of the {where}")
        entries.append(
            BundleEntry(
                date=item.date,
                kind=item.kind,
                title=title,
                people=tuple(gate.text(n, f"the people of the {where}") for n in item.names),
                detail=gate.text(item.detail, f"the detail of the {where}"),
            )
        )
    return entries
