"""New sealed rows written with one INSERT per table, without the ORM's unit of work.

A batch import adds thousands of documents and pages in one transaction: flushing them as ORM
objects cost more than sealing them (per object: its state, its cascade, its dependency sort,
its identity), a fifth of importing a folder of short notes. Here each row is sealed as a
flush would seal it (`Sealed.seal_with`), then its table's rows go in one executemany. Nothing
about the rows' authentication changes: the catalog's triggers record every inserted row and
the commit MACs them as stored (`dossier.db.rowauth`), as for any other statement.

The objects stay out of the session (transient), holding their values in memory for whoever
made them: they are not refreshed from the catalog and must not be changed afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from dossier.db.sealed import KeyProvider, Sealed, pad_together

_MAC_COLUMN = "row_mac"
"""Set by the commit, from the row as stored (its server default until then)."""


def insert_new(session: Session, rows: Sequence[Sealed]) -> None:
    """Seal `rows` (new objects in no session) and insert them, a table's rows together, in
    the order of their tables' first rows (a parent table before the rows that refer to it)."""
    keys: KeyProvider = session.info["keys"]
    pad_together(rows, keys)
    by_table: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        row.seal_with(keys)
        table = type(row).__table__  # type: ignore[attr-defined]
        by_table.setdefault(table, []).append(_values(row, table))
    for table, values in by_table.items():
        session.execute(insert(table), values)
    record_changes(session, rows)


Change = tuple[str, str | None, str]
"""(table, case id, row id) of a row a committed transaction inserted, updated or deleted."""


def record_changes(session: Session, rows: Iterable[object]) -> None:
    """Note `rows` among the changes the session's commit tells its listeners of (rows the
    ORM flushes are noted by the vault as they are flushed, rows inserted here by this)."""
    changes: set[Change] = session.info.setdefault("changes", set())
    for row in rows:
        table = getattr(row, "__tablename__", None)
        if table is not None:
            case_id = getattr(row, "id", None) if table == "case" else getattr(row, "case_id", None)
            changes.add((table, case_id, str(getattr(row, "id", ""))))


def _values(row: Sealed, table: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column in table.columns:
        if column.key == _MAC_COLUMN:
            continue
        value = row.__dict__.get(column.key)
        if value is None and column.default is not None:
            # What a flush would have set (a creation time): kept on the object too.
            value = column.default.arg if column.default.is_scalar else column.default.arg(None)
            setattr(row, column.key, value)
        values[column.key] = value
    return values
