"""What the screen shows of protected people: one decision for every view, CLI and app alike.

Every part of a protected or anonymous person's names and aliases (`redact.names.name_parts`:
the full forms and each distinctive word; a two-letter word where it stands for them,
`redact.shortnames`) is shown as their pseudonym wherever Dossier prints case content: search
snippets and titles, document titles, the timeline, letters, quotes, the people list, and the
document viewer, where the page text has the characters of each part replaced one for one
(offsets, hence quote spans, do not move) and the word boxes of each part are handed out to be
filled opaquely on the rendered page.

Showing real names is a choice: per call (`reveal=True`, the CLI's `--reveal`) or for the rest
of the session (`ScreenService.reveal`, the app's toggle, dropped on lock with the workspace).
Each reveal is written to the audit trail with the people shown and where.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dossier.db.models import Document, Page, Person
from dossier.errors import NotFoundError
from dossier.i18n import _
from dossier.redact.names import name_parts
from dossier.redact.shortnames import ShortPart, short_parts
from dossier.services.pages import page_text
from dossier.services.people.dto import ScreenMask, ScreenPage

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace

MASKED_LEVELS = frozenset({"anonymous", "protected"})
_MASK_TABLES = frozenset({"person", "case"})
"""Tables whose committed changes make a kept mask stale (a case deleted takes its people)."""


def kept_unless_edited(mask: ScreenMask, stored: str, incoming: str) -> str:
    """What to store when a front end sends back a field it was shown masked: the stored value
    if `incoming` is exactly its masked form (the user did not touch it), else `incoming`."""
    if incoming != stored and incoming == mask.text(stored):
        return stored
    return incoming


def _follow(person: Person, by_id: dict[str, Person]) -> Person:
    seen = {person.id}
    while person.merged_into_id is not None and person.merged_into_id in by_id:
        person = by_id[person.merged_into_id]
        if person.id in seen:
            break
        seen.add(person.id)
    return person


def screen_mask(session: Session, case_id: str, reveal: bool = False) -> ScreenMask:
    """The mask of a case, read in the caller's session (writes nothing, audits nothing)."""
    people = list(session.scalars(select(Person).where(Person.case_id == case_id)))
    by_id = {p.id: p for p in people}
    names: dict[str, str] = {}
    hidden: dict[str, list[str]] = {}
    pseudonyms: dict[str, str] = {}
    for person in people:
        kept = _follow(person, by_id)
        masked = kept.protection in MASKED_LEVELS
        pseudonym = kept.pseudonym or "Source"
        names[person.id] = kept.name if reveal or not masked else pseudonym
        if masked:
            # A person merged into a masked one is masked with them, under their pseudonym.
            hidden.setdefault(kept.id, []).extend([person.name, *person.aliases])
            pseudonyms[kept.id] = pseudonym
    parts: list[tuple[str, str]] = []
    shorts: list[tuple[ShortPart, str]] = []
    if not reveal:
        for kept_id, their_names in hidden.items():
            parts += [(part, pseudonyms[kept_id]) for part in name_parts(their_names)]
            shorts += [(short, pseudonyms[kept_id]) for short in short_parts(their_names)]
    return ScreenMask(case_id, reveal, names, tuple(sorted(hidden)), tuple(parts), tuple(shorts))


