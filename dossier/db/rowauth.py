"""Row MACs: every clear column of every catalog row, authenticated under the row's scope key.

A sealed payload is authenticated by AES-GCM, but the clear columns beside it (foreign keys,
kinds, page numbers, timestamps) are not. Each row therefore carries `row_mac`, an HMAC under
its scope's key (the case's row key, or the master's for vault-level rows) over the table
name and the value *as stored* of every column: the id, every clear column and the sealed
payload. Large sealed side columns (`sealed_*`, e.g. word maps) are left out so a check need
not read them; the payload records their GCM tags instead (`dossier.db.sealed`).

The MAC is computed from what SQLite stored, after the transaction's last flush, never from
Python values: whatever wrote the row (the ORM, a bulk statement, a foreign-key action), the
MAC covers the bytes a later reader gets. Changes are collected by temporary triggers that
only Dossier's own connections carry (`install_triggers`), so an edit made with another tool
leaves a row whose MAC no longer matches. The triggers also keep each changed row as it was, so
the commit refuses to sign again a row that was not authentic before it (changed by another
process while the vault was open), instead of blessing it.
"""

from __future__ import annotations

import hmac
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table

from dossier.db import models
from dossier.db.base import Base
from dossier.db.rowmac import BATCH, DOMAIN, KINDS, Checked, batch_check, data, prefix

MAC_LEN = 32
MODULUS = 1 << 256
"""Inventories sum row MACs modulo this."""
ZERO_MAC = bytes(MAC_LEN)
VAULT_SCOPE = ""
"""Scope of rows under the master key: cases themselves, the audit trail, vault secrets."""
VAULT_TABLES = ("case", "audit_entry", "vault_secret")
CHANGES = "_dossier_changed"

assert models  # the models must be imported so the metadata is complete


@dataclass(frozen=True)
class TableSpec:
    """How to read one authenticated table: its id column, scope column, covered columns."""

    name: str
    id_column: str
    scope_column: str | None
    """`case_id` for case rows; None for vault rows (scope is the vault)."""
    columns: tuple[str, ...]

    @property
    def quoted(self) -> str:
        return f'"{self.name}"'

    def select_sql(self) -> str:
        return f"SELECT {', '.join(self.stored_values())}, row_mac FROM {self.quoted}"

    def plain_select_sql(self) -> str:
        """Each covered column as SQLite returns it, its storage class told by its Python type
        (`KINDS`): a fifth cheaper to read than `select_sql`'s (type, bytes) pairs, but a text
        that is not valid UTF-8 fails to decode."""
        columns = ", ".join(f'"{column}"' for column in self.columns)
        return f"SELECT {columns}, row_mac FROM {self.quoted}"

    def stored_values(self) -> list[str]:
        """SQL for (type, value) of each covered column, as stored."""
        return [part for column in self.columns for part in as_stored_sql(f'"{column}"')]

    def scope_of(self, values: dict[str, Any]) -> str:
        if self.scope_column is None:
            return VAULT_SCOPE
        scope = values.get(self.scope_column)
        return scope.decode("utf-8", "replace") if isinstance(scope, bytes) else str(scope)


def as_stored_sql(ref: str) -> tuple[str, str]:
    """SQL for the (type, value) of a stored value. typeof() keeps the stored type in the MAC;
    text is read as bytes so a value that is not valid UTF-8 is reported as tampering rather
    than raising a decoding error."""
    return (
        f"typeof({ref})",
        f"CASE WHEN typeof({ref}) = 'text' THEN CAST({ref} AS BLOB) ELSE {ref} END",
    )


def _spec(table: Table) -> TableSpec:
    (id_column,) = [c.name for c in table.primary_key.columns]
    columns = tuple(
        c.name for c in table.columns if c.name != "row_mac" and not c.name.startswith("sealed_")
    )
    scope = None if table.name in VAULT_TABLES else "case_id"
    return TableSpec(table.name, id_column, scope, columns)


SPECS: dict[str, TableSpec] = {
    name: _spec(table)
    for name, table in Base.metadata.tables.items()
    if "sealed" in table.columns and "row_mac" in table.columns
}
CASE_TABLES = tuple(spec for spec in SPECS.values() if spec.scope_column is not None)
VAULT_SPECS = tuple(SPECS[name] for name in VAULT_TABLES)


@dataclass(frozen=True)
class StoredRow:
    """One row as stored: covered values (type, value) by column, and its stored MAC."""

    spec: TableSpec
    values: dict[str, Any]
    types: dict[str, str]
    stored_mac: bytes

    @property
    def row_id(self) -> str:
        value = self.values[self.spec.id_column]
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)

    @property
    def scope(self) -> str:
        return self.spec.scope_of(self.values)

    def mac(self, key: bytes) -> bytes:
        columns = self.spec.columns
        return _mac(self.spec, [(self.types[c], self.values[c]) for c in columns], key)

    def describe(self) -> str:
        return f"{self.spec.name} row {self.row_id}"


