"""SQLite engine for the catalog: WAL, full fsync, secure delete, migrations on open."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from dossier.db import sealed
from dossier.errors import CorruptData, EnvironmentFailure, UsageError
from dossier.i18n import _

MIGRATIONS = Path(__file__).with_name("migrations")
UNSUPPORTED = frozenset({"0001"})
"""Catalog revisions that cannot be upgraded: rows before 0002 were never authenticated."""

PRAGMAS = (
    "journal_mode=WAL",
    # FULL, not NORMAL: an import that returned must survive a power cut.
    "synchronous=FULL",
    "foreign_keys=ON",
    # Set explicitly: some SQLite builds have it on by default, others not.
    "secure_delete=ON",
    "temp_store=MEMORY",
    "busy_timeout=5000",
)


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    for pragma in PRAGMAS:
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


_SQLITE_IOERR, _SQLITE_FULL = 10, 13


def _on_error(context: Any) -> None:
    # A full disk or a refused write: SQLite has rolled the transaction back (its journal
    # guarantees it), so the catalog is as it was. Say so in one sentence (exit code 7).
    error = context.original_exception
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return
    if code == _SQLITE_FULL:
        raise EnvironmentFailure(
            _(
                "not enough disk space to write the catalog; nothing half-written was "
                "kept (free some space and try again)"
            )
        ) from error
    if code & 0xFF == _SQLITE_IOERR:
        raise EnvironmentFailure(
            _(
                "the catalog could not be written or read (the disk refused it); "
                "nothing half-written was kept"
            )
        ) from error


def make_engine(path: Path) -> Engine:
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "handle_error", _on_error)
    return engine


@contextlib.contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection whose reads all see the catalog as one commit left it.

    The driver begins a transaction only before a write, so each read outside one sees the
    catalog as it is at that moment: a check reading an inventory and then the rows it counts
    saw a commit land in between and reported the rows altered. SQLite's own BEGIN makes the
    first read fix the state every later read sees, until the rollback that ends it."""
    with engine.connect() as conn:
        conn.exec_driver_sql("BEGIN")
        try:
            yield conn
        finally:
            conn.rollback()


def read_snapshot(session: Session) -> None:
    """The session's reads from now on see the catalog as one commit left it (`snapshot`).

    For sessions that only read: a write after it waits for no lock and fails at once if
    another commit landed since the first read."""
    connection = session.connection()
    if not _driver(connection).in_transaction:
        connection.exec_driver_sql("BEGIN")


def hold_writes(session: Session) -> None:
    """Take the catalog's write lock now, for reads a write will depend on.

    The driver begins the transaction at the first write: reads before it see whatever was
    committed last, and another writer can commit between such a read and the write built on
    it (two audit entries read the same last link, and the second failed on a taken number).
    A write that changes nothing begins the transaction and waits for the lock as any write."""
    _take_write_lock(session.connection())


def _take_write_lock(connection: Connection) -> None:
    # Straight on the connection: the session's own execute would flush first.
    connection.exec_driver_sql(_NO_CHANGE)


_NO_CHANGE = "UPDATE alembic_version SET version_num = version_num WHERE 0"


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    factory = sessionmaker(engine, expire_on_commit=False)
    # Before the sealing (listeners run in the order they were added): a row sealed before its
    # flush waited for the lock was sealed under the master key a passphrase change, holding
    # the lock, replaced meanwhile, then signed at the commit under the new one: a row that
    # passed every check and opened under no key, the vault reported altered at its next open.
    event.listen(factory, "before_flush", _hold_writes_to_seal)
    sealed.install(factory)
    return factory


def _hold_writes_to_seal(session: Session, _context: object, _instances: object) -> None:
    if session.new or session.dirty or session.deleted:
        _take_write_lock(session.connection())


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@cache
def _revisions() -> tuple[str | None, frozenset[str]]:
    """The head and every known revision. The scripts ship with the app and do not change
    while it runs; reading them (Alembic executes each file) cost 3 ms at every open."""
    script = ScriptDirectory.from_config(_alembic_config())
    return script.get_current_head(), frozenset(r.revision for r in script.walk_revisions())


