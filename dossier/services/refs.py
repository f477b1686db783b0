"""Finding a row by the reference a user typed: its full id, or a unique prefix of it.

Ids are long; the CLI and the UI let people type the first few characters, as with git
commits. A prefix shorter than `MIN_ID_PREFIX` is never expanded (too easy to hit the wrong
row), and one that fits several rows is refused with their ids rather than guessed.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from dossier.db.base import HasId
from dossier.errors import NotFoundError, UsageError
from dossier.i18n import _

MIN_ID_PREFIX = 4

Row = TypeVar("Row", bound=HasId)


def match_prefix(
    session: Session, model: type[Row], ref: str, what: str, *where: ColumnElement[bool]
) -> Row | None:
    """The one row of `model` (among those meeting `where`) whose id starts with `ref`; None
    when there is none or `ref` is too short; UsageError, naming them, when there are several."""
    key = ref.strip().lower()
    if len(key) < MIN_ID_PREFIX:
        return None
    query = select(model).where(model.id.startswith(key, autoescape=True), *where)
    matches = list(session.scalars(query))
    if len(matches) > 1:
        ids = ", ".join(m.id for m in matches)
        raise UsageError(
            _("{what} {ref} is ambiguous ({ids}); give more of the id").format(
                what=_(what), ref=repr(ref), ids=ids
            )
        )
    return matches[0] if matches else None


def find_by_ref(session: Session, model: type[Row], ref: str, what: str) -> Row:
    """A row by full id or by a unique id prefix of at least four characters."""
    row = session.get(model, ref.strip().lower())
    if row is None:
        row = match_prefix(session, model, ref, what)
    if row is None:
        raise NotFoundError(_("no {what} {ref}").format(what=_(what), ref=repr(ref)))
    return row
