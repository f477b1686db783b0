"""People of a case: roles, aliases, protection levels, pseudonyms, merging duplicates.

Source protection rule: a person whose protection is `anonymous` or `protected` always has a
pseudonym, and every name this module hands out (`display_name`, `PersonInfo.name`, listings,
search items, export names) is that pseudonym unless the caller explicitly asks to reveal,
which is written to the audit trail. Their aliases, organisation and notes are withheld with
the name, since any of them can identify a source.

People are referred to by id, name, alias or pseudonym, matched without regard to case or
accents ("francois piquemal" finds "François Piquemal"), and failing that by some of the words
of the name ("piquemal"); an ambiguous reference is refused with the candidates listed rather
than guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from dossier.db.engine import hold_writes
from dossier.db.models import Person
from dossier.errors import NotFoundError, UsageError
from dossier.i18n import N_, _
from dossier.services.dto import KEEP, SearchableItem
from dossier.services.people.dto import MergeOutcome, PersonEdit, PersonInfo, ScreenMask
from dossier.services.people.links import move_person_links
from dossier.services.people.screen import screen_mask
from dossier.text.fold import fold_key

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace

ROLES = ("official", "elected", "source", "journalist", "lawyer", "organisation", "other")
PROTECTIONS = ("on_record", "background", "anonymous", "protected")
"""Ordered from least to most protective: a merge keeps the stricter of two levels."""
MASKED = frozenset({"anonymous", "protected"})
PSEUDONYM_PREFIX = "Source"


class Named(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def protection(self) -> str: ...
    @property
    def pseudonym(self) -> str: ...


def fold(text: str) -> str:
    """Comparison key of a name: its words folded as everywhere else (`dossier.text.fold`:
    accents, case, ligatures, "œ", punctuation inside a word), one space between them."""
    return " ".join(key for key in map(fold_key, text.split()) if key)


def is_masked(person: Named) -> bool:
    return person.protection in MASKED


def display_name(person: Named, reveal: bool = False) -> str:
    """The name to show: the pseudonym of a masked person unless `reveal` is set."""
    if is_masked(person) and not reveal:
        return person.pseudonym or PSEUDONYM_PREFIX
    return person.name


def person_info(person: Person, reveal: bool = False) -> PersonInfo:
    hide = is_masked(person) and not reveal
    return PersonInfo(
        id=person.id,
        case_id=person.case_id,
        name=display_name(person, reveal),
        role=person.role,
        protection=person.protection,
        pseudonym=person.pseudonym,
        masked=hide,
        aliases=[] if hide else list(person.aliases),
        organisation="" if hide else person.organisation,
        notes="" if hide else person.notes,
        merged_into_id=person.merged_into_id,
    )


def _shown(info: PersonInfo, mask: ScreenMask) -> PersonInfo:
    """`info` with protected names masked in the fields shown beside the name."""
    if info.masked or not mask.hides:
        return info
    return replace(
        info,
        aliases=mask.texts(info.aliases),
        organisation=mask.text(info.organisation),
        notes=mask.text(info.notes),
    )


def _check_choice(value: str, choices: tuple[str, ...], what: str) -> str:
    if value not in choices:
        raise UsageError(
            _("unknown {what} {value}; choose one of {choices}").format(
                what=_(what), value=repr(value), choices=", ".join(choices)
            )
        )
    return value


def _clean_aliases(aliases: Iterable[str], name: str) -> list[str]:
    seen = {fold(name)}
    kept: list[str] = []
    for alias in aliases:
        alias = alias.strip()
        if alias and fold(alias) not in seen:
            seen.add(fold(alias))
            kept.append(alias)
    return kept


def _spreadsheet_letters(number: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: pseudonyms never run out."""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class PeopleService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # -- lookup -------------------------------------------------------------------------------

    def active(self, session: Session, case_id: str) -> list[Person]:
        """People of the case that were not merged into someone else."""
        query = select(Person).where(Person.case_id == case_id, Person.merged_into_id.is_(None))
        return list(session.scalars(query))

    def find(self, session: Session, case_id: str, ref: str) -> Person:
        """The person `ref` (id, name, alias or pseudonym) names in the case."""
        ref = ref.strip()
        if not ref:
            raise UsageError(_("a person reference cannot be empty"))
        person = session.get(Person, ref)
        if person is not None and person.case_id == case_id:
            return self._follow_merges(session, person)
        key = fold(ref)
        everyone = self.active(session, case_id)
        matches = [p for p in everyone if fold(p.name) == key or fold(p.pseudonym) == key]
        if not matches:
            matches = [p for p in everyone if key in (fold(a) for a in p.aliases)]
        if not matches:
            # Last resort: every word typed appears in the name ("clouet", "leonard").
            words = set(key.split())
            matches = [p for p in everyone if words <= set(fold(p.name).split())]
        if not matches:
            raise NotFoundError(
                _("no person {ref} in this case; add them first with 'dossier person add'").format(
                    ref=repr(ref)
                )
            )
        if len(matches) > 1:
            listed = "; ".join(f"{display_name(p)} ({p.id})" for p in matches)
            raise UsageError(
                _("{ref} could mean several people: {listed}; use an id").format(
                    ref=repr(ref), listed=listed
                )
            )
        return matches[0]

    def _follow_merges(self, session: Session, person: Person) -> Person:
        seen = {person.id}
        while person.merged_into_id is not None:
            target = session.get(Person, person.merged_into_id)
            if target is None or target.id in seen:
                break
            seen.add(target.id)
            person = target
        return person

    def resolve(self, case: str, ref: str) -> str:
        """Id of the person `ref` names in `case` (a case name or id)."""
        case_id = self.ws.cases.resolve(case)
        with self.ws.vault.session() as session:
            return self.find(session, case_id, ref).id

    def display_names(self, case_id: str, reveal: bool = False) -> dict[str, str]:
        """Person id -> display name, merged ids included (mapped to the kept person's name)."""
        with self.ws.vault.session() as session:
            return self.names_in(session, case_id, reveal)

    def names_in(self, session: Session, case_id: str, reveal: bool = False) -> dict[str, str]:
        everyone = list(session.scalars(select(Person).where(Person.case_id == case_id)))
        return {p.id: display_name(self._follow_merges(session, p), reveal) for p in everyone}

    def export_names(self, case_id: str) -> dict[str, str]:
        """Names to use in anything leaving the vault: pseudonyms for masked people, always."""
        return self.display_names(case_id, reveal=False)

    def withheld_terms(self, case_id: str) -> list[str]:
        """Real names and aliases of masked people: an export that contains one must abort."""
        terms: list[str] = []
        with self.ws.vault.session() as session:
            for person in session.scalars(select(Person).where(Person.case_id == case_id)):
                if is_masked(self._follow_merges(session, person)):
                    terms.extend([person.name, *person.aliases])
        return sorted({t for t in terms if t.strip()}, key=str.casefold)

    def audit_reveal(self, case_id: str, where: str) -> None:
        """Record that real names of masked people were shown (`where`: which view)."""
        self.ws.screen.record_reveal(case_id, where)

    # -- listing ------------------------------------------------------------------------------

    def of_case(
        self, case: str, *, reveal: bool = False, include_merged: bool = False
    ) -> list[PersonInfo]:
        """The people of a case as shown: masked people under their pseudonym, and any part
        of their names in someone else's aliases, organisation or notes masked too."""
        case_id = self.ws.cases.resolve(case)
        with self.ws.vault.session() as session:
            mask = screen_mask(session, case_id, reveal)
            query = select(Person).where(Person.case_id == case_id)
            if not include_merged:
                query = query.where(Person.merged_into_id.is_(None))
            infos = [_shown(person_info(p, reveal), mask) for p in session.scalars(query)]
        self.ws.screen.record(mask, "people")
        return sorted(infos, key=lambda p: fold(p.name))

    def get(self, case: str, ref: str, *, reveal: bool = False) -> PersonInfo:
        case_id = self.ws.cases.resolve(case)
        with self.ws.vault.session() as session:
            mask = screen_mask(session, case_id, reveal)
            person = self.find(session, case_id, ref)
            info = _shown(person_info(person, reveal), mask)
        if reveal and is_masked(person):
            self.ws.screen.record(mask, "person")
        return info

    # -- changes ------------------------------------------------------------------------------

    def _next_pseudonym(self, session: Session, case_id: str) -> str:
        query = select(Person).where(Person.case_id == case_id)
        taken = {fold(p.pseudonym) for p in session.scalars(query) if p.pseudonym}
        number = 0
        while fold(f"{PSEUDONYM_PREFIX} {_spreadsheet_letters(number)}") in taken:
            number += 1
        return f"{PSEUDONYM_PREFIX} {_spreadsheet_letters(number)}"

    def _check_pseudonym(self, session: Session, person: Person, pseudonym: str) -> str:
        pseudonym = pseudonym.strip()
        key = fold(pseudonym)
        if not key:
            return ""
        own = {fold(person.name), *(fold(a) for a in person.aliases)}
        if key in own:
            raise UsageError(_("a pseudonym must differ from the person's real name and aliases"))
        for other in self.active(session, person.case_id):
            if other.id == person.id:
                continue
            if key == fold(other.pseudonym) or key == fold(other.name):
                raise UsageError(
                    _("the pseudonym {pseudonym} is already used in this case").format(
                        pseudonym=repr(pseudonym)
                    )
                )
        return pseudonym

    def _apply_protection(self, session: Session, person: Person) -> None:
        """Masked people always get a pseudonym (generated when none was given)."""
        if is_masked(person) and not person.pseudonym:
            person.pseudonym = self._next_pseudonym(session, person.case_id)

    def add(
        self,
        case: str,
        name: str,
        *,
        aliases: Iterable[str] = (),
        role: str = "other",
        protection: str = "on_record",
        pseudonym: str = "",
        organisation: str = "",
        notes: str = "",
    ) -> PersonInfo:
        name = " ".join(name.split())
        if not name:
            raise UsageError(_("a person needs a name"))
        _check_choice(role, ROLES, N_("role"))
        _check_choice(protection, PROTECTIONS, N_("protection level"))
        case_id = self.ws.cases.resolve(case)
        with self.ws.vault.session() as session:
            # The names and pseudonyms checked are those committed when this one is.
            hold_writes(session)
            for other in self.active(session, case_id):
                if fold(other.name) == fold(name):
                    raise UsageError(
                        _(
                            "this case already has a person with that name ({id}); give this one "
                            "an alias or edit the existing one"
                        ).format(id=other.id)
                    )
            person = Person(case_id=case_id)
            person.name = name
            person.aliases = _clean_aliases(aliases, name)
            person.role = role
            person.protection = protection
            person.organisation = organisation.strip()
            person.notes = notes
            person.pseudonym = self._check_pseudonym(session, person, pseudonym)
            self._apply_protection(session, person)
            session.add(person)
            session.flush()
            self.ws.audit.append(
                session, "person.add", case_id, person_id=person.id, protection=protection
            )
            session.commit()
            return person_info(person)

    def update(self, case: str, ref: str, edit: PersonEdit) -> PersonInfo:
        """Apply `edit` to a person of the case (see `PersonEdit`); returns them as they now
        are."""
        case_id = self.ws.cases.resolve(case)
        with self.ws.vault.session() as session:
            hold_writes(session)  # no edit committed meanwhile is written over
            person = self.find(session, case_id, ref)
            if edit.name is not KEEP:
                name = " ".join(edit.name.split())
                if not name:
                    raise UsageError(_("a person needs a name"))
                person.name = name
            if edit.aliases is not KEEP:
                if isinstance(edit.aliases, str):
                    raise UsageError(_("aliases must be a list of names"))
                person.aliases = _clean_aliases((str(a) for a in edit.aliases), person.name)
            if edit.role is not KEEP:
                person.role = _check_choice(edit.role, ROLES, "role")
            if edit.protection is not KEEP:
                level = edit.protection
                person.protection = _check_choice(level, PROTECTIONS, N_("protection level"))
            if edit.organisation is not KEEP:
                person.organisation = edit.organisation.strip()
            if edit.notes is not KEEP:
                person.notes = edit.notes
            if edit.pseudonym is not KEEP:
                person.pseudonym = self._check_pseudonym(session, person, edit.pseudonym)
            self._apply_protection(session, person)
            self.ws.audit.append(
                session, "person.edit", case_id, person_id=person.id, fields=sorted(edit.changed())
            )
            session.commit()
            return person_info(person)

    def merge(self, case: str, keep_ref: str, drop_ref: str) -> MergeOutcome:
        """Fold `drop` into `keep`: every reference moves, names become aliases, the stricter
        protection wins (a merge never exposes someone who was protected)."""
        case_id = self.ws.cases.resolve(case)
        with self.ws.vault.session() as session:
            hold_writes(session)
            keep = self.find(session, case_id, keep_ref)
            drop = self.find(session, case_id, drop_ref)
            if keep.id == drop.id:
                raise UsageError(_("both references name the same person; nothing to merge"))
            keep.aliases = _clean_aliases([*keep.aliases, drop.name, *drop.aliases], keep.name)
            strictest = max(PROTECTIONS.index(keep.protection), PROTECTIONS.index(drop.protection))
            keep.protection = PROTECTIONS[strictest]
            if keep.role == "other":
                keep.role = drop.role
            keep.organisation = keep.organisation or drop.organisation
            if drop.notes:
                keep.notes = f"{keep.notes}\n{drop.notes}".strip()
            if not keep.pseudonym and drop.pseudonym:
                keep.pseudonym = drop.pseudonym
            self._apply_protection(session, keep)
            links, changed_docs = move_person_links(session, case_id, drop.id, keep.id)
            drop.merged_into_id = keep.id
            self.ws.audit.append(
                session, "person.merge", case_id, kept=keep.id, dropped=drop.id, links=links
            )
            session.commit()
            outcome = MergeOutcome(person_info(keep), drop.id, links)
        for doc_id in changed_docs:
            self.ws.index.document_changed(case_id, doc_id)
        return outcome

    # -- search -------------------------------------------------------------------------------

    def searchable_items(self, session: Session, case_id: str) -> Iterator[SearchableItem]:
        """One item per active person; masked people only under their pseudonym and role."""
        for person in self.active(session, case_id):
            if is_masked(person):
                text = f"{person.pseudonym} {person.role}"
            else:
                parts = [person.name, *person.aliases, person.role, person.organisation]
                text = "\n".join([" ".join(p for p in parts if p), person.notes]).strip()
            yield SearchableItem(
                item_type="person",
                item_id=person.id,
                case_id=case_id,
                title=display_name(person),
                text=text,
                people=[person.id],
            )
