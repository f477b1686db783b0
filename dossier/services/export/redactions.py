"""Redaction marks: add, list, remove (audited), and the rules an export applies.

A mark is a rectangle on one page of one document, or a rule: a term, a pattern (e-mail,
phone, IBAN, NIR, plate) or a person's names and aliases, for one document or for the whole
case. Marks live in the vault, sealed like everything else; originals never change. Protected
and anonymous people need no mark: their names and aliases are always redacted from exports.

The audit trail records that a mark was added or removed and its kind, never its term.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from dossier.db.engine import hold_writes
from dossier.db.models import Document, Page, Person, Redaction
from dossier.errors import NotFoundError, UsageError
from dossier.i18n import _
from dossier.redact.beside import AddressBook
from dossier.redact.marks import PatternRule, RectRule, Rules, TermRule
from dossier.redact.names import name_parts
from dossier.redact.patterns import PATTERN_KINDS, email_forms, find_pattern, phone_forms
from dossier.redact.shortnames import ShortFinder, short_parts
from dossier.services.export.dto import ProtectedName, ProtectedPerson, RedactionInfo
from dossier.services.people.service import is_masked
from dossier.text.fold import fold_key

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace

KINDS = ("rect", "term", "pattern", "person")
MIN_TERM_KEY = 2
"""A term must hold at least two letters or digits: one would black out half of every page."""

Rect = tuple[float, float, float, float]


def contacts_in(texts: list[str]) -> tuple[str, ...]:
    """E-mail addresses and phone numbers found in a person's record, each in the forms it is
    written in (`patterns.email_forms`, `patterns.phone_forms`)."""
    found: dict[str, None] = {}
    for text in texts:
        for start, end in find_pattern("email", text):
            found.update(dict.fromkeys(email_forms(" ".join(text[start:end].split()))))
        for start, end in find_pattern("phone", text):
            found.update(dict.fromkeys(phone_forms(" ".join(text[start:end].split()))))
    return tuple(found)


def person_rules(mark_id: str, names: Sequence[str]) -> list[TermRule]:
    """The rules hiding a person's names: every part (`names.name_parts`), also glued to other
    letters, and every two-letter part where it stands for them (`shortnames`)."""
    rules = [TermRule(mark_id, "person", part, glued=True) for part in name_parts(names)]
    rules += [TermRule(mark_id, "person", s.written, short=s) for s in short_parts(names)]
    return rules


def address_book(people: Sequence[ProtectedPerson]) -> AddressBook[str]:
    """Where to learn protected people's addresses: beside their names (`redact.beside`)."""
    return AddressBook(
        {fold_key(part): p.person_id for p in people for part in p.parts},
        ShortFinder((short, p.person_id) for p in people for short in p.shorts),
    )


def _info(row: Redaction) -> RedactionInfo:
    return RedactionInfo(
        id=row.id,
        case_id=row.case_id,
        document_id=row.document_id,
        kind=row.kind,
        page_index=row.page_index,
        rects=[list(r) for r in row.rects],
        term=row.term,
        pattern=row.pattern,
        person_id=row.person_id,
        reason=row.reason,
        created_at=row.created_at,
    )


def parse_rect(text: str) -> Rect:
    """ "x0,y0,x1,y1" in PDF points -> a rectangle, refused when malformed or empty."""
    try:
        values = [float(v) for v in text.replace(" ", "").split(",")]
    except ValueError:
        raise UsageError(
            _("a rectangle is x0,y0,x1,y1 in points, not {text}").format(text=repr(text))
        ) from None
    if len(values) != 4:
        raise UsageError(
            _("a rectangle is x0,y0,x1,y1 in points, not {text}").format(text=repr(text))
        )
    x0, y0, x1, y1 = values
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


