"""The letters feature's data classes: letters, questions and replies as the service returns
them, the drafts it validates before writing, and the facts their states are computed from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from dossier.services.dto import KEEP, Edit, Keep

DEFAULT_JURISDICTION = "FR"


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    label: str
    country: str
    subdivision: str | None = None


@dataclass(frozen=True)
class LetterFacts:
    id: str
    sent_on: date | None
    deadline: date | None
    question_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReplyFacts:
    letter_id: str | None
    received_on: date | None
    answers: Mapping[str, str] = field(default_factory=dict)
    """Question id -> answered | partly | declined."""


@dataclass(frozen=True)
class QuestionInfo:
    id: str
    letter_id: str
    number: int
    text: str
    status: str
    """unanswered | answered | partly | declined, on the `as_of` day of the listing."""
    overdue: bool = False
    """Still unanswered after the letter's deadline, on the `as_of` day."""


@dataclass(frozen=True)
class AnswerInfo:
    letter_id: str
    question_id: str
    number: int
    status: str


@dataclass(frozen=True)
class ReplyInfo:
    id: str
    case_id: str
    letter_id: str | None
    sender_id: str | None
    sender: str
    received_on: str | None
    via: str
    channel: str
    summary: str
    document_id: str | None
    answers: list[AnswerInfo] = field(default_factory=list)
    after_publication: bool = False
    """Received after the case was published: too late for the story."""


@dataclass(frozen=True)
class LetterInfo:
    id: str
    case_id: str
    subject: str
    direction: str
    channel: str
    sender_id: str | None
    sender: str
    recipient_ids: list[str]
    recipients: list[str]
    cosigner_ids: list[str]
    cosigners: list[str]
    sent_on: str | None
    deadline: str | None
    deadline_days: int | None
    working_days: bool
    state: str
    as_of: str
    document_id: str | None
    questions: list[QuestionInfo] = field(default_factory=list)
    replies: list[ReplyInfo] = field(default_factory=list)
    jurisdiction: str = DEFAULT_JURISDICTION
    """Where the recipient is: the holidays its working-day deadline skips."""
    jurisdiction_label: str = ""
    deadline_holidays: list[tuple[str, str]] = field(default_factory=list)
    """(ISO date, name) of the public holidays that moved a working-day deadline back."""

    @property
    def unanswered(self) -> list[QuestionInfo]:
        return [q for q in self.questions if q.status == "unanswered"]

    @property
    def overdue_questions(self) -> list[QuestionInfo]:
        return [q for q in self.questions if q.overdue]

    @property
    def is_overdue(self) -> bool:
        """Late: nothing came back after the deadline, or some questions are still unanswered
        after it (a partly answered letter can be overdue too)."""
        return self.state == "overdue" or bool(self.overdue_questions)


@dataclass(frozen=True)
class LettersSummary:
    """A case at a glance: what is still unanswered and what is overdue."""

    case_id: str
    as_of: str
    letters: int
    by_state: dict[str, int]
    unanswered: int
    """Questions of sent letters without any answer (declined ones are not counted)."""
    overdue: int
    """Letters that are late: no reply after the deadline, or questions still unanswered."""
    awaiting: int
    overdue_letters: list[str] = field(default_factory=list)
    open_letters: list[str] = field(default_factory=list)
    overdue_questions: int = 0
    """Questions still unanswered after their letter's deadline."""


@dataclass(frozen=True)
class LetterDraft:
    subject: str
    sent_on: str | None
    deadline: str | None
    deadline_days: int | None
    working_days: bool
    channel: str
    direction: str
    questions: tuple[str, ...]
    jurisdiction: str = DEFAULT_JURISDICTION


@dataclass(frozen=True)
class ReplyDraft:
    sender_id: str
    received_on: str
    letter_id: str | None
    answers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LetterEdit(Edit):
    """What to change in a letter; a field left at KEEP is not changed. A deadline date
    replaces a period (`deadline_days`, counted in working days with `working_days`) and the
    reverse; None removes it."""

    subject: str | Keep = KEEP
    channel: str | Keep = KEEP
    direction: str | Keep = KEEP
    sent_on: str | Keep | None = KEEP
    """An ISO date (YYYY-MM-DD)."""
    deadline: str | Keep | None = KEEP
    deadline_days: int | Keep | None = KEEP
    working_days: bool | Keep = KEEP
    jurisdiction: str | Keep | None = KEEP
