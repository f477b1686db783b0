"""Letters, their numbered questions and the replies they get (right of reply).

Every write is validated in full before anything is stored: unknown people or letters, bad
dates and a deadline before the sending date are refused with nothing written. A letter or reply
that carries a file imports it first as a document (its own transaction); if recording the
letter then fails, that document is removed again, so no half-recorded letter remains.

States are never stored: they are computed on the day asked for (`as_of`, today by default)
by `dossier.services.letters.states`, so a listing for a past date is reproducible.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from dossier.db.engine import hold_writes
from dossier.db.models import Document, Letter, Reply
from dossier.errors import NotFoundError, UsageError
from dossier.i18n import N_, _
from dossier.services.dates import parse_date, to_date
from dossier.services.dto import KEEP, SearchableItem
from dossier.services.letters.dto import (
    LetterEdit,
    LetterInfo,
    LettersSummary,
    ReplyDraft,
    ReplyInfo,
)
from dossier.services.letters.jurisdictions import check_jurisdiction
from dossier.services.letters.states import (
    DIRECTIONS,
    OPEN_STATES,
    check_channel,
    check_deadline,
    check_state,
    parse_answer_spec,
)
from dossier.services.letters.views import LetterReader, letter_facts
from dossier.services.letters.write import create_letter, create_reply, draft_letter, set_deadline
from dossier.services.refs import find_by_ref, match_prefix

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace


def as_of_day(as_of: str | date | None) -> date:
    """The day states are computed for: `as_of` (ISO or date), today when not given."""
    if isinstance(as_of, date):
        return as_of
    parsed = parse_date(as_of, N_("--as-of date"))
    return to_date(parsed) if parsed else date.today()


class LetterService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # -- lookup -------------------------------------------------------------------------------

    def find(self, session: Session, case_id: str | None, ref: str) -> Letter:
        """A letter by id or by a unique id prefix of at least four characters."""
        letter = session.get(Letter, ref.strip().lower())
        if letter is None or case_id not in (None, letter.case_id):
            scope = () if case_id is None else (Letter.case_id == case_id,)
            letter = match_prefix(session, Letter, ref, N_("letter"), *scope)
        if letter is None:
            raise NotFoundError(f"no letter {ref!r}" + (" in this case" if case_id else ""))
        return letter

    def _find_reply(self, session: Session, ref: str) -> Reply:
        return find_by_ref(session, Reply, ref, N_("reply"))

    # -- letters ------------------------------------------------------------------------------

    def add(
        self,
        case: str,
        *,
        sender: str,
        recipients: Sequence[str],
        questions: Sequence[str] = (),
        cosigners: Sequence[str] = (),
        sent_on: str | None = None,
        deadline: str | None = None,
        deadline_days: int | None = None,
        working_days: bool = False,
        subject: str = "",
        channel: str = "post",
        direction: str = "sent",
        file: Path | None = None,
        jurisdiction: str | None = None,
    ) -> LetterInfo:
        """`jurisdiction`: where the recipients are (a `jurisdictions` code; None: metropolitan
        France), for the holidays a deadline in working days skips."""
        case_id = self.ws.cases.resolve(case)
        draft = draft_letter(
            jurisdiction=jurisdiction,
            subject=subject,
            sent_on=sent_on,
            deadline=deadline,
            deadline_days=deadline_days,
            working_days=working_days,
            channel=channel,
            direction=direction,
            questions=questions,
        )
        with self.ws.vault.session() as session:
            self._people(session, case_id, sender, recipients, cosigners)  # refuse before import
        document_id = self._import(case_id, file, "letter", draft.subject, draft.sent_on)

        def write(session: Session) -> str:
            ids = self._people(session, case_id, sender, recipients, cosigners)
            letter = create_letter(draft, session, case_id, *ids, document_id)
            if document_id is not None:
                self._link_document(session, document_id, [ids[0], *ids[1], *ids[2]])
            self.ws.audit.append(
                session,
                "letter.add",
                case_id,
                letter_id=letter.id,
                questions=len(letter.questions),
                document_id=document_id,
            )
            return letter.id

        return self.get(self._record(case_id, document_id, write, Letter))

    def _record(
        self,
        case_id: str,
        document_id: str | None,
        write: Callable[[Session], str],
        model: type[Letter] | type[Reply],
    ) -> str:
        """Run `write` (returns the id of the `model` row it adds) in one transaction. If it
        fails, the document imported for the row is deleted again; otherwise it is re-indexed,
        since the row gave it people. Returns the row's id."""
        row_id: str | None = None
        try:
            with self.ws.vault.session() as session:
                # Its people looked up as they are when it is written: one merged into another
                # meanwhile is the one kept (the merge moved every letter it found).
                hold_writes(session)
                row_id = write(session)
                session.commit()
        except BaseException:
            # Unless raised once the commit was made (a Ctrl-C as it returned): the row is
            # stored then, and its document deleted, it had lost its file.
            if document_id is not None and not self._stored(model, row_id):
                self.ws.documents.delete(document_id)
            raise
        if document_id is not None:
            self.ws.index.document_changed(case_id, document_id)
        return row_id

    def _stored(self, model: type[Letter] | type[Reply], row_id: str | None) -> bool:
        """Whether the catalog on disk holds the row (its commit failed or not); when it
        cannot tell, the row's document is kept."""
        if row_id is None:
            return False
        try:
            with self.ws.vault.session() as session:
                return session.get(model, row_id) is not None
        except Exception:  # the failure being raised is the one to report
            return True

    def _people(
        self,
        session: Session,
        case_id: str,
        sender: str,
        recipients: Sequence[str],
        cosigners: Sequence[str],
    ) -> tuple[str, list[str], list[str]]:
        if not recipients:
            raise UsageError(_("a letter needs at least one recipient (--to)"))
        people = self.ws.people
        sender_id = people.find(session, case_id, sender).id
        recipient_ids = _unique(people.find(session, case_id, r).id for r in recipients)
        cosigner_ids = _unique(people.find(session, case_id, c).id for c in cosigners)
        cosigner_ids = [c for c in cosigner_ids if c != sender_id]
        if sender_id in recipient_ids or set(cosigner_ids) & set(recipient_ids):
            raise UsageError(_("the same person cannot both sign and receive a letter"))
        return sender_id, recipient_ids, cosigner_ids

    def _import(
        self, case_id: str, file: Path | None, kind: str, title: str, day: str | None
    ) -> str | None:
        if file is None:
            return None
        info = self.ws.documents.import_file(
            case_id, Path(file), kind=kind, title=title or None, date=day
        )
        return info.id

    def _link_document(self, session: Session, document_id: str, people: list[str]) -> None:
        doc = session.get(Document, document_id)
        if doc is None:
            raise NotFoundError(
                _("no document with id {document_id}").format(document_id=document_id)
            )
        doc.people = _unique([*doc.people, *people])

    def edit(self, ref: str, edit: LetterEdit) -> LetterInfo:
        """Apply `edit` to a letter (see `LetterEdit`); returns the letter as it now is."""
        with self.ws.vault.session() as session:
            hold_writes(session)  # the fields this edit keeps are kept as last committed
            letter = self.find(session, None, ref)
            if edit.subject is not KEEP:
                letter.subject = edit.subject.strip()
            if edit.channel is not KEEP:
                letter.channel = check_channel(edit.channel)
            if edit.direction is not KEEP:
                if edit.direction not in DIRECTIONS:
                    raise UsageError(
                        _("direction must be one of {DIRECTIONS}").format(
                            DIRECTIONS=", ".join(DIRECTIONS)
                        )
                    )
                letter.direction = edit.direction
            if edit.sent_on is not KEEP:
                letter.sent_on = parse_date(edit.sent_on, "sending date")
            if edit.jurisdiction is not KEEP:
                letter.jurisdiction = check_jurisdiction(edit.jurisdiction)
            if any(v is not KEEP for v in (edit.deadline, edit.deadline_days, edit.working_days)):
                # A date replaces a period and the reverse; what is not given is kept.
                days = letter.deadline_days
                due = letter.deadline
                working = letter.working_days
                if edit.deadline is not KEEP:
                    due, days, working = edit.deadline, None, False
                if edit.deadline_days is not KEEP:
                    days, working = _opt_int(edit.deadline_days), False
                    due = None if edit.deadline is KEEP else due
                if edit.working_days is not KEEP:
                    working = edit.working_days
                set_deadline(letter, deadline=due, deadline_days=days, working_days=working)
            facts = letter_facts(letter)
            check_deadline(facts.sent_on, facts.deadline)
            self.ws.audit.append(
                session,
                "letter.edit",
                letter.case_id,
                letter_id=letter.id,
                fields=sorted(edit.changed()),
            )
            session.commit()
            letter_id = letter.id
        return self.get(letter_id)

    def delete(self, ref: str) -> None:
        """Remove a letter and its questions; its document and replies stay in the case."""
        with self.ws.vault.session() as session:
            letter = self.find(session, None, ref)
            case_id, letter_id = letter.case_id, letter.id
            session.delete(letter)
            self.ws.audit.append(session, "letter.delete", case_id, letter_id=letter_id)
            session.commit()

    # -- replies ------------------------------------------------------------------------------

    def add_reply(
        self,
        case: str,
        *,
        sender: str,
        received_on: str,
        letter: str | None = None,
        answers: Sequence[str] = (),
        via: str = "",
        channel: str = "",
        summary: str = "",
        file: Path | None = None,
    ) -> ReplyInfo:
        """Record a reply to `letter`, or (without one) e.g. a statement made to the press.

        `answers` are `N[:partly|:declined]` for questions of `letter`, or
        `LETTER:N[:STATUS]` to tie any reply to questions of any letter of the case. A reply to
        a letter given without `answers` answers every question of that letter fully.
        """
        case_id = self.ws.cases.resolve(case)
        received = parse_date(received_on, N_("reception date"))
        if received is None:
            raise UsageError(_("a reply needs the date it was received (--received)"))
        with self.ws.vault.session() as session:  # refuse before the import
            self._reply_draft(session, case_id, sender, received, letter, answers)
        document_id = self._import(case_id, file, "reply", "", received)

        def write(session: Session) -> str:
            draft = self._reply_draft(session, case_id, sender, received, letter, answers)
            reply = create_reply(draft, session, case_id, via, channel, summary, document_id)
            if document_id is not None:
                self._link_document(session, document_id, [draft.sender_id])
            self.ws.audit.append(
                session,
                "reply.add",
                case_id,
                reply_id=reply.id,
                letter_id=reply.letter_id,
                answers=dict(reply.answers),
                document_id=document_id,
            )
            return reply.id

        return self.get_reply(self._record(case_id, document_id, write, Reply))

    def _reply_draft(
        self,
        session: Session,
        case_id: str,
        sender: str,
        received: str,
        letter_ref: str | None,
        answer_specs: Sequence[str],
    ) -> ReplyDraft:
        sender_id = self.ws.people.find(session, case_id, sender).id
        linked = self.find(session, case_id, letter_ref) if letter_ref else None
        if linked is not None:
            if linked.sent_on is None:
                raise UsageError(
                    _("letter {id} is still a draft; record its sending first").format(id=linked.id)
                )
            if received < linked.sent_on:
                raise UsageError(
                    _(
                        "the reply ({received}) cannot come before the letter was sent ({sent_on})"
                    ).format(received=received, sent_on=linked.sent_on)
                )
        answers: dict[str, str] = {}
        for spec in answer_specs:
            letter_part, number, status = parse_answer_spec(spec)
            if letter_part is None and linked is None:
                raise UsageError(
                    _("answer {spec} needs a letter: use --letter or LETTER:N").format(
                        spec=repr(spec)
                    )
                )
            target = linked if letter_part is None else self.find(session, case_id, letter_part)
            assert target is not None  # one of the two branches above always found it
            question = next((q for q in target.questions if q.number == number), None)
            if question is None:
                raise NotFoundError(
                    _("letter {id} has no question {number} (it has {n})").format(
                        id=target.id, number=number, n=len(target.questions)
                    )
                )
            if question.id in answers:
                raise UsageError(
                    _("question {number} of letter {id} is answered twice").format(
                        number=number, id=target.id
                    )
                )
            answers[question.id] = status
        if linked is not None and not answer_specs:
            answers = {q.id: "answered" for q in linked.questions}
        return ReplyDraft(sender_id, received, linked.id if linked else None, answers)

    def delete_reply(self, ref: str) -> None:
        with self.ws.vault.session() as session:
            reply = self._find_reply(session, ref)
            case_id, reply_id = reply.case_id, reply.id
            session.delete(reply)
            self.ws.audit.append(session, "reply.delete", case_id, reply_id=reply_id)
            session.commit()

    # -- reading ------------------------------------------------------------------------------

    def get(self, ref: str, *, as_of: str | date | None = None, reveal: bool = False) -> LetterInfo:
        day = as_of_day(as_of)
        with self.ws.vault.session() as session:
            letter = self.find(session, None, ref)
            info = LetterReader(self.ws, session, letter.case_id, day, reveal).letter(letter)
        if reveal:
            self.ws.people.audit_reveal(info.case_id, "letter")
        return info

    def get_reply(self, ref: str, *, reveal: bool = False) -> ReplyInfo:
        with self.ws.vault.session() as session:
            reply = self._find_reply(session, ref)
            info = LetterReader(self.ws, session, reply.case_id, date.today(), reveal).reply(reply)
        if reveal:
            self.ws.people.audit_reveal(info.case_id, "reply")
        return info

    def of_case(
        self,
        case: str,
        *,
        state: str | None = None,
        as_of: str | date | None = None,
        reveal: bool = False,
    ) -> list[LetterInfo]:
        wanted = check_state(state) if state else None
        day = as_of_day(as_of)
        case_id = self.ws.cases.resolve(case)
        with self.ws.vault.session() as session:
            reader = LetterReader(self.ws, session, case_id, day, reveal)
            letters = [reader.letter(letter) for letter in reader.letters]
        if reveal:
            self.ws.people.audit_reveal(case_id, "letters")
        letters.sort(key=lambda i: (i.sent_on or "9999-99-99", i.subject.casefold(), i.id))
        return [i for i in letters if wanted is None or i.state == wanted]

    def replies(self, case: str, *, reveal: bool = False) -> list[ReplyInfo]:
        case_id = self.ws.cases.resolve(case)
        with self.ws.vault.session() as session:
            reader = LetterReader(self.ws, session, case_id, date.today(), reveal)
            replies = [reader.reply(r) for r in reader.replies]
        if reveal:
            self.ws.people.audit_reveal(case_id, "replies")
        return sorted(replies, key=lambda r: (r.received_on or "9999-99-99", r.id))

    def summary(self, case: str, *, as_of: str | date | None = None) -> LettersSummary:
        """What is still unanswered and what is overdue in a case, on `as_of`."""
        day = as_of_day(as_of)
        letters = self.of_case(case, as_of=day)
        by_state = {s: 0 for s in (i.state for i in letters)}
        for info in letters:
            by_state[info.state] += 1
        sent = [i for i in letters if i.state != "draft"]
        return LettersSummary(
            case_id=self.ws.cases.resolve(case),
            as_of=day.isoformat(),
            letters=len(letters),
            by_state=by_state,
            unanswered=sum(len(i.unanswered) for i in sent),
            overdue=sum(1 for i in letters if i.is_overdue),
            awaiting=by_state.get("awaiting", 0) + by_state.get("sent", 0),
            overdue_letters=[i.id for i in letters if i.is_overdue],
            open_letters=[i.id for i in letters if i.state in OPEN_STATES],
            overdue_questions=sum(len(i.overdue_questions) for i in letters),
        )

    letters_summary = summary

    # -- search -------------------------------------------------------------------------------

    def searchable_items(self, case_id: str) -> list[SearchableItem]:
        """Letters, questions, replies and people of a case, for the search index."""
        with self.ws.vault.session() as session:
            reader = LetterReader(self.ws, session, case_id, date.today(), reveal=False)
            items = list(reader.searchable())
            items.extend(self.ws.people.searchable_items(session, case_id))
        return items


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _opt_int(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise UsageError(_("a number of days must be a whole number"))
    try:
        return int(value)
    except ValueError:
        raise UsageError(
            _("{value} is not a whole number of days").format(value=repr(value))
        ) from None
