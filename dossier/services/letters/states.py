"""Right of reply, computed: deadlines, question statuses and letter states as pure functions.

Nothing here touches the catalog, so the rules can be read (and tested) on their own:

- a letter is a `draft` until its sending date (a letter dated after `as_of` is still a draft
  on that day, which keeps `--as-of` output reproducible);
- only replies received on or before `as_of` count (a reply without a date always counts);
- a question takes the best status any counted reply gave it: answered > partly > declined;
- with at least one counted reply: `replied` when every question is fully answered (or the
  letter asked none), `partly_answered` when some answer was given, `declined` when the replies
  only decline; a reply that addresses none of the questions leaves the letter
  `partly_answered`, since something came back but not an answer to what was asked;
- with none: `no_reply_by_publication` once the case's publication date (on or after sending)
  has been reached, else `overdue` the day after the deadline, `awaiting` while a deadline
  runs, `sent` when the letter set none.

Lateness is read per question as well: once a sent letter's deadline has passed, each question
still unanswered is *overdue*, whatever the letter's state, so a letter partly answered with
questions left past the deadline is both partly answered and overdue. A reply received after
the case's publication is flagged: it came too late to be reflected in the story.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from dossier.errors import UsageError
from dossier.i18n import _
from dossier.services.letters.dto import (
    DEFAULT_JURISDICTION,
    LetterFacts,
    ReplyFacts,
)
from dossier.services.letters.workdays import add_days

LETTER_STATES = (
    "draft",
    "sent",
    "awaiting",
    "overdue",
    "replied",
    "partly_answered",
    "declined",
    "no_reply_by_publication",
)
OPEN_STATES = frozenset({"sent", "awaiting", "overdue", "no_reply_by_publication"})
"""States in which nothing has come back yet."""
CHANNELS = ("post", "email", "hand", "form")
CHANNEL_ALIASES = {"e-mail": "email", "mail": "email", "hand delivery": "hand", "letter": "post"}
DIRECTIONS = ("sent", "received")
ANSWER_STATUSES = ("answered", "partly", "declined")
ANSWER_WORDS = {
    "answered": "answered",
    "fully": "answered",
    "full": "answered",
    "partly": "partly",
    "partial": "partly",
    "partially": "partly",
    "declined": "declined",
    "refused": "declined",
}
_RANK = {"unanswered": 0, "declined": 1, "partly": 2, "answered": 3}


def check_channel(channel: str) -> str:
    value = CHANNEL_ALIASES.get(channel.strip().lower(), channel.strip().lower())
    if value not in CHANNELS:
        raise UsageError(
            _("unknown channel {channel}; choose one of {CHANNELS}").format(
                channel=repr(channel), CHANNELS=", ".join(CHANNELS)
            )
        )
    return value


def check_state(state: str) -> str:
    value = state.strip().lower().replace("-", "_")
    if value not in LETTER_STATES:
        raise UsageError(
            _("unknown state {state}; choose one of {LETTER_STATES}").format(
                state=repr(state), LETTER_STATES=", ".join(LETTER_STATES)
            )
        )
    return value


def answer_status(word: str) -> str:
    status = ANSWER_WORDS.get(word.strip().lower())
    if status is None:
        raise UsageError(
            _("unknown answer {word}; use answered, partly or declined").format(word=repr(word))
        )
    return status


def parse_answer_spec(spec: str) -> tuple[str | None, int, str]:
    """`[LETTER:]N[:partly|:declined]` -> (letter reference or None, question number, status)."""
    parts = [p.strip() for p in spec.split(":")]
    status = "answered"
    if len(parts) > 1 and not parts[-1].isdigit() and parts[-1].lower() in ANSWER_WORDS:
        status = answer_status(parts.pop())
    if len(parts) == 1:
        letter, number = None, parts[0]
    elif len(parts) == 2:
        letter, number = parts[0] or None, parts[1]
    else:
        letter, number = None, ""
    if not number.isdigit() or int(number) < 1:
        raise UsageError(
            _("cannot read answer {spec}: use N, N:partly, N:declined or LETTER:N[:STATUS]").format(
                spec=repr(spec)
            )
        )
    return letter, int(number), status


def effective_deadline(
    sent_on: date | None,
    deadline: date | None,
    deadline_days: int | None,
    working_days: bool,
    jurisdiction: str | None = None,
) -> date | None:
    """The explicit deadline, else `deadline_days` after sending (None while unsent); working
    days skip the public holidays of `jurisdiction` (None: the default, metropolitan France)."""
    if deadline is not None:
        return deadline
    if deadline_days is None or sent_on is None:
        return None
    return add_days(
        sent_on, deadline_days, working=working_days, code=jurisdiction or DEFAULT_JURISDICTION
    )


def check_deadline(sent_on: date | None, deadline: date | None) -> None:
    if sent_on is not None and deadline is not None and deadline < sent_on:
        raise UsageError(
            _("the reply deadline {deadline} is before the sending date {sent_on}").format(
                deadline=deadline.isoformat(), sent_on=sent_on.isoformat()
            )
        )


def replies_for(letter: LetterFacts, replies: Sequence[ReplyFacts]) -> list[ReplyFacts]:
    """Replies that answer `letter`: linked to it, or answering one of its questions."""
    asked = set(letter.question_ids)
    return [r for r in replies if r.letter_id == letter.id or asked.intersection(r.answers)]


def counted(replies: Sequence[ReplyFacts], as_of: date) -> list[ReplyFacts]:
    return [r for r in replies if r.received_on is None or r.received_on <= as_of]


def question_statuses(
    question_ids: Sequence[str], replies: Sequence[ReplyFacts], as_of: date
) -> dict[str, str]:
    """Question id -> unanswered | declined | partly | answered (best over counted replies)."""
    statuses = dict.fromkeys(question_ids, "unanswered")
    for reply in counted(replies, as_of):
        for question_id, status in reply.answers.items():
            if question_id in statuses and _RANK.get(status, 0) > _RANK[statuses[question_id]]:
                statuses[question_id] = status
    return statuses


def past_deadline(letter: LetterFacts, as_of: date) -> bool:
    """The letter was sent and its deadline had passed on `as_of`."""
    return (
        letter.sent_on is not None
        and letter.sent_on <= as_of
        and letter.deadline is not None
        and as_of > letter.deadline
    )


def overdue_questions(letter: LetterFacts, statuses: Mapping[str, str], as_of: date) -> set[str]:
    """Ids of `letter`'s questions still unanswered after its deadline (declined ones were
    answered, if only by a refusal)."""
    if not past_deadline(letter, as_of):
        return set()
    return {q for q in letter.question_ids if statuses.get(q, "unanswered") == "unanswered"}


def after_publication(received_on: date | None, published_on: date | None) -> bool:
    """A reply received after the case was published."""
    return received_on is not None and published_on is not None and received_on > published_on


def letter_state(
    letter: LetterFacts,
    replies: Sequence[ReplyFacts],
    as_of: date,
    published_on: date | None = None,
) -> str:
    """One of LETTER_STATES for `letter` on the day `as_of` (see the module docstring)."""
    if letter.sent_on is None or letter.sent_on > as_of:
        return "draft"
    received = counted(replies_for(letter, replies), as_of)
    if received:
        if not letter.question_ids:
            return "replied"
        statuses = question_statuses(letter.question_ids, received, as_of).values()
        if all(s == "answered" for s in statuses):
            return "replied"
        if any(s in ("answered", "partly") for s in statuses):
            return "partly_answered"
        if any(s == "declined" for s in statuses):
            return "declined"
        return "partly_answered"
    if published_on is not None and letter.sent_on <= published_on <= as_of:
        return "no_reply_by_publication"
    if letter.deadline is not None:
        return "overdue" if as_of > letter.deadline else "awaiting"
    return "sent"


# -- what services hand out ---------------------------------------------------------------------
