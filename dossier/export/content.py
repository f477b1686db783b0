"""What goes into a bundle, as plain data, and the text files made from it (CSV).

Everything here is already safe to leave the vault: the export service fills these records
with pseudonyms for protected people and with redacted terms masked, and the self-check reads
the files made from them again before the bundle is written.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from typing import Any

from dossier.i18n import N_, _


@dataclass(frozen=True)
class Anchor:
    """Where a quote lies in an exported PDF: a page and rectangles (PDF points)."""

    document: str
    page_index: int
    rects: tuple[tuple[float, float, float, float], ...]
    redacted: bool = False
    """Part of the passage lies under a redaction box."""

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "page": self.page_index + 1,
            "page_index": self.page_index,
            "rects": [[round(v, 2) for v in rect] for rect in self.rects],
            "redacted": self.redacted,
        }


@dataclass(frozen=True)
class BundleDocument:
    path: str
    title: str
    kind: str
    date: str | None
    pages: int
    redactions: dict[str, int]
    data: bytes
    rasterized_pages: tuple[int, ...] = ()
    cleaning: str = "scrubbed"

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "title": self.title,
            "kind": self.kind,
            "date": self.date,
            "pages": self.pages,
            "redactions": dict(self.redactions),
            "rasterized_pages": [i + 1 for i in self.rasterized_pages],
            "cleaning": self.cleaning,
        }


@dataclass(frozen=True)
class BundleQuote:
    id: str
    text: str
    speaker: str
    verdict: str
    score: float
    said_on: str | None
    anchors: tuple[Anchor, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "speaker": self.speaker,
            "verdict": self.verdict,
            "score": round(self.score, 4),
            "said_on": self.said_on,
            "anchors": [a.to_json() for a in self.anchors],
        }


@dataclass(frozen=True)
class BundleQuestion:
    number: int
    text: str
    status: str


@dataclass(frozen=True)
class BundleLetter:
    id: str
    subject: str
    direction: str
    sender: str
    recipients: tuple[str, ...]
    channel: str
    sent_on: str | None
    deadline: str | None
    state: str
    questions: tuple[BundleQuestion, ...] = ()
    replies: tuple[str, ...] = ()
    """One line per reply: date, sender and answers, already masked."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "subject": self.subject,
            "direction": self.direction,
            "sender": self.sender,
            "recipients": list(self.recipients),
            "channel": self.channel,
            "sent_on": self.sent_on,
            "deadline": self.deadline,
            "state": self.state,
            "questions": [
                {"number": q.number, "text": q.text, "status": q.status} for q in self.questions
            ],
            "replies": list(self.replies),
        }


@dataclass(frozen=True)
class BundlePerson:
    name: str
    """A masked person's pseudonym."""
    role: str
    organisation: str
    protected: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "organisation": self.organisation,
            "protected": self.protected,
        }


@dataclass(frozen=True)
class BundleEntry:
    """One dated item of the case's timeline."""

    date: str
    kind: str
    title: str
    people: tuple[str, ...] = ()
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date,
            "kind": self.kind,
            "title": self.title,
            "people": list(self.people),
            "detail": self.detail,
        }


@dataclass
class BundleContent:
    case_name: str
    created_at: str
    app_version: str
    fingerprint: str
    documents: list[BundleDocument] = field(default_factory=list)
    quotes: list[BundleQuote] = field(default_factory=list)
    letters: list[BundleLetter] = field(default_factory=list)
    people: list[BundlePerson] = field(default_factory=list)
    timeline: list[BundleEntry] = field(default_factory=list)

    def redaction_totals(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for doc in self.documents:
            for kind, count in doc.redactions.items():
                totals[kind] = totals.get(kind, 0) + count
        return totals


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A CSV cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    # Column names in the exporting user's language: people open these in a spreadsheet.
    writer.writerow([_(name) for name in header])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    # A BOM so that spreadsheet programs read the accents as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def quotes_csv(content: BundleContent) -> bytes:
    rows: list[list[object]] = []
    for quote in content.quotes:
        places = "; ".join(f"{a.document} p. {a.page_index + 1}" for a in quote.anchors)
        rows.append(
            [
                quote.id,
                quote.speaker,
                quote.said_on or "",
                quote.text,
                quote.verdict,
                f"{quote.score:.2f}",
                places,
            ]
        )
    header = [N_("id"), N_("speaker"), N_("said_on"), N_("text"), N_("verdict"), N_("score")]
    return _csv([*header, N_("found_in")], rows)


def letters_csv(content: BundleContent) -> bytes:
    rows: list[list[object]] = []
    for letter in content.letters:
        base: list[object] = [
            letter.id,
            letter.subject,
            letter.direction,
            letter.sender,
            "; ".join(letter.recipients),
            letter.channel,
            letter.sent_on or "",
            letter.deadline or "",
            letter.state,
        ]
        replies = " | ".join(letter.replies)
        if not letter.questions:
            rows.append([*base, "", "", "", replies])
        for question in letter.questions:
            rows.append([*base, question.number, question.text, question.status, replies])
    header = [
        N_("letter_id"),
        N_("subject"),
        N_("direction"),
        N_("sender"),
        N_("recipients"),
        N_("channel"),
        N_("sent_on"),
        N_("deadline"),
        N_("state"),
        N_("question"),
        N_("question_text"),
        N_("answer"),
        N_("replies"),
    ]
    return _csv(header, rows)


def people_csv(content: BundleContent) -> bytes:
    rows: list[list[object]] = [
        [p.name, p.role, p.organisation, "yes" if p.protected else ""] for p in content.people
    ]
    return _csv([N_("name"), N_("role"), N_("organisation"), N_("protected")], rows)


def timeline_csv(content: BundleContent) -> bytes:
    rows: list[list[object]] = [
        [e.date, e.kind, e.title, "; ".join(e.people), e.detail] for e in content.timeline
    ]
    return _csv([N_("date"), N_("kind"), N_("title"), N_("people"), N_("detail")], rows)


def skeleton(content: BundleContent) -> BundleContent:
    """The same bundle with every free text blank and every document empty: only Dossier's
    own template is left (headers, keys, labels, the structure), for the self-check to tell
    the template's words from the content's."""
    paths = {
        doc.path: f"documents/{number:02d}-document.pdf"
        for number, doc in enumerate(content.documents, 1)
    }
    return replace(
        content,
        case_name="",
        documents=[replace(d, path=paths[d.path], title="", data=b"") for d in content.documents],
        quotes=[
            replace(
                q,
                text="",
                speaker="",
                anchors=tuple(replace(a, document=paths.get(a.document, "")) for a in q.anchors),
            )
            for q in content.quotes
        ],
        letters=[
            replace(
                letter,
                subject="",
                sender="",
                recipients=tuple("" for _ in letter.recipients),
                channel="",
                questions=tuple(replace(q, text="") for q in letter.questions),
                replies=tuple("" for _ in letter.replies),
            )
            for letter in content.letters
        ],
        people=[replace(p, name="", organisation="") for p in content.people],
        timeline=[
            replace(e, title="", people=tuple("" for _ in e.people), detail="")
            for e in content.timeline
        ],
    )