def head_revision() -> str | None:
    return _revisions()[0]


def current_revision(engine: Engine) -> str | None:
    """The revision alembic_version names, None where the table is absent or empty, as
    Alembic's own reading says it (which cost 1.7 ms of each open's 15: it inspects the
    dialect and builds the table's metadata first). Several rows are tampering (CorruptData)."""
    with engine.connect() as conn:
        if not conn.exec_driver_sql(
            "SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).first():
            return None
        rows = conn.exec_driver_sql("SELECT version_num FROM main.alembic_version").fetchall()
    if len(rows) > 1:
        raise CorruptData(_ALTERED_VERSION.format("names several schema versions"))
    return None if not rows else rows[0][0]


def is_unsupported(db_path: Path) -> bool:
    """Whether the catalog at `db_path` is of a format this version refuses (read-only look)."""
    if not db_path.exists():
        return False
    try:
        uri = f"file:{db_path}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
            row = db.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return False
    return row is not None and row[0] in UNSUPPORTED


_ALTERED_VERSION = (
    "catalog.sqlite {}: it was altered outside Dossier (or written by a newer version); "
    "it is not opened: restore a backup"
)


def _check_revision(engine: Engine, current: str | None) -> None:
    """CorruptData unless `current` is a revision this version can upgrade from (or None for a
    new, empty catalog): an edited alembic_version must not run migrations over real rows."""
    if current is None:
        # New means empty: a new catalog is filled by copying the empty one over the whole
        # file, so a catalog holding anything at all without a version would be wiped.
        with engine.connect() as conn:
            held = conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
        if held:
            raise CorruptData(_ALTERED_VERSION.format("holds tables but no schema version"))
        return
    if current not in _revisions()[1]:
        raise CorruptData(_ALTERED_VERSION.format(f"names an unknown schema version {current!r}"))


def migrate(engine: Engine, db_path: Path) -> None:
    """Bring the schema to head, in one transaction: a failed upgrade leaves the old catalog
    whole, so no copy of it is made (a copy kept in the vault held, for ever, every case
    deleted and every key replaced since). One an earlier version left is removed."""
    for copy in db_path.parent.glob(f"{db_path.name}.before-*"):
        copy.unlink(missing_ok=True)
    try:
        current = current_revision(engine)
    except (DatabaseError, UnicodeDecodeError):
        raise CorruptData(_("catalog.sqlite is damaged (not a readable SQLite database)")) from None
    head = head_revision()
    if current == head:
        return
    _check_revision(engine, current)
    if current in UNSUPPORTED:
        raise UsageError(
            _(
                "this vault was made by an earlier test version of Dossier whose "
                "catalog rows were not authenticated; open it with that version and "
                "export its cases, then import them into a new vault"
            )
        )
    if current is None:
        _copy_new_catalog(engine)
        return
    _upgrade(engine)


def _upgrade(engine: Engine) -> None:
    cfg = _alembic_config()
    with engine.begin() as conn:
        # The driver begins a transaction before a write, not before CREATE or ALTER: each
        # statement of a migration was its own commit, and one stopped midway left a table
        # made under the old version, a catalog the next open could not upgrade.
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _driver(conn: Connection) -> sqlite3.Connection:
    driver = conn.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver


_new_catalog_lock = threading.Lock()


@cache
def _new_catalog() -> bytes:
    """An empty catalog at head, as the migrations make it, serialized: made once per process
    in memory. Running the migrations on each new catalog cost 43 ms, a copy under 1 ms."""
    engine = create_engine("sqlite://")  # one connection per thread, the same database
    event.listen(engine, "connect", _on_connect)
    try:
        _upgrade(engine)
        with engine.connect() as conn:
            return _driver(conn).serialize()
    finally:
        engine.dispose()


def _copy_new_catalog(engine: Engine) -> None:
    """Fill a new, empty catalog with the empty catalog at head (SQLite's backup: page by
    page, under the destination's own lock and journal)."""
    with _new_catalog_lock:
        template = _new_catalog()
    source = sqlite3.connect(":memory:")
    try:
        source.deserialize(template)
        with engine.connect() as conn:
            source.backup(_driver(conn))
    finally:
        source.close()
