"""SQLite engine for the catalog: WAL, full fsync, secure delete, migrations on open."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from dossier.db import sealed
from dossier.errors import CorruptData

MIGRATIONS = Path(__file__).with_name("migrations")

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


def make_engine(path: Path) -> Engine:
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _on_connect)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    factory = sessionmaker(engine, expire_on_commit=False)
    sealed.install(factory)
    return factory


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine, db_path: Path) -> None:
    """Bring the schema to head; back the (encrypted) catalog up before changing a used one."""
    try:
        current = current_revision(engine)
    except DatabaseError:
        raise CorruptData("catalog.sqlite is damaged (not a readable SQLite database)") from None
    head = head_revision()
    if current == head:
        return
    if current is not None:
        backup = db_path.with_name(f"{db_path.name}.before-{head}")
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy2(db_path, backup)
        os.chmod(backup, 0o600)
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