class RedactionService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # -- adding ----------------------------------------------------------------------------

    def _document(self, session: Session, doc_id: str) -> Document:
        hold_writes(session)  # the document marked is one that exists when the mark is written
        doc = session.get(Document, doc_id)
        if doc is None:
            raise NotFoundError(_("no document with id {doc_id}").format(doc_id=doc_id))
        return doc

    def _scope(
        self, session: Session, case: str | None, doc_id: str | None
    ) -> tuple[str, str | None]:
        if doc_id is not None:
            doc = self._document(session, doc_id)
            if case is not None and self.ws.cases.resolve(case) != doc.case_id:
                raise UsageError(
                    _("document {doc_id} is not in case {case}").format(
                        doc_id=doc_id, case=repr(case)
                    )
                )
            return doc.case_id, doc.id
        if case is None:
            raise UsageError(_("say which case (--case) or which document (--doc) the mark is for"))
        return self.ws.cases.resolve(case), None

    def _store(self, session: Session, row: Redaction) -> RedactionInfo:
        session.add(row)
        session.flush()
        self.ws.audit.append(
            session,
            "redaction.add",
            row.case_id,
            redaction_id=row.id,
            kind=row.kind,
            doc_id=row.document_id,
            reason=row.reason,
        )
        session.commit()
        return _info(row)

    def add_rect(
        self, doc_id: str, page_index: int, rects: list[Rect], *, reason: str = ""
    ) -> RedactionInfo:
        """Black out `rects` (PDF points, top-left origin of the unrotated page) on one page."""
        if not rects:
            raise UsageError(_("give at least one rectangle"))
        with self.ws.vault.session() as session:
            doc = self._document(session, doc_id)
            page = session.scalar(
                select(Page).where(Page.document_id == doc_id, Page.page_index == page_index)
            )
            if page is None:
                raise UsageError(
                    _(
                        "document {doc_id} has no page {page_index} (it has {page_count} pages)"
                    ).format(doc_id=doc_id, page_index=page_index + 1, page_count=doc.page_count)
                )
            for x0, y0, x1, y1 in rects:
                if x1 - x0 <= 0 or y1 - y0 <= 0:
                    raise UsageError(_("a rectangle must have a width and a height"))
                if page.width and (x0 >= page.width or y0 >= page.height or x1 <= 0 or y1 <= 0):
                    raise UsageError(
                        _(
                            "the rectangle lies outside page {page_index} ({width:.0f} x "
                            "{height:.0f} points)"
                        ).format(page_index=page_index + 1, width=page.width, height=page.height)
                    )
            row = Redaction(case_id=doc.case_id, document_id=doc.id, kind="rect")
            row.page_index = page_index
            row.rects = [list(r) for r in rects]
            row.reason = reason
            return self._store(session, row)

    def add_term(
        self, term: str, *, case: str | None = None, doc_id: str | None = None, reason: str = ""
    ) -> RedactionInfo:
        """Black out every occurrence of `term` (case, accents, ligatures, line breaks ignored)."""
        term = " ".join(term.split())
        if len(fold_key(term)) < MIN_TERM_KEY:
            raise UsageError(_("a term must hold at least two letters or digits"))
        with self.ws.vault.session() as session:
            case_id, document_id = self._scope(session, case, doc_id)
            row = Redaction(case_id=case_id, document_id=document_id, kind="term")
            row.term = term
            row.reason = reason
            return self._store(session, row)

    def add_pattern(
        self, pattern: str, *, case: str | None = None, doc_id: str | None = None, reason: str = ""
    ) -> RedactionInfo:
        if pattern not in PATTERN_KINDS:
            raise UsageError(
                _("unknown pattern {pattern}; choose {PATTERN_KINDS}").format(
                    pattern=repr(pattern), PATTERN_KINDS=", ".join(PATTERN_KINDS)
                )
            )
        with self.ws.vault.session() as session:
            case_id, document_id = self._scope(session, case, doc_id)
            row = Redaction(case_id=case_id, document_id=document_id, kind="pattern")
            row.pattern = pattern
            row.reason = reason
            return self._store(session, row)

    def add_person(
        self, person_id: str, *, doc_id: str | None = None, reason: str = ""
    ) -> RedactionInfo:
        """Black out a person's names and aliases (any protection level)."""
        with self.ws.vault.session() as session:
            hold_writes(session)  # a person merged into another, even meanwhile, is the one kept
            person = session.get(Person, person_id)
            if person is None:
                raise NotFoundError(_("no person with id {person_id}").format(person_id=person_id))
            person = self.ws.people.find(session, person.case_id, person.id)
            case_id, document_id = person.case_id, None
            if doc_id is not None:
                if self._document(session, doc_id).case_id != case_id:
                    raise UsageError(
                        _("document {doc_id} is not in the person's case").format(doc_id=doc_id)
                    )
                document_id = doc_id
            row = Redaction(case_id=case_id, document_id=document_id, kind="person")
            row.person_id = person.id
            row.reason = reason
            return self._store(session, row)

    # -- listing and removing ------------------------------------------------------------------

    def of_case(self, case: str, *, doc_id: str | None = None) -> list[RedactionInfo]:
        case_id = self.ws.cases.resolve(case)
        with self.ws.vault.session() as session:
            query = select(Redaction).where(Redaction.case_id == case_id)
            rows = [_info(r) for r in session.scalars(query)]
        if doc_id is not None:
            rows = [r for r in rows if r.document_id in (None, doc_id)]
        return sorted(rows, key=lambda r: (r.document_id or "", r.kind, r.created_at))

    def shown(
        self, case: str, *, doc_id: str | None = None, reveal: bool = False
    ) -> list[RedactionInfo]:
        """`of_case` as a list on screen shows it: a term or a reason naming a protected person
        (the surname added as a term) shows the pseudonym unless `reveal` (audited)."""
        case_id = self.ws.cases.resolve(case)
        mask = self.ws.screen.mask(case_id, reveal=reveal, where="redaction marks")
        return [
            dataclasses.replace(m, term=mask.text(m.term), reason=mask.text(m.reason))
            for m in self.of_case(case_id, doc_id=doc_id)
        ]

    def set_reason(self, redaction_id: str, reason: str) -> RedactionInfo:
        """Say why a mark is there (asked when a box is drawn): sealed in the vault, shown in
        the export's preview and in the audit trail, never exported."""
        with self.ws.vault.session() as session:
            hold_writes(session)  # changed or removed as last committed
            row = session.get(Redaction, redaction_id)
            if row is None:
                raise NotFoundError(
                    _("no redaction mark with id {redaction_id}").format(redaction_id=redaction_id)
                )
            row.reason = " ".join(reason.split())
            self.ws.audit.append(
                session,
                "redaction.reason",
                row.case_id,
                redaction_id=row.id,
                kind=row.kind,
                reason=row.reason,
            )
            session.commit()
            return _info(row)

    def remove(self, redaction_id: str) -> None:
        with self.ws.vault.session() as session:
            hold_writes(session)  # changed or removed as last committed
            row = session.get(Redaction, redaction_id)
            if row is None:
                raise NotFoundError(
                    _("no redaction mark with id {redaction_id}").format(redaction_id=redaction_id)
                )
            case_id, kind = row.case_id, row.kind
            session.delete(row)
            self.ws.audit.append(
                session, "redaction.remove", case_id, redaction_id=redaction_id, kind=kind
            )
            session.commit()

    # -- what an export applies ----------------------------------------------------------------

    def protected_names(self, case_id: str) -> list[ProtectedName]:
        """Names and aliases of every anonymous or protected person of the case."""
        return [
            ProtectedName(person.person_id, name, person.pseudonym)
            for person in self.protected_people(case_id)
            for name in person.names
        ]

    def protected_people(self, case_id: str) -> list[ProtectedPerson]:
        """Every anonymous or protected person of the case (merged records under the kept
        person's pseudonym), with their names, aliases and contact details."""
        found: list[ProtectedPerson] = []
        with self.ws.vault.session() as session:
            for person in session.scalars(select(Person).where(Person.case_id == case_id)):
                kept = _follow_merges(session, person)
                if not is_masked(kept):
                    continue
                names = tuple(n for n in [person.name, *person.aliases] if fold_key(n))
                record = [*names, person.organisation, person.notes]
                pseudonym = kept.pseudonym or "Source"
                found.append(ProtectedPerson(kept.id, names, pseudonym, contacts_in(record)))
        return found

    def marked_people(self, case_id: str) -> list[tuple[str, str | None, list[str]]]:
        """(mark id, document id or None, name and aliases) of every person mark of the case."""
        found: list[tuple[str, str | None, list[str]]] = []
        with self.ws.vault.session() as session:
            query = select(Redaction).where(Redaction.case_id == case_id)
            for row in session.scalars(query):
                if row.kind == "person" and row.person_id:
                    person = session.get(Person, row.person_id)
                    if person is not None:
                        found.append((row.id, row.document_id, [person.name, *person.aliases]))
        return found

    def rules(self, case_id: str, doc_id: str, written: AddressBook[str] | None = None) -> Rules:
        """Everything to hide in document `doc_id`: its marks, the case's rules, and the
        names of protected people (each distinctive part of them too) and their contacts: those
        of their records, and the addresses `written` beside their names in the case's pages
        (an export reads them all; by default, those of the document's own pages)."""
        terms: list[TermRule] = []
        patterns: list[PatternRule] = []
        rects: list[RectRule] = []
        with self.ws.vault.session() as session:
            rows = session.scalars(select(Redaction).where(Redaction.case_id == case_id))
            for row in rows:
                if row.document_id not in (None, doc_id):
                    continue
                if row.kind == "rect" and row.page_index is not None:
                    boxes = tuple((r[0], r[1], r[2], r[3]) for r in row.rects if len(r) == 4)
                    rects.append(RectRule(row.id, row.page_index, boxes))
                elif row.kind == "term" and row.term:
                    terms.append(TermRule(row.id, "term", row.term))
                elif row.kind == "pattern" and row.pattern in PATTERN_KINDS:
                    patterns.append(PatternRule(row.id, row.pattern))
                elif row.kind == "person" and row.person_id:
                    person = session.get(Person, row.person_id)
                    if person is not None:
                        terms += person_rules(row.id, [person.name, *person.aliases])
        people = self.protected_people(case_id)
        if written is None and people:
            written = address_book(people)
            for page in self.ws.documents.pages(doc_id, with_words=False):
                written.read(page.text)
        for protected in people:
            mark = f"person:{protected.person_id}"
            contacts = protected.contacts + (written.of(protected.person_id) if written else ())
            terms += person_rules(mark, protected.names)
            terms += [TermRule(mark, "person", contact) for contact in dict.fromkeys(contacts)]
        return Rules(terms=tuple(terms), patterns=tuple(patterns), rects=tuple(rects))

    def boxes(self, case_id: str) -> dict[tuple[str, int], list[Rect]]:
        """Every rectangle mark of the case, by (document id, page index)."""
        found: dict[tuple[str, int], list[Rect]] = {}
        with self.ws.vault.session() as session:
            query = select(Redaction).where(Redaction.case_id == case_id, Redaction.kind == "rect")
            for row in session.scalars(query):
                if row.document_id is None or row.page_index is None:
                    continue
                rects = [(r[0], r[1], r[2], r[3]) for r in row.rects if len(r) == 4]
                found.setdefault((row.document_id, row.page_index), []).extend(rects)
        return found


def _follow_merges(session: Session, person: Person) -> Person:
    seen = {person.id}
    while person.merged_into_id and person.merged_into_id not in seen:
        target = session.get(Person, person.merged_into_id)
        if target is None:
            break
        seen.add(target.id)
        person = target
    return person