def _mac(spec: TableSpec, fields: Sequence[tuple[str, Any]], key: bytes) -> bytes:
    """HMAC-SHA256 of the table name and each column's name, stored type and value, in one
    call: a case is checked row by row at its first use, so the per-row cost is what the
    user waits for before a first result (one message and one C-level HMAC, not an update per
    column)."""
    parts = [DOMAIN, spec.name.encode(), b"\x00"]
    for column, (kind, value) in zip(spec.columns, fields, strict=True):
        found = data(value)
        parts += (prefix(column, str(kind)), len(found).to_bytes(8, "big"), found)
    return hmac.digest(key, b"".join(parts), "sha256")


@dataclass
class TableCheck:
    """What checking one table's rows found: how many, the sum of their stored MACs, and the
    rows whose MAC does not match."""

    count: int = 0
    total: int = 0
    altered: list[str] = field(default_factory=list)


CHECK_BATCH = BATCH
"""Rows read at a time when checking a table: a 50,000-page case is never all in memory."""


def check_rows(
    conn: Any,
    spec: TableSpec,
    key: bytes,
    where: str = "",
    params: tuple[Any, ...] = (),
    keep: tuple[str, dict[Any, int]] | None = None,
) -> TableCheck:
    """Check the stored MAC of every row of `spec` (under `where`) without making an object
    per row; altered rows are named as `StoredRow.describe` names them. `keep` (a column, a
    dict) sums the stored MACs (as numbers) of the rows by that column's value as read."""
    # The driver's own cursor: plain tuples, not a SQLAlchemy row object per catalog row.
    raw = conn.connection.driver_connection if hasattr(conn, "exec_driver_sql") else conn
    where = f" WHERE {where}" if where else ""
    keep_column = keep[0] if keep is not None else None
    try:
        parts = _check_all(
            raw.execute(spec.plain_select_sql() + where, params),
            spec,
            key,
            keep_column,
            typed=False,
        )
    except sqlite3.OperationalError:
        # A text that is not UTF-8, which only an edit outside Dossier stores: read again as
        # bytes with its stored type, to name the row altered rather than fail.
        parts = _check_all(
            raw.execute(spec.select_sql() + where, params), spec, key, keep_column, typed=True
        )
    found = TableCheck()
    kept: dict[Any, int] = keep[1] if keep is not None else {}
    for part in parts:
        found.count += part.count
        found.total += part.total
        found.altered += part.altered
        for value, number in part.kept.items():
            kept[value] = kept.get(value, 0) + number
    found.total %= MODULUS
    return found


def _check_all(
    cursor: Any, spec: TableSpec, key: bytes, keep_column: str | None, *, typed: bool
) -> list[Checked]:
    # On this thread alone: a helper thread computing the HMACs while this one read the next
    # batch cost 0.25 s more CPU and 0.15 s more wall-clock on an idle 2-core machine (the
    # GIL handed back and forth twice a row), for no gain under load.
    check = _batch_check(spec, key, keep_column, typed=typed)
    parts = []
    while records := cursor.fetchmany(CHECK_BATCH):
        parts.append(check(records))
    return parts


def _batch_check(
    spec: TableSpec, key: bytes, keep_column: str | None, *, typed: bool
) -> Callable[[list[Any]], Checked]:
    """What checks one batch of rows read by `spec.select_sql()` (`typed`: (type, value) pairs)
    or `plain_select_sql()` (values), altered rows named: safe on any thread."""
    check = batch_check(spec.name, spec.columns, key, keep_column, typed=typed)
    width = 2 * len(spec.columns) if typed else len(spec.columns)

    def named(records: list[Any]) -> Checked:
        part = check(records)
        if part.altered:
            part.altered = [
                stored_row(spec, r[:width] if typed else _typed(r[:width]), r[width]).describe()
                for r in part.altered
            ]
        return part

    return named


def _typed(values: Sequence[Any]) -> list[Any]:
    """(type, value) pairs, as `select_sql` reads them, of values read by `plain_select_sql`."""
    pairs: list[Any] = []
    for value in values:
        pairs += (KINDS.get(type(value), "?"), value)
    return pairs


