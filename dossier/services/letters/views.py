"""Plain views of letters and replies, built inside one session for one case and one day.

`LetterReader` loads a case's letters, replies and display names once, then turns rows into
`LetterInfo` / `ReplyInfo` (states computed for its `as_of` day) and search items. Names are
display names: masked people appear under their pseudonym unless the reader reveals, and any
part of their names in a subject, question or reply summary is shown as that pseudonym too.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from dossier.db.models import Case, Letter, Question, Reply
from dossier.services.dates import to_date
from dossier.services.dto import SearchableItem
from dossier.services.letters.dto import (
    AnswerInfo,
    LetterFacts,
    LetterInfo,
    QuestionInfo,
    ReplyFacts,
    ReplyInfo,
)
from dossier.services.letters.jurisdictions import jurisdiction, place_name
from dossier.services.letters.states import (
    after_publication,
    counted,
    effective_deadline,
    letter_state,
    overdue_questions,
    question_statuses,
    replies_for,
)
from dossier.services.letters.workdays import holidays_between
from dossier.services.people.screen import screen_mask

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace


def _day(value: str | None) -> date | None:
    return to_date(value) if value else None


def letter_facts(letter: Letter) -> LetterFacts:
    sent = _day(letter.sent_on)
    deadline = effective_deadline(
        sent, _day(letter.deadline), letter.deadline_days, letter.working_days, letter.jurisdiction
    )
    return LetterFacts(letter.id, sent, deadline, tuple(q.id for q in letter.questions))


def _moved_by(letter: Letter, facts: LetterFacts, code: str) -> list[tuple[str, str]]:
    """The holidays that pushed a working-day deadline back, as (ISO date, name)."""
    if not letter.working_days or facts.sent_on is None or facts.deadline is None:
        return []
    return [
        (day.isoformat(), name)
        for day, name in holidays_between(facts.sent_on, facts.deadline, code)
    ]


def reply_facts(reply: Reply) -> ReplyFacts:
    return ReplyFacts(reply.letter_id, _day(reply.received_on), dict(reply.answers))


def _reply_order(reply: Reply) -> tuple[str, str]:
    return (reply.received_on or "9999-99-99", reply.id)


class LetterReader:
    """Builds the plain views of one case's letters and replies inside one session."""

    def __init__(
        self, ws: Workspace, session: Session, case_id: str, as_of: date, reveal: bool
    ) -> None:
        self.case_id = case_id
        self.as_of = as_of
        self.mask = screen_mask(session, case_id, reveal)
        """What views show (pseudonyms, masked texts); search items keep the stored texts
        under display names, since snippets are masked when shown."""
        self.names = self.mask.names
        case = session.get(Case, case_id)
        self.published_on = _day(case.published_on) if case is not None else None
        self.letters = list(session.scalars(select(Letter).where(Letter.case_id == case_id)))
        self.replies = list(session.scalars(select(Reply).where(Reply.case_id == case_id)))
        self.facts = [reply_facts(r) for r in self.replies]
        self.questions: dict[str, tuple[Letter, Question]] = {
            q.id: (letter, q) for letter in self.letters for q in letter.questions
        }

    def name(self, person_id: str | None) -> str:
        return self.names.get(person_id, "") if person_id else ""

    def letter(self, letter: Letter) -> LetterInfo:
        facts = letter_facts(letter)
        place = jurisdiction(letter.jurisdiction)
        mine = replies_for(facts, self.facts)
        statuses = question_statuses(facts.question_ids, mine, self.as_of)
        state = letter_state(facts, self.facts, self.as_of, self.published_on)
        late = overdue_questions(facts, statuses, self.as_of)
        # Listing as it stood on `as_of`: a reply received later is not shown yet.
        mine_ids = {id(f) for f in counted(mine, self.as_of)}
        linked = [r for r, f in zip(self.replies, self.facts, strict=True) if id(f) in mine_ids]
        return LetterInfo(
            id=letter.id,
            case_id=letter.case_id,
            subject=self.mask.text(letter.subject),
            direction=letter.direction,
            channel=letter.channel,
            sender_id=letter.sender_id,
            sender=self.name(letter.sender_id),
            recipient_ids=list(letter.recipient_ids),
            recipients=[self.name(p) for p in letter.recipient_ids],
            cosigner_ids=list(letter.cosigner_ids),
            cosigners=[self.name(p) for p in letter.cosigner_ids],
            sent_on=letter.sent_on,
            deadline=facts.deadline.isoformat() if facts.deadline else None,
            deadline_days=letter.deadline_days,
            working_days=letter.working_days,
            state=state,
            as_of=self.as_of.isoformat(),
            jurisdiction=place.code,
            jurisdiction_label=place_name(place),
            deadline_holidays=_moved_by(letter, facts, place.code),
            document_id=letter.document_id,
            questions=[
                QuestionInfo(
                    q.id,
                    letter.id,
                    q.number,
                    self.mask.text(q.text),
                    statuses[q.id],
                    overdue=q.id in late,
                )
                for q in letter.questions
            ],
            replies=[self.reply(r) for r in sorted(linked, key=_reply_order)],
        )

    def reply(self, reply: Reply) -> ReplyInfo:
        answers = [
            AnswerInfo(self.questions[qid][0].id, qid, self.questions[qid][1].number, status)
            for qid, status in reply.answers.items()
            if qid in self.questions
        ]
        answers.sort(key=lambda a: (a.letter_id, a.number))
        return ReplyInfo(
            id=reply.id,
            case_id=reply.case_id,
            letter_id=reply.letter_id,
            sender_id=reply.sender_id,
            sender=self.name(reply.sender_id),
            received_on=reply.received_on,
            via=self.mask.text(reply.via),
            channel=reply.channel,
            summary=self.mask.text(reply.summary),
            document_id=reply.document_id,
            answers=answers,
            after_publication=after_publication(_day(reply.received_on), self.published_on),
        )

    def searchable(self) -> Iterator[SearchableItem]:
        for letter in self.letters:
            people = [p for p in [letter.sender_id, *letter.recipient_ids] if p]
            people += list(letter.cosigner_ids)
            names = ", ".join(self.name(p) for p in people)
            title = letter.subject or f"Letter from {self.name(letter.sender_id)}"
            body = "\n".join(f"{q.number}. {q.text}" for q in letter.questions)
            yield SearchableItem(
                "letter", letter.id, self.case_id, title, f"{names}\n{body}", letter.sent_on, people
            )
            for q in letter.questions:
                yield SearchableItem(
                    "question", q.id, self.case_id, f"{title}, question {q.number}", q.text,
                    letter.sent_on, people,
                )  # fmt: skip
        for reply in self.replies:
            sender = self.name(reply.sender_id)
            title = f"Reply from {sender}" + (f" ({reply.via})" if reply.via else "")
            people = [reply.sender_id] if reply.sender_id else []
            yield SearchableItem(
                "reply", reply.id, self.case_id, title, f"{sender} {reply.via}\n{reply.summary}",
                reply.received_on, people,
            )  # fmt: skip
