"""Validated drafts of letters and replies: every check runs before a row is built.

`draft_letter` refuses bad dates, a deadline given twice or before the sending date, an
unknown channel and empty questions; the service then resolves people and calls
`create_letter` inside its transaction, so a refused letter never leaves a row behind.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from dossier.db.models import Letter, Question, Reply
from dossier.errors import UsageError
from dossier.i18n import N_, _
from dossier.services.dates import parse_date, to_date
from dossier.services.letters.dto import LetterDraft, ReplyDraft
from dossier.services.letters.jurisdictions import check_jurisdiction
from dossier.services.letters.states import (
    DIRECTIONS,
    check_channel,
    check_deadline,
    effective_deadline,
)
from dossier.services.letters.workdays import MAX_DEADLINE_DAYS


def draft_letter(
    *,
    subject: str,
    sent_on: str | None,
    deadline: str | None,
    deadline_days: int | None,
    working_days: bool,
    channel: str,
    direction: str,
    questions: Sequence[str],
    jurisdiction: str | None = None,
) -> LetterDraft:
    if direction not in DIRECTIONS:
        raise UsageError(
            _("direction must be one of {DIRECTIONS}").format(DIRECTIONS=", ".join(DIRECTIONS))
        )
    texts = tuple(" ".join(q.split()) for q in questions)
    if any(not t for t in texts):
        raise UsageError(_("a question cannot be empty"))
    sent = parse_date(sent_on, N_("sending date"))
    due = parse_date(deadline, N_("deadline"))
    _check_period(due, deadline_days, working_days)
    place = check_jurisdiction(jurisdiction)
    check_deadline(
        to_date(sent) if sent else None,
        effective_deadline(
            to_date(sent) if sent else None,
            to_date(due) if due else None,
            deadline_days,
            working_days,
            place,
        ),
    )
    return LetterDraft(
        subject=" ".join(subject.split()),
        sent_on=sent,
        deadline=due,
        deadline_days=deadline_days,
        working_days=working_days,
        channel=check_channel(channel),
        direction=direction,
        questions=texts,
        jurisdiction=place,
    )


def create_letter(
    draft: LetterDraft,
    session: Session,
    case_id: str,
    sender_id: str,
    recipient_ids: list[str],
    cosigner_ids: list[str],
    document_id: str | None,
) -> Letter:
    letter = Letter(case_id=case_id, document_id=document_id)
    letter.subject = draft.subject
    letter.sender_id = sender_id
    letter.recipient_ids = recipient_ids
    letter.cosigner_ids = cosigner_ids
    letter.sent_on = draft.sent_on
    letter.channel = draft.channel
    letter.direction = draft.direction
    letter.deadline = draft.deadline
    letter.deadline_days = draft.deadline_days
    letter.working_days = draft.working_days
    letter.jurisdiction = draft.jurisdiction
    for number, text in enumerate(draft.questions, start=1):
        question = Question(case_id=case_id, number=number)
        question.text = text
        letter.questions.append(question)
    session.add(letter)
    session.flush()
    return letter


def set_deadline(
    letter: Letter,
    *,
    deadline: str | None,
    deadline_days: int | None,
    working_days: bool,
) -> None:
    """Replace the deadline: an explicit date, a period after sending, or none."""
    due = parse_date(deadline, N_("deadline"))
    _check_period(due, deadline_days, working_days)
    letter.deadline = due
    letter.deadline_days = deadline_days
    letter.working_days = working_days if deadline_days is not None else False


def _check_period(deadline: str | None, days: int | None, working_days: bool) -> None:
    if deadline is not None and days is not None:
        raise UsageError(_("give either a deadline date or a number of days, not both"))
    if working_days and days is None:
        raise UsageError(_("--working-days only applies to --deadline-days"))
    if days is not None and not 0 <= days <= MAX_DEADLINE_DAYS:
        raise UsageError(
            _("a reply period must be between 0 and {MAX_DEADLINE_DAYS} days").format(
                MAX_DEADLINE_DAYS=MAX_DEADLINE_DAYS
            )
        )


def create_reply(
    draft: ReplyDraft,
    session: Session,
    case_id: str,
    via: str,
    channel: str,
    summary: str,
    document_id: str | None,
) -> Reply:
    reply = Reply(case_id=case_id, letter_id=draft.letter_id, document_id=document_id)
    reply.sender_id = draft.sender_id
    reply.received_on = draft.received_on
    reply.answers = dict(draft.answers)
    reply.via = " ".join(via.split())
    reply.channel = " ".join(channel.split())
    reply.summary = summary.strip()
    session.add(reply)
    session.flush()
    return reply
