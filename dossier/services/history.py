"""Undo for the front ends: what an item was, taken before a change, and putting it back.

`snapshot(kind, id)` copies an item's stored values (its row, and the rows that belong to it: a
letter's questions, the replies tied to it) in memory; `restore(snapshot)` writes them back
through the catalog, so an undone edit or delete is stored, sealed, authenticated and audited
like any other change. A deleted item comes back with the same id and the same content, so what
pointed at it (a reply's answers at a question) points at it again.

The snapshot holds the item's real values, never what the screen showed (a protected name
masked as its pseudonym): undoing never writes a pseudonym over a real name. It lives in the
front end's memory only and is dropped with the undo history when the vault locks.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dossier.db.engine import hold_writes
from dossier.db.models import (
    Case,
    Document,
    Event,
    Letter,
    Note,
    Person,
    Question,
    Quote,
    Redaction,
    Reply,
)
from dossier.db.sealed import Sealed, SealedField
from dossier.errors import NotFoundError, UsageError
from dossier.i18n import _
from dossier.services.dto import RowImage, Snapshot

if TYPE_CHECKING:
    from dossier.services.workspace import Workspace

MODELS: dict[str, type[Sealed]] = {
    "case": Case,
    "document": Document,
    "person": Person,
    "quote": Quote,
    "letter": Letter,
    "redaction": Redaction,
    "event": Event,
    "note": Note,
}
"""The kinds of item whose edits can be undone."""
DELETABLE = frozenset({"quote", "letter", "redaction", "event", "note"})
"""Kinds whose deletion can be undone: their rows hold all they are (a document's pages and
original, a case's key, are destroyed with them and cannot come back)."""
SKIPPED_COLUMNS = frozenset({"sealed", "row_mac", "updated_at", "sealed_words"})
"""Stored forms (re-made at flush) and the time of the last change (the restore's own)."""


_ROWS: list[type[Sealed]] = [*MODELS.values(), Question]
_TABLES: dict[str, type[Sealed]] = {str(getattr(m, "__tablename__", "")): m for m in _ROWS}


def _image(row: Sealed) -> RowImage:
    mapper = inspect(type(row), raiseerr=True)
    columns = {
        attr.key: getattr(row, attr.key)
        for attr in mapper.column_attrs
        if attr.key not in SKIPPED_COLUMNS
    }
    fields = {
        name: copy.deepcopy(getattr(row, name))
        for name, value in vars(type(row)).items()
        if isinstance(value, SealedField)
    }
    return RowImage(row.__tablename__, str(columns["id"]), columns, fields)  # type: ignore[attr-defined]


def _case_of(row: Sealed) -> str:
    return str(getattr(row, "case_id", None) or getattr(row, "id", ""))


class HistoryService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def snapshot(self, kind: str, item_id: str) -> Snapshot:
        """The item as it is now, to be put back by `restore`."""
        model = MODELS.get(kind)
        if model is None:
            raise UsageError(_("changes to a {kind} cannot be undone").format(kind=kind))
        with self.ws.vault.session() as session:
            row = session.get(model, item_id)
            if row is None:
                raise NotFoundError(
                    _("no {kind} with id {item_id}").format(kind=kind, item_id=item_id)
                )
            children: tuple[RowImage, ...] = ()
            links: tuple[str, ...] = ()
            if isinstance(row, Letter):
                children = tuple(_image(q) for q in row.questions)
                replies = select(Reply.id).where(Reply.letter_id == row.id)
                links = tuple(session.scalars(replies))
            return Snapshot(kind, item_id, _case_of(row), (_image(row),), children, links)

    def restore(self, snapshot: Snapshot) -> None:
        """Put the item back as it was in `snapshot` (edited since, or deleted)."""
        with self.ws.vault.session() as session:
            hold_writes(session)  # whether it exists is whether it exists when it is written
            exists = session.get(MODELS[snapshot.kind], snapshot.item_id) is not None
            if not exists and snapshot.kind not in DELETABLE:
                raise NotFoundError(
                    _("the {kind} was deleted; it cannot be restored").format(kind=snapshot.kind)
                )
            try:
                self._write(session, snapshot)
                self.ws.audit.append(
                    session,
                    f"{snapshot.kind}.restore",
                    snapshot.case_id,
                    item_id=snapshot.item_id,
                    deleted=not exists,
                )
                session.commit()
            except IntegrityError:
                session.rollback()
                raise UsageError(
                    _("the {kind} cannot be put back: something it refers to was deleted").format(
                        kind=snapshot.kind
                    )
                ) from None
        if snapshot.kind == "document":
            self.ws.index.document_changed(snapshot.case_id, snapshot.item_id)

    def _write(self, session: Session, snapshot: Snapshot) -> None:
        for image in snapshot.rows:
            self._put(session, image)
        if snapshot.kind == "letter":
            self._restore_questions(session, snapshot)
            for reply in session.scalars(select(Reply).where(Reply.id.in_(snapshot.links))):
                reply.letter_id = snapshot.item_id
        session.flush()

    def _restore_questions(self, session: Session, snapshot: Snapshot) -> None:
        kept = {image.row_id for image in snapshot.children}
        for question in session.scalars(
            select(Question).where(Question.letter_id == snapshot.item_id)
        ):
            if question.id not in kept:
                session.delete(question)
        session.flush()
        for image in snapshot.children:
            self._put(session, image)

    def _put(self, session: Session, image: RowImage) -> None:
        model = _TABLES[image.table]
        row = session.get(model, image.row_id)
        if row is None:
            row = model(**image.columns)
            session.add(row)
        else:
            for name, value in image.columns.items():
                if getattr(row, name) != value:
                    setattr(row, name, value)
        for name, value in image.fields.items():
            setattr(row, name, copy.deepcopy(value))
