"""The catalog's schema as Dossier made it: anything else stored there is tampering.

Row MACs and inventories authenticate what is in the rows, not the schema that SQLite applies
when Dossier writes them. Someone without the key can edit that schema (`PRAGMA
writable_schema`, or `CREATE TRIGGER`): a trigger deleting each new redaction mark, or a foreign
key made to cascade, runs inside Dossier's own transactions, whose change capture then takes the
result for Dossier's own work and authenticates it. So the structure of every table (columns,
types, defaults, keys, foreign-key actions, indexes) is compared with the one the migrations
make, recorded here per revision as a digest; triggers and views are never Dossier's (its change
capture is made of TEMP triggers on its own connections).

The structure is read through PRAGMAs rather than the stored CREATE text, so that a newer SQLite
or SQLAlchemy formatting the same schema differently does not turn an intact vault into a
tampered one. Reading it costs a quarter of an open's CPU, though, so a catalog whose stored
text is, byte for byte, the one Dossier's migrations write (`EXPECTED_TEXT`) is taken as intact
without it: SQLite builds a catalog's schema from that text alone, so the same text is the same
tables, indexes and keys, with no trigger, view or clause added. Any other text, however small
the difference, is read through the PRAGMAs as before.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from dossier.i18n import _

EXPECTED = {
    "0002": "3dd0cbf4ee465a718d6d6626d915011992ff1cfe77779cae0a0ec0ac6db8840f",
    "0003": "a054eb3eedcd30d0371e881ae213a0e796d326b082a21e8707c2331105519afb",
}
"""Digest of `structure()` of a catalog migrated to each revision (tests/core/db/
test_planted_schema.py checks the head's entry: a new migration adds its own)."""

EXPECTED_TEXT = {
    "0002": "8e0d93faec02d33908ad2f540946632109480f3f86a926fb44476e8ed7e2e7bd",
    "0003": "944136b6ed6b1d67fc2a10146a9ec6cd4fa5149c6ff5f471e08afea6335b1069",
}
"""Digest of `text_digest()` of a new catalog at each revision, as this version's migrations
write it (checked by the same test as `EXPECTED`)."""


def planted_objects(conn: Any) -> list[str]:
    """Triggers and views stored in the catalog: Dossier creates none."""
    rows = _rows(
        conn,
        "SELECT type, name FROM main.sqlite_master WHERE type IN ('trigger', 'view') ORDER BY name",
    )
    return [
        f"catalog.sqlite holds a {kind} {name!r} that Dossier never creates (planted to change "
        "what Dossier writes)"
        for kind, name in rows
    ]


_CLAUSES = frozenset(
    {"CHECK", "COLLATE", "CONFLICT", "DEFERRABLE", "GENERATED", "AS", "AUTOINCREMENT", "STRICT"}
)
"""Words of a table's definition whose clause no PRAGMA shows (a CHECK, a column's collation,
an ON CONFLICT policy, a deferred key, a generated column's expression): Dossier's tables use
none (a migration that adds one lists it in `_OWN_CLAUSES`)."""
_OWN_CLAUSES: dict[str, frozenset[str]] = {}
"""Table name -> the words of `_CLAUSES` Dossier's own definition of it holds."""
_WORD = re.compile(
    r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|--[^\n]*|/\*.*?(?:\*/|\Z)"""
    r"|([A-Za-z_\u0080-\U0010ffff][A-Za-z0-9_$\u0080-\U0010ffff]*)|.",
    re.DOTALL,
)
"""SQLite's tokens, as far as telling a keyword from a string, a quoted name or a comment."""


def planted_clauses(conn: Any) -> list[str]:
    """Tables whose definition holds a clause of `_CLAUSES` that Dossier's does not: read from
    the definition's text, as SQLite reads it (case-blind, comments and quoted names skipped),
    since the PRAGMAs `structure` reads do not show them."""
    problems = []
    for name, sql in _rows(
        conn, "SELECT name, sql FROM main.sqlite_master WHERE type = 'table' ORDER BY name"
    ):
        words = {m.group(1).upper() for m in _WORD.finditer(str(sql or "")) if m.group(1)}
        found = sorted((words & _CLAUSES) - _OWN_CLAUSES.get(name, frozenset()))
        if found:
            problems.append(
                _(
                    "catalog.sqlite's table {table} holds a clause Dossier never writes "
                    "({clause}: planted to change what Dossier writes or reads)"
                ).format(table=repr(name), clause=", ".join(found))
            )
    return problems


_TABLES = "FROM main.sqlite_master AS m{} WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"
"""Every table of the catalog with what a PRAGMA says of it, as one query: the PRAGMAs as
table-valued functions read every table's structure in four statements instead of about a
hundred (the check runs at every open and at a connection's first commit)."""


def _per_table(conn: Any, pragma: str, order: str = "") -> dict[str, list[list[Any]]]:
    found: dict[str, list[list[Any]]] = {}
    for row in _rows(conn, "SELECT m.name, p.* " + _TABLES.format(pragma) + order):
        found.setdefault(row[0], []).append(list(row[1:]))
    return found


def structure(conn: Any) -> list[Any]:
    """Every table's columns, foreign keys and indexes, as SQLite applies them."""
    tables = _rows(conn, "SELECT m.name, m.sql " + _TABLES.format("") + " ORDER BY m.name")
    columns = _per_table(conn, ", pragma_table_xinfo(m.name, 'main') AS p", " ORDER BY p.cid")
    keys = _per_table(conn, ", pragma_foreign_key_list(m.name, 'main') AS p")
    indexes = _per_table(conn, ", pragma_index_list(m.name, 'main') AS p")
    indexed: dict[str, list[list[Any]]] = {}
    for row in _rows(
        conn,
        "SELECT i.name, p.* "
        + _TABLES.format(
            ", pragma_index_list(m.name, 'main') AS i, pragma_index_xinfo(i.name, 'main') AS p"
        )
        + " ORDER BY i.name, p.seqno",
    ):
        indexed.setdefault(row[0], []).append(list(row[1:]))
    return [
        [
            table,
            columns.get(table, []),
            sorted(keys.get(table, [])),
            [
                [index[1:], indexed.get(index[1], [])]
                for index in sorted(indexes.get(table, []), key=lambda r: r[1])
            ],
            "WITHOUT ROWID" in str(sql or "").upper(),
        ]
        for table, sql in tables
    ]


def digest(conn: Any) -> str:
    text = json.dumps(structure(conn), sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def text_digest(conn: Any) -> str:
    """Digest of everything the catalog's schema is made of: each object's kind, name, table
    and CREATE text (not where its pages are, which a copy or a VACUUM may move)."""
    rows = _rows(
        conn, "SELECT type, name, tbl_name, sql FROM main.sqlite_master ORDER BY type, name"
    )
    text = json.dumps([list(row) for row in rows], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def schema_problems(conn: Any) -> list[str]:
    """Planted triggers or views, and a table structure that differs from its revision's."""
    revision = _rows(conn, "SELECT version_num FROM alembic_version")
    version = str(revision[0][0]) if len(revision) == 1 else None
    if version in EXPECTED_TEXT and text_digest(conn) == EXPECTED_TEXT[version]:
        return []
    problems = planted_objects(conn) + planted_clauses(conn)
    expected = EXPECTED.get(version) if version is not None else None
    if expected and digest(conn) != expected:
        problems.append(
            _(
                "catalog.sqlite's tables were altered (columns, keys, foreign-key "
                "actions or indexes differ from what Dossier creates)"
            )
        )
    return problems


def problems_at_commit(conn: Any) -> list[str]:
    """`schema_problems` for a commit about to sign its changes (`inventory.seal_changes`).

    The schema is checked at open and before an export; a trigger planted in between, while the
    vault is open, runs inside Dossier's transactions and would be signed with them. Triggers
    and views are looked for at every commit (one query); the whole structure is read again
    only when SQLite's schema cookie moved since this connection last found it intact.
    """
    problems = planted_objects(conn)
    cookie = _rows(conn, "PRAGMA main.schema_version")[0][0]
    info = getattr(conn, "info", None)
    if problems or (info is not None and info.get(_CHECKED_COOKIE) == cookie):
        return problems
    problems = schema_problems(conn)
    if not problems and info is not None:
        info[_CHECKED_COOKIE] = cookie
    return problems


_CHECKED_COOKIE = "dossier.schema_checked"
"""Key, in a connection's info, of the schema cookie under which it last found the schema intact."""


def _rows(conn: Any, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    if hasattr(conn, "exec_driver_sql"):
        return list(conn.exec_driver_sql(sql, params).fetchall())
    return list(conn.execute(sql, params).fetchall())