def affinity(declared: str) -> str:
    """SQLite's affinity of a column declared `declared` (its rules, in their order)."""
    name = declared.upper()
    if "INT" in name:
        return "integer"
    if "CHAR" in name or "CLOB" in name or "TEXT" in name:
        return "text"
    if "BLOB" in name or not name:
        return "blob"
    if "REAL" in name or "FLOA" in name or "DOUB" in name:
        return "real"
    return "numeric"


_NUMBER_LIKE = frozenset("0123456789+-.eExX \t\n\r\f\v")
"""A text made only of these may be stored as a number by a numeric column."""


def as_stored(column_affinity: str, value: Any) -> tuple[str, Any] | None:
    """(storage class, value as `select_sql` reads it) of `value` given to the driver for a
    column of that affinity; None where SQLite may convert it (a text that reads as a number
    in a numeric column, a float in an integer one): only what is certain is foretold."""
    of = type(value)
    if value is None:
        return "null", None
    if of is bytes:
        return "blob", value
    if of is memoryview:  # how SQLAlchemy hands the driver a binary value
        return "blob", value.tobytes()
    if of is str:
        if column_affinity in ("text", "blob") or not _NUMBER_LIKE.issuperset(value):
            try:
                return "text", value.encode()
            except UnicodeEncodeError:  # the driver refuses it anyway
                return None
        return None
    if of is int:
        return ("integer", value) if column_affinity in ("integer", "numeric", "blob") else None
    if of is float and value == value:  # NaN is stored as NULL
        return ("real", value) if column_affinity in ("real", "blob") else None
    return None


def foretold_row(
    spec: TableSpec,
    values: Sequence[Any],
    affinities: Sequence[str],
    key_for: Callable[[str], bytes],
) -> tuple[StoredRow, bytes, bytes] | None:
    """The row SQLite will store for the covered `values` the driver is given (in the order of
    `spec.columns`), the key of its scope and its MAC under that key; None if a value's
    storage cannot be foretold (`as_stored`). The commit takes the MAC only for a row read back
    with these very types and values (`dossier.db.inventory`)."""
    stored: dict[str, Any] = {}
    types: dict[str, str] = {}
    parts = [DOMAIN, spec.name.encode(), b"\x00"]
    for column, value, kind in zip(spec.columns, values, affinities, strict=True):
        pair = as_stored(kind, value)
        if pair is None:
            return None
        types[column], stored[column] = pair
        found = data(pair[1])
        parts += (prefix(column, pair[0]), len(found).to_bytes(8, "big"), found)
    row = StoredRow(spec, stored, types, b"")
    key = key_for(row.scope)
    return row, key, hmac.digest(key, b"".join(parts), "sha256")


def read_rows(
    conn: Any, spec: TableSpec, where: str = "", params: tuple[Any, ...] = ()
) -> Iterator[StoredRow]:
    """Rows of `spec` as stored (a raw DB-API or SQLAlchemy connection)."""
    sql = spec.select_sql() + (f" WHERE {where}" if where else "")
    for record in _execute(conn, sql, params):
        yield stored_row(spec, record[:-1], record[-1])


def stored_row(spec: TableSpec, record: Sequence[Any], stored_mac: Any) -> StoredRow:
    """A row from its covered columns read as `select_sql` reads them: (type, value) pairs."""
    values: dict[str, Any] = {}
    types: dict[str, str] = {}
    for i, column in enumerate(spec.columns):
        types[column] = str(record[2 * i])
        values[column] = record[2 * i + 1]
    return StoredRow(spec, values, types, stored_mac if isinstance(stored_mac, bytes) else b"")


def read_row(conn: Any, spec: TableSpec, row_id: Any) -> StoredRow | None:
    rows = list(read_rows(conn, spec, f'"{spec.id_column}" = ?', (row_id,)))
    return rows[0] if rows else None


READ_BATCH = 500
"""Ids per `IN (...)` read: well under SQLite's bound on a statement's parameters."""


def read_rows_by_id(conn: Any, keys: Sequence[tuple[str, Any]]) -> list[StoredRow | None]:
    """`read_row` of each (table, id), one statement per table and `READ_BATCH` ids rather
    than one per row (a batch import changes thousands of rows). A row the batch did not
    match back by its id (an id stored as bytes that are not UTF-8) is read alone."""
    found: dict[tuple[str, str], StoredRow] = {}
    by_table: dict[str, list[Any]] = {}
    for table, row_id in keys:
        by_table.setdefault(table, []).append(row_id)
    for table, ids in by_table.items():
        spec = SPECS[table]
        for start in range(0, len(ids), READ_BATCH):
            chunk = tuple(ids[start : start + READ_BATCH])
            marks = ", ".join("?" * len(chunk))
            for row in read_rows(conn, spec, f'"{spec.id_column}" IN ({marks})', chunk):
                found[(table, row.row_id)] = row
    return [
        found[(table, str(row_id))]
        if (table, str(row_id)) in found
        else read_row(conn, SPECS[table], row_id)
        for table, row_id in keys
    ]


