"""A new catalog is a copy of one made once by the migrations: it must be what running them on
the new file itself makes, to the byte of every stored CREATE statement."""

from __future__ import annotations

import contextlib
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from alembic import command
from alembic.config import Config

from dossier.db import schema
from dossier.db.engine import MIGRATIONS, head_revision, make_engine, migrate


def _migrated_in_place(path: Path) -> None:
    """Alembic run on the file itself, as every new catalog was made before the copy."""
    engine = make_engine(path)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    engine.dispose()


def _new(path: Path) -> None:
    engine = make_engine(path)
    migrate(engine, path)
    engine.dispose()


def _described(path: Path) -> tuple[object, ...]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return (
            db.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"
            ).fetchall(),
            db.execute("SELECT * FROM alembic_version").fetchall(),
            schema.digest(db),
            db.execute("PRAGMA journal_mode").fetchone(),
            db.execute("PRAGMA user_version").fetchone(),
            db.execute("PRAGMA page_size").fetchone(),
            db.execute("PRAGMA auto_vacuum").fetchone(),
        )


def test_a_new_catalog_is_what_the_migrations_make_on_the_file(tmp_path: Path) -> None:
    _migrated_in_place(tmp_path / "migrated.sqlite")
    _new(tmp_path / "new.sqlite")
    made = _described(tmp_path / "new.sqlite")
    assert made == _described(tmp_path / "migrated.sqlite")
    assert made[1] == [(head_revision(),)]
    assert made[3] == ("wal",)


def test_new_catalogs_made_at_once_in_threads_are_whole(tmp_path: Path) -> None:
    paths = [tmp_path / f"c{n}.sqlite" for n in range(8)]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(_new, paths))
    _migrated_in_place(tmp_path / "migrated.sqlite")
    expected = _described(tmp_path / "migrated.sqlite")
    assert all(_described(path) == expected for path in paths)
