"""Notes on a passage of a document (the annotations of Hypothesis, offline and sealed).

A note is anchored where it was written: document, page and the characters of the passage,
with the passage itself as it read then. Everything about it, the document it is on included,
is sealed in its row. Notes are listed with their document; a protected person named in a note
or its passage is shown under the pseudonym unless names are revealed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from sqlalchemy import select

from dossier.db.engine import hold_writes
from dossier.db.models import Document, Note, Page
from dossier.errors import NotFoundError, UsageError
from dossier.i18n import _
from dossier.services.dto import NoteInfo
from dossier.services.people.screen import kept_unless_edited, screen_mask
from dossier.text.shorten import shorten

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace

EXCERPT_CHARS = 400
"""Longest passage kept with a note (a long selection keeps its beginning)."""


def _info(note: Note) -> NoteInfo:
    return NoteInfo(
        note.id,
        note.case_id,
        note.document_id,
        note.page_index,
        note.start,
        note.end,
        note.excerpt,
        note.body,
        note.created_at,
    )


class NoteService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def add_on_span(
        self, doc_id: str, page_index: int, start: int, end: int, body: str
    ) -> NoteInfo:
        """A note on characters [start, end) of page `page_index` of `doc_id`."""
        body = body.strip()
        if not body:
            raise UsageError(_("a note needs some text"))
        with self.ws.vault.session() as session:
            hold_writes(session)  # the document noted is one that exists when the note is written
            doc = session.get(Document, doc_id)
            if doc is None:
                raise NotFoundError(_("no document with id {doc_id}").format(doc_id=doc_id))
            page = session.scalar(
                select(Page).where(Page.document_id == doc_id, Page.page_index == page_index)
            )
            if page is None or not 0 <= start < end <= len(page.text):
                raise UsageError(_("the passage is not on that page of the document"))
            note = Note(case_id=doc.case_id)
            note.document_id = doc.id
            note.page_index, note.start, note.end = page_index, start, end
            note.excerpt = _excerpt(page.text, start, end)
            note.body = body
            session.add(note)
            session.flush()
            self.ws.audit.append(session, "note.add", doc.case_id, note_id=note.id)
            session.commit()
            return _info(note)

    def of_document(self, doc_id: str, *, reveal: bool = False) -> list[NoteInfo]:
        """The document's notes in reading order, as they may be shown."""
        with self.ws.vault.session() as session:
            doc = session.get(Document, doc_id)
            if doc is None:
                raise NotFoundError(_("no document with id {doc_id}").format(doc_id=doc_id))
            mask = screen_mask(session, doc.case_id, reveal)
            notes = [
                _info(n)
                for n in session.scalars(select(Note).where(Note.case_id == doc.case_id))
                if n.document_id == doc_id
            ]
        self.ws.screen.record(mask, "notes")
        shown = [replace(n, excerpt=mask.text(n.excerpt), body=mask.text(n.body)) for n in notes]
        return sorted(shown, key=lambda n: (n.page_index, n.start, n.created_at))

    def edit(self, note_id: str, body: str) -> NoteInfo:
        with self.ws.vault.session() as session:
            hold_writes(session)  # edited or deleted as last committed
            note = session.get(Note, note_id)
            if note is None:
                raise NotFoundError(_("no note with id {note_id}").format(note_id=note_id))
            # A note shown masked and sent back untouched keeps its real names.
            note.body = kept_unless_edited(screen_mask(session, note.case_id), note.body, body)
            self.ws.audit.append(session, "note.edit", note.case_id, note_id=note.id)
            session.commit()
            return _info(note)

    def delete(self, note_id: str) -> None:
        with self.ws.vault.session() as session:
            hold_writes(session)  # edited or deleted as last committed
            note = session.get(Note, note_id)
            if note is None:
                raise NotFoundError(_("no note with id {note_id}").format(note_id=note_id))
            case_id = note.case_id
            session.delete(note)
            self.ws.audit.append(session, "note.delete", case_id, note_id=note_id)
            session.commit()


def _excerpt(text: str, start: int, end: int) -> str:
    """The passage's whole words, shortened between words: the excerpt is masked when shown,
    and the mask finds a name only whole (a passage starting inside 'Zorglubinski' would
    show 'glubinski')."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return shorten(text[start:end], EXCERPT_CHARS)