def _execute(conn: Any, sql: str, params: tuple[Any, ...]) -> Iterable[Any]:
    if hasattr(conn, "exec_driver_sql"):
        return conn.exec_driver_sql(sql, params).fetchall()  # type: ignore[no-any-return]
    return conn.execute(sql, params).fetchall()  # type: ignore[no-any-return]


def mac_to_int(mac: bytes) -> int:
    return int.from_bytes(mac, "big")


# -- change capture ----------------------------------------------------------------------------


_OLD_COLUMNS = tuple(f"v{i}" for i in range(max(len(spec.columns) for spec in SPECS.values())))
"""Columns of CHANGES that keep a row's covered values as they were before the transaction,
each as stored: declared without a type, a column converts nothing (its storage class, a
text's bytes, even not UTF-8, are kept)."""


def trigger_sql() -> list[str]:
    """Temporary table and triggers that record every row a transaction touches.

    For each row: its first state in the transaction (`existed`, old scope, old MAC and the
    covered values as stored), so the commit can check that the row it is about to sign
    again was authentic (a row changed by another process while the vault is open must not
    be blessed), then take the old MAC out of the inventory and put the new one in.
    Foreign-key actions (cascades, SET NULL) fire these triggers too.

    The triggers copy the values; their types and bytes are read back with them
    (`changes_sql`): SQLite parses every trigger at each connection's start, and the 39 of
    them cost 2.9 ms of CPU when each column's type and bytes were taken in its trigger
    (twice the text), 1.7 ms now.
    """
    untyped = ", ".join(_OLD_COLUMNS)
    statements = [
        f"CREATE TEMP TABLE IF NOT EXISTS {CHANGES} (tbl TEXT NOT NULL, id TEXT NOT NULL, "
        f"old_scope TEXT, old_mac BLOB, existed INTEGER NOT NULL, {untyped}, "
        "PRIMARY KEY (tbl, id))"
    ]
    for spec in SPECS.values():
        scope = "''" if spec.scope_column is None else f'OLD."{spec.scope_column}"'
        old_values = [f'OLD."{column}"' for column in spec.columns]
        old = _record(
            spec.name,
            f'OLD."{spec.id_column}"',
            ["old_scope", "old_mac", "existed", *_OLD_COLUMNS[: len(old_values)]],
            [scope, "OLD.row_mac", "1", *old_values],
        )
        new = _record(spec.name, f'NEW."{spec.id_column}"', ["existed"], ["0"])
        statements += [
            f"CREATE TEMP TRIGGER IF NOT EXISTS _dossier_ins_{spec.name} AFTER INSERT ON "
            f"main.{spec.quoted} BEGIN {new}; END",
            f"CREATE TEMP TRIGGER IF NOT EXISTS _dossier_upd_{spec.name} AFTER UPDATE ON "
            f"main.{spec.quoted} BEGIN {old}; {new}; END",
            f"CREATE TEMP TRIGGER IF NOT EXISTS _dossier_del_{spec.name} AFTER DELETE ON "
            f"main.{spec.quoted} BEGIN {old}; END",
        ]
    return statements


def _record(table: str, row_id: str, columns: list[str], values: list[str]) -> str:
    """Record a row's first state in the transaction, once.

    Not `INSERT OR IGNORE`: inside a trigger fired by a foreign-key action (a cascade from a
    deleted document), SQLite applies the action's own ABORT policy to the trigger body, so the
    second record of a row failed with a UNIQUE error instead of being ignored.
    """
    return (
        f"INSERT INTO {CHANGES} (tbl, id, {', '.join(columns)}) "
        f"SELECT '{table}', {row_id}, {', '.join(values)} WHERE NOT EXISTS "
        f"(SELECT 1 FROM {CHANGES} WHERE tbl = '{table}' AND id = {row_id})"
    )


def changes_sql() -> str:
    """What `seal_changes` reads back: tbl, id, old_scope, old_mac, existed, then each old
    value as a (type, value) pair, as `TableSpec.select_sql` reads a row."""
    old = ", ".join(part for column in _OLD_COLUMNS for part in as_stored_sql(column))
    return f"SELECT tbl, id, old_scope, old_mac, existed, {old} FROM temp.{CHANGES}"


_TRIGGERS = tuple(trigger_sql())


def install_triggers(dbapi_conn: Any) -> None:
    cursor = dbapi_conn.cursor()
    try:
        for statement in _TRIGGERS:
            cursor.execute(statement)
    finally:
        cursor.close()
