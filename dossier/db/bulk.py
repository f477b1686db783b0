"""New sealed rows written with one INSERT per table, without the ORM's unit of work.

A batch import adds thousands of documents and pages in one transaction: flushing them as ORM
objects cost more than sealing them (per object: its state, its cascade, its dependency sort,
its identity), a fifth of importing a folder of short notes. Here each row is sealed as a
flush would seal it (`Sealed.seal_with`), then its table's rows go in one executemany of the
driver, their values converted as SQLAlchemy converts them. Nothing about the rows'
authentication changes: the catalog's triggers record every inserted row and the commit MACs
them as stored (`dossier.db.rowauth`), as for any other statement.

Each row goes in with the MAC of the row SQLite will store for it (`foretold_row`), noted as
made ahead (`made_ahead`): the commit still reads every row back, and takes that MAC only for
a row stored with those very types and values, which then needs no second write (an UPDATE
rewrote each row whole, page text and all: a third of an import's commit). A row stored
otherwise, or changed since, is signed anew as stored.

The objects stay out of the session (transient), holding their values in memory for whoever
made them: they are not refreshed from the catalog and must not be changed afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from dossier.db.inventory import MadeAhead
from dossier.db.rowauth import SPECS, ZERO_MAC, TableSpec, affinity, foretold_row
from dossier.db.sealed import KeyProvider, Sealed, pad_together

_MAC_COLUMN = "row_mac"
MADE_AHEAD = "macs made ahead"
"""Where a session keeps the MACs made before its commit (`made_ahead`)."""


def made_ahead(session: Session) -> dict[tuple[str, str], MadeAhead]:
    """The MACs of rows the session's transaction wrote, made before its commit, by (table,
    row id): the commit takes each whose row, key and stored values are still those, rather
    than MAC the row again (and write it a second time)."""
    made: dict[tuple[str, str], MadeAhead] = session.info.setdefault(MADE_AHEAD, {})
    return made


def insert_new(session: Session, rows: Sequence[Sealed]) -> None:
    """Seal `rows` (new objects in no session) and insert them, a table's rows together, in
    the order of their tables' first rows (a parent table before the rows that refer to it)."""
    _write(session, rows, replace=False)


def write_over(session: Session, rows: Sequence[Sealed]) -> None:
    """`insert_new` for rows that may be in the catalog already, under the same primary key
    (the audit trail's head): each inserted, or its stored row updated in place, in one
    statement and with its MAC. The catalog's triggers record an update as an update, so the
    commit checks the row it replaced as it checks any row changed (`seal_changes`). None may
    be in the session: its object there would hold the values replaced."""
    _write(session, rows, replace=True)


def _write(session: Session, rows: Sequence[Sealed], *, replace: bool) -> None:
    keys: KeyProvider = session.info["keys"]
    row_key: Callable[[str], bytes] | None = getattr(keys, "row_key", None)
    pad_together(rows, keys)
    connection = session.connection()
    made = made_ahead(session)
    by_table: dict[Any, tuple[_Plan, list[tuple[Any, ...]]]] = {}
    # Made once for the rows written together, not once a row: the creation time a flush
    # would give each (the same instant for rows of one statement), and each scope's key
    # (looked up through the vault's checks for every row of a case).
    defaults: dict[Any, tuple[Any, Any]] = {}
    key_for = _once_each(row_key) if row_key is not None else None
    for row in rows:
        row.seal_with(keys)
        table = type(row).__table__  # type: ignore[attr-defined]
        entry = by_table.get(table)
        if entry is None:
            entry = by_table[table] = (_plan(table, connection.dialect, replace), [])
        plan, values = entry
        given = plan.values(row, defaults)
        foretold = plan.foretold(given, key_for) if key_for is not None else None
        if foretold is None:
            values.append((*given, ZERO_MAC))
        else:
            made[(foretold[0].spec.name, foretold[0].row_id)] = foretold
            values.append((*given, foretold[2]))
    for plan, values in by_table.values():
        connection.exec_driver_sql(plan.sql, values)
    record_changes(session, rows)


@dataclass(frozen=True)
class _Plan:
    """How one table's new rows are given to the driver, and which of their values the row
    MAC covers."""

    sql: str
    columns: tuple[Any, ...]
    processors: tuple[Callable[[Any], Any] | None, ...]
    spec: TableSpec | None
    covered: tuple[int, ...]
    affinities: tuple[str, ...]

    def values(self, row: Sealed, defaults: dict[Any, tuple[Any, Any]]) -> tuple[Any, ...]:
        """The row's values (its MAC aside) as the driver is given them. `defaults`: the
        default of each column made for the rows written with this one, (value, as given)."""
        given = []
        state = row.__dict__
        for column, process in zip(self.columns, self.processors, strict=True):
            value = state.get(column.key)
            if value is None and column.default is not None:
                # What a flush would have set (a creation time): kept on the object too.
                made = defaults.get(column)
                if made is None:
                    default = column.default
                    value = default.arg if default.is_scalar else default.arg(None)
                    made = defaults[column] = (value, value if process is None else process(value))
                setattr(row, column.key, made[0])
                given.append(made[1])
                continue
            given.append(value if process is None or value is None else process(value))
        return tuple(given)

    def foretold(self, given: tuple[Any, ...], row_key: Callable[[str], bytes]) -> MadeAhead | None:
        if self.spec is None:
            return None
        covered = [given[i] for i in self.covered]
        return foretold_row(self.spec, covered, self.affinities, row_key)


def _once_each(key_for: Callable[[str], bytes]) -> Callable[[str], bytes]:
    """`key_for`, asked once for each scope."""
    keys: dict[str, bytes] = {}

    def cached(scope: str) -> bytes:
        key = keys.get(scope)
        if key is None:
            key = keys[scope] = key_for(scope)
        return key

    return cached


_plans: dict[tuple[Any, str, bool], _Plan] = {}


def _plan(table: Any, dialect: Any, replace: bool) -> _Plan:
    plan = _plans.get((table, dialect.name, replace))
    if plan is None:
        columns = tuple(c for c in table.columns if c.key != _MAC_COLUMN)
        processors = tuple(c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns)
        names = ", ".join(f'"{c.name}"' for c in (*columns, table.c[_MAC_COLUMN]))
        marks = ", ".join("?" * (len(columns) + 1))
        spec = SPECS.get(table.name)
        position = {c.name: i for i, c in enumerate(columns)}
        covered = tuple(position[name] for name in spec.columns) if spec is not None else ()
        kinds = tuple(affinity(columns[i].type.compile(dialect=dialect)) for i in covered)
        sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'
        if replace:
            keys = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
            others = [c for c in (*columns, table.c[_MAC_COLUMN]) if not c.primary_key]
            sets = ", ".join(f'"{c.name}" = excluded."{c.name}"' for c in others)
            sql += f" ON CONFLICT ({keys}) DO UPDATE SET {sets}"
        plan = _plans[(table, dialect.name, replace)] = _Plan(
            sql,
            columns,
            processors,
            spec,
            covered,
            kinds,
        )
    return plan


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
