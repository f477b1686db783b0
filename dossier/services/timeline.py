"""A case's timeline: every dated item of the case, plus free entries, in date order.

Items are derived on each call from the catalog (documents, letters and their deadlines,
replies, quotes, dated notes, the publication date) rather than stored, so they can never
drift from what they describe; only free entries (an interview, a call) are `Event` rows.
Each item carries a reference (type + id) so a front end can open what it points to, and the
ids of the people involved so it can be filtered by person. Names are display names: masked
people appear under their pseudonym unless the caller reveals (audited), and any part of their
names in a title or detail is shown as that pseudonym too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from dossier.db.engine import hold_writes
from dossier.db.models import Case, Document, Event, Note, Person, Quote
from dossier.errors import NotFoundError, UsageError, quoted
from dossier.i18n import N_, _, ngettext
from dossier.labels import KINDS as KIND_LABELS
from dossier.labels import LETTER_STATES, QUESTION_STATES, label
from dossier.services.constants import DATE_FROM_PARENT
from dossier.services.dates import parse_date
from dossier.services.dto import TimelineItem
from dossier.services.letters.service import as_of_day
from dossier.services.letters.views import LetterReader
from dossier.services.people.screen import screen_mask
from dossier.text.shorten import shorten

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace

EVENT_KINDS = ("entry", "interview", "meeting", "call", "visit", "other")
"""Kinds a free entry may take."""
DERIVED_KINDS = ("document", "letter", "deadline", "reply", "quote", "note", "publication")
KINDS = DERIVED_KINDS + EVENT_KINDS
# Same day: what happened first in a right-of-reply exchange comes first.
_ORDER = {kind: rank for rank, kind in enumerate(("letter", "reply", "deadline", *KINDS))}
QUOTE_TITLE_CHARS = 80
"""Cut between words (`shorten`): the title is masked once shortened."""


class TimelineService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def items(
        self,
        case: str,
        *,
        person: str | None = None,
        kinds: Sequence[str] = (),
        as_of: str | date | None = None,
        reveal: bool = False,
    ) -> list[TimelineItem]:
        """The case's dated items, oldest first; `person` and `kinds` narrow them."""
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            raise UsageError(
                _("unknown kind {unknown}; choose among {KINDS}").format(
                    unknown=repr(unknown[0]), KINDS=", ".join(KINDS)
                )
            )
        day = as_of_day(as_of)
        case_id = self.ws.cases.resolve(case)
        with self.ws.vault.session() as session:
            wanted = self._person_ids(session, case_id, person) if person else None
            mask = screen_mask(session, case_id, reveal)
            items = [
                replace(i, title=mask.text(i.title), detail=mask.text(i.detail))
                for i in self._collect(session, case_id, day, reveal, mask.names)
            ]
        self.ws.screen.record(mask, "timeline")
        if wanted is not None:
            items = [i for i in items if wanted.intersection(i.people)]
        if kinds:
            items = [i for i in items if i.kind in kinds]
        return sorted(items, key=lambda i: (i.date, _ORDER.get(i.kind, 99), i.title, i.ref_id))

    def _person_ids(self, session: Session, case_id: str, ref: str) -> set[str]:
        """The person and everyone merged into them (links to old ids still count)."""
        target = self.ws.people.find(session, case_id, ref).id
        rows = session.scalars(select(Person).where(Person.case_id == case_id))
        return {target} | {p.id for p in rows if p.merged_into_id == target}

    def _collect(
        self, session: Session, case_id: str, day: date, reveal: bool, names: dict[str, str]
    ) -> Iterable[TimelineItem]:
        def item(
            when: str, kind: str, title: str, ref: tuple[str, str], people: Iterable[str | None]
        ) -> TimelineItem:
            ids = list(dict.fromkeys(p for p in people if p))
            return TimelineItem(
                when, kind, title, ref[0], ref[1], ids, [names.get(p, "") for p in ids]
            )

        docs = list(session.scalars(select(Document).where(Document.case_id == case_id)))
        by_id = {doc.id: doc for doc in docs}
        carried: dict[str, list[str]] = {}
        for doc in docs:
            # An attachment dated by its message is part of the message's entry, not its own.
            if doc.parent_id in by_id and doc.metadata_.get("date_source") == DATE_FROM_PARENT:
                carried.setdefault(str(doc.parent_id), []).append(doc.title)
        for doc in docs:
            if doc.date and not (
                doc.parent_id in by_id and doc.metadata_.get("date_source") == DATE_FROM_PARENT
            ):
                parent = by_id.get(doc.parent_id or "")
                parts = [label(KIND_LABELS, doc.kind), doc.outlet]
                if parent is not None:
                    parts.append(
                        _("{origin} of {title}").format(
                            origin=doc.origin, title=quoted(shorten(parent.title, 40))
                        )
                    )
                if carried.get(doc.id):
                    titles = ", ".join(shorten(t, 40) for t in carried[doc.id])
                    parts.append(_("with {titles}").format(titles=titles))
                detail = " · ".join(x for x in parts if x)
                entry = item(doc.date, "document", doc.title, ("document", doc.id), doc.people)
                yield replace(entry, detail=detail)
        reader = LetterReader(self.ws, session, case_id, day, reveal)
        for letter in reader.letters:
            info = reader.letter(letter)
            people = [info.sender_id, *info.cosigner_ids, *info.recipient_ids]
            about = info.subject or _("to {recipients}").format(
                recipients=", ".join(info.recipients)
            )
            state = label(LETTER_STATES, info.state)  # read by people: "partly answered"
            if info.sent_on:
                title = _("Letter from {sender}: {about}").format(sender=info.sender, about=about)
                entry = item(info.sent_on, "letter", title, ("letter", info.id), people)
                count = ngettext(
                    "{n} question, {state}", "{n} questions, {state}", len(info.questions)
                )
                yield replace(entry, detail=count.format(n=len(info.questions), state=state))
            if info.sent_on and info.deadline:
                title = _("Reply deadline: {about}").format(about=about)
                entry = item(info.deadline, "deadline", title, ("letter", info.id), people)
                yield replace(entry, detail=state)
        for reply in reader.replies:
            if reply.received_on:
                shown = reader.reply(reply)
                title = (
                    _("Reply from {sender} ({via})").format(sender=shown.sender, via=shown.via)
                    if shown.via
                    else _("Reply from {sender}").format(sender=shown.sender)
                )
                entry = item(
                    reply.received_on, "reply", title, ("reply", reply.id), [shown.sender_id]
                )
                answered = ", ".join(
                    _("{number}: {status}").format(
                        number=a.number, status=label(QUESTION_STATES, a.status)
                    )
                    for a in shown.answers
                )
                yield replace(entry, detail=answered)
        for quote in session.scalars(select(Quote).where(Quote.case_id == case_id)):
            if quote.said_on:
                speaker = names.get(quote.speaker_id or "", "") or _("Unattributed")
                title = _("{speaker}: «{quote}»").format(
                    speaker=speaker, quote=shorten(quote.text, QUOTE_TITLE_CHARS)
                )
                yield item(quote.said_on, "quote", title, ("quote", quote.id), [quote.speaker_id])
        for note in session.scalars(select(Note).where(Note.case_id == case_id)):
            if note.date:
                yield item(
                    note.date, "note", note.title or _("Note"), ("note", note.id), note.people
                )
        for event in session.scalars(select(Event).where(Event.case_id == case_id)):
            yield item(event.date, event.kind, event.title, ("event", event.id), event.people)
        case = session.get(Case, case_id)
        if case is not None and case.published_on:
            yield item(case.published_on, "publication", _("Publication"), ("case", case_id), [])

    # -- free entries -------------------------------------------------------------------------

    def add_entry(
        self,
        case: str,
        *,
        when: str,
        title: str,
        people: Sequence[str] = (),
        kind: str = "entry",
    ) -> TimelineItem:
        """A free entry (an interview, a call): the one kind of item the timeline stores."""
        day = parse_date(when, N_("date"))
        if day is None:
            raise UsageError(_("a timeline entry needs a date"))
        title = " ".join(title.split())
        if not title:
            raise UsageError(_("a timeline entry needs a title"))
        if kind not in EVENT_KINDS:
            raise UsageError(
                _("unknown entry kind {kind}; choose one of {EVENT_KINDS}").format(
                    kind=repr(kind), EVENT_KINDS=", ".join(EVENT_KINDS)
                )
            )
        case_id = self.ws.cases.resolve(case)
        with self.ws.vault.session() as session:
            # The people named are those that exist when the entry is written: one merged
            # into another meanwhile is the one kept (the merge moved every entry it found).
            hold_writes(session)
            ids = list(dict.fromkeys(self.ws.people.find(session, case_id, p).id for p in people))
            event = Event(case_id=case_id)
            event.date = day
            event.title = title
            event.kind = kind
            event.people = ids
            session.add(event)
            session.flush()
            self.ws.audit.append(session, "timeline.add", case_id, event_id=event.id, kind=kind)
            session.commit()
            names = self.ws.people.names_in(session, case_id)
            return TimelineItem(
                day, kind, title, "event", event.id, ids, [names.get(p, "") for p in ids]
            )

    def remove_entry(self, event_id: str) -> None:
        with self.ws.vault.session() as session:
            event = session.get(Event, event_id.strip())
            if event is None:
                raise NotFoundError(
                    _("no timeline entry {event_id}").format(event_id=repr(event_id))
                )
            case_id = event.case_id
            session.delete(event)
            self.ws.audit.append(session, "timeline.remove", case_id, event_id=event_id)
            session.commit()