class ScreenService:
    """The session's reveal choices, and masks built from them, audited."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._revealed: set[str] = set()
        self._recorded: set[tuple[str, str]] = set()
        self._lock = threading.Lock()
        # Masks without a reveal, by case, until its people change: an import masks each
        # file's progress with one, and reading the people and compiling their names for each
        # of a mailbox's thousands of messages cost a third of its import's own work.
        self._masks: dict[str, ScreenMask] = {}
        self._masks_generation = 0
        self._masks_lock = threading.Lock()
        ws.vault.add_commit_listener(self._on_commit)

    def _on_commit(self, changes: set[tuple[str, str | None, str]]) -> None:
        if any(table in _MASK_TABLES for table, _case_id, _row in changes):
            self.forget_masks()

    def forget_masks(self) -> None:
        """Drop the masks kept (people changed; the vault locks: they hold real names)."""
        with self._masks_lock:
            self._masks.clear()
            self._masks_generation += 1

    # -- the session choice -------------------------------------------------------------------

    def revealed(self, case_id: str) -> bool:
        """Whether real names were revealed for `case_id` for the rest of this session."""
        return case_id in self._revealed

    def reveal(self, case_id: str, where: str = "app") -> ScreenMask:
        """Show real names of `case_id` in every view until `hide` or the lock (audited)."""
        self._revealed.add(case_id)
        self._recorded = {r for r in self._recorded if r[0] != case_id}
        return self.mask(case_id, reveal=True, where=f"{where}: every view until lock")

    def hide(self, case_id: str) -> None:
        self._revealed.discard(case_id)

    def revealed_cases(self) -> frozenset[str]:
        return frozenset(self._revealed)

    # -- masks --------------------------------------------------------------------------------

    def mask_in(self, session: Session, case_id: str, reveal: bool = False) -> ScreenMask:
        return screen_mask(session, case_id, reveal)

    def mask(self, case_id: str, *, reveal: bool = False, where: str = "") -> ScreenMask:
        """The mask of `case_id`; a reveal is recorded with `where` it was shown."""
        if not reveal:
            return self._kept_mask(case_id)
        with self.ws.vault.session() as session:
            mask = screen_mask(session, case_id, reveal)
        self.record(mask, where)
        return mask

    def _kept_mask(self, case_id: str) -> ScreenMask:
        with self._masks_lock:
            kept = self._masks.get(case_id)
            generation = self._masks_generation
        if kept is not None:
            return kept
        with self.ws.vault.session() as session:
            mask = screen_mask(session, case_id)
        with self._masks_lock:
            # Kept only if no change to people committed since it was read: one committed
            # meanwhile may or may not be in it.
            if generation == self._masks_generation:
                self._masks[case_id] = mask
        return mask

    def record(self, mask: ScreenMask, where: str) -> None:
        """Audit that `mask.masked_ids`' real names were shown in `where`. Under a session
        reveal each view is recorded once; a one-off reveal (the CLI) every time."""
        if not mask.revealed or not mask.masked_ids:
            return
        key = (mask.case_id, where)
        # Views load on worker threads: two reveals written at once would take the same audit
        # sequence number, and two views of one kind, checked at once, were both recorded.
        # One at a time here, and once more if another writer took the number first.
        with self._lock:
            if key in self._recorded:
                return
            if mask.case_id in self._revealed:
                self._recorded.add(key)
            for attempt in range(3):
                try:
                    with self.ws.vault.session() as session:
                        self.ws.audit.append(
                            session,
                            "person.reveal",
                            mask.case_id,
                            person_ids=list(mask.masked_ids),
                            where=where or "unspecified",
                        )
                        session.commit()
                    return
                except IntegrityError:
                    if attempt == 2:
                        raise

    def record_reveal(self, case_id: str, where: str) -> None:
        """`record` for a service that built its views with `reveal=True` in its own session."""
        self.mask(case_id, reveal=True, where=where)

    # -- documents ----------------------------------------------------------------------------

    def pages(
        self,
        doc_id: str,
        *,
        reveal: bool | None = False,
        where: str = "viewer",
        keep_offsets: bool = True,
    ) -> list[ScreenPage]:
        """A document's pages as they may be shown (masked unless `reveal`, audited; None:
        as this session chose for the document's case).

        `keep_offsets`: each masked character becomes a block, so offsets and the word map
        stay valid (a viewer, whose selections become quotes); otherwise each masked part
        becomes the pseudonym (printed text) and the page carries no word map.
        """
        with self.ws.vault.session() as session:
            doc = session.get(Document, doc_id)
            if doc is None:
                raise NotFoundError(_("no document with id {doc_id}").format(doc_id=doc_id))
            shown = self.revealed(doc.case_id) if reveal is None else reveal
            mask = screen_mask(session, doc.case_id, shown)
            rows = session.scalars(
                select(Page).where(Page.document_id == doc_id).order_by(Page.page_index)
            )
            if keep_offsets:
                pages = [mask.page(page_text(row)) for row in rows]
            else:
                pages = [
                    ScreenPage(dataclasses.replace(p, text=mask.text(p.text)))
                    for p in (page_text(row, with_words=False) for row in rows)
                ]
        self.record(mask, where)
        return pages
