"""Schema edits made without the key: a planted trigger, an altered table, an edited
alembic_version.

The attacks: `CREATE TRIGGER ... AFTER INSERT ON redaction BEGIN DELETE FROM redaction WHERE
id = NEW.id; END` in catalog.sqlite made every new mark vanish as it was added, while Dossier
said "added" and fsck said intact (Dossier's own change capture took the trigger's delete for
its own, so the inventory stayed consistent); a foreign key made to cascade with `PRAGMA
writable_schema` is the same class; an edited, duplicated or deleted alembic_version
row was a "bug in Dossier" (exit 70) after copying the catalog aside, not tampering (exit 5).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.db import schema
from dossier.db.engine import head_revision
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE, run_cli

CASE = "Affaire"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("planted") / "v.dossier"
    with Workspace.create(folder, PASSPHRASE, TEST_ONLY_FAST) as ws:
        ws.cases.create(CASE)
        source = folder.parent / "note.txt"
        source.write_text("Le chantier du dépôt a commencé en mars.", encoding="utf-8")
        ws.documents.import_file(CASE, source)
    return folder


def _attacked(built: Path, tmp_path: Path, *statements: str) -> Path:
    folder = tmp_path / "attacked.dossier"
    shutil.copytree(built, folder)
    db = sqlite3.connect(folder / "catalog.sqlite")
    for statement in statements:
        db.execute(statement)
    db.commit()
    db.close()
    return folder


def _run(tmp_path: Path, folder: Path, *args: str) -> tuple[int, str]:
    result = run_cli(tmp_path, "--vault", str(folder), *args)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout + result.stderr


@pytest.mark.parametrize(
    "planted",
    [
        "CREATE TRIGGER zz AFTER INSERT ON redaction BEGIN "
        "DELETE FROM redaction WHERE id = NEW.id; END",
        "CREATE TRIGGER zz BEFORE DELETE ON document BEGIN SELECT 1; END",
        "CREATE VIEW zz AS SELECT id FROM redaction",
    ],
)
def test_a_trigger_or_view_planted_in_the_catalog_is_refused(
    built: Path, tmp_path: Path, planted: str
) -> None:
    folder = _attacked(built, tmp_path, planted)
    code, out = _run(tmp_path, folder, "fsck")
    assert code == 5 and "'zz'" in out, out
    code, out = _run(tmp_path, folder, "redact", "add", "--case", CASE, "--term", "chantier")
    assert code == 5 and "'zz'" in out, out
    with pytest.raises(Exception, match="'zz'"):
        Workspace.open(folder, PASSPHRASE).close()


def _rewritten(built: Path, tmp_path: Path, table: str, old: str, new: str) -> Path:
    folder = _attacked(built, tmp_path)
    db = sqlite3.connect(folder / "catalog.sqlite")
    db.execute("PRAGMA writable_schema = ON")
    db.execute(
        "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE name = ?", (old, new, table)
    )
    changed = db.total_changes
    db.commit()
    db.close()
    assert changed == 1
    return folder


@pytest.mark.parametrize(
    ("table", "old", "new"),
    [
        ("person", "ON DELETE SET NULL", "ON DELETE CASCADE"),
        ("redaction", "kind VARCHAR(16) NOT NULL", "kind VARCHAR(16) NOT NULL DEFAULT 'x'"),
        ("redaction", "document_id VARCHAR(24),", "document_id VARCHAR(24) NOT NULL,"),
    ],
)
def test_a_table_rewritten_through_writable_schema_is_refused(
    built: Path, tmp_path: Path, table: str, old: str, new: str
) -> None:
    folder = _rewritten(built, tmp_path, table, old, new)
    code, out = _run(tmp_path, folder, "fsck")
    assert code == 5 and "tables were altered" in out, out
    code, out = _run(tmp_path, folder, "case", "list")
    assert code == 5 and "tables were altered" in out, out


@pytest.mark.parametrize(
    ("table", "old", "new"),
    [
        # A mark of a kind refused as it is added: the commit fails, or a CHECK able to read
        # the row decides what Dossier may write.
        (
            "redaction",
            "kind VARCHAR(16) NOT NULL",
            "kind VARCHAR(16) NOT NULL CHECK (kind <> 'term')",
        ),
        (
            "page",
            "CONSTRAINT pk_page PRIMARY KEY (id)",
            "CONSTRAINT pk_page PRIMARY KEY (id), CHECK (page_index < 1)",
        ),
        # Comparisons of a column no index covers made case-blind, or blind to trailing spaces.
        ("document", "kind VARCHAR(16) NOT NULL", "kind VARCHAR(16) NOT NULL COLLATE NOCASE"),
        ("page", "case_id VARCHAR(24) NOT NULL", "case_id VARCHAR(24) NOT NULL COLLATE RTRIM"),
        # A row written over, or a write dropped, instead of a failure.
        ("audit_entry", "PRIMARY KEY (seq)", "PRIMARY KEY (seq) ON CONFLICT REPLACE"),
        ("inventory", "PRIMARY KEY (scope)", "PRIMARY KEY (scope) ON CONFLICT IGNORE"),
        ("page", "page_index INTEGER NOT NULL", "page_index INTEGER NOT NULL ON CONFLICT IGNORE"),
        # A foreign key checked only at the commit.
        (
            "page",
            "REFERENCES document (id) ON DELETE CASCADE",
            "REFERENCES document (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED",
        ),
        # Spelled as SQLite also reads them: lower case, split by a comment.
        (
            "quote",
            "CONSTRAINT pk_quote PRIMARY KEY (id)",
            "CONSTRAINT pk_quote PRIMARY KEY (id) on/**/conflict fail",
        ),
    ],
)
def test_a_clause_no_pragma_shows_planted_in_a_table_is_refused(
    built: Path, tmp_path: Path, table: str, old: str, new: str
) -> None:
    """CHECK, COLLATE, ON CONFLICT and deferred keys change what SQLite does with Dossier's
    writes and reads, yet none shows in the PRAGMAs the structure is read from: every one was
    opened, written to and passed by fsck as intact."""
    folder = _rewritten(built, tmp_path, table, old, new)
    db = sqlite3.connect(folder / "catalog.sqlite")
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        db.close()
    code, out = _run(tmp_path, folder, "fsck")
    assert code == 5 and f"'{table}'" in out, out
    code, out = _run(tmp_path, folder, "case", "list")
    assert code == 5 and f"'{table}'" in out, out
    with pytest.raises(Exception, match=f"'{table}'"):
        Workspace.open(folder, PASSPHRASE).close()


def test_clauses_inside_names_defaults_and_comments_are_not_taken_for_planted_ones() -> None:
    db = sqlite3.connect(":memory:")
    try:
        db.execute(
            'CREATE TABLE "check" ("collate" TEXT DEFAULT \'on conflict replace\', '
            "[conflict] BLOB DEFAULT (X'00'), `check` TEXT, b TEXT) -- CHECK (1)\n"
        )
        db.execute("CREATE TABLE t (a TEXT /* COLLATE NOCASE */ NOT NULL)")
        assert schema.planted_clauses(db) == []
        db.execute("CREATE TABLE u (a TEXT CHECK (a <> ''))")
        assert len(schema.planted_clauses(db)) == 1
    finally:
        db.close()


@pytest.mark.parametrize(
    "added",
    [
        "CREATE INDEX zz ON redaction (kind)",
        "ALTER TABLE redaction ADD COLUMN zz TEXT",
        "CREATE TABLE zz (id TEXT)",
    ],
)
def test_an_index_column_or_table_added_is_refused(built: Path, tmp_path: Path, added: str) -> None:
    folder = _attacked(built, tmp_path, added)
    code, out = _run(tmp_path, folder, "fsck")
    assert code == 5 and "tables were altered" in out, out


def test_the_schema_of_a_new_vault_is_the_recorded_one(built: Path) -> None:
    """A new migration records the digest of the schema it makes (`dossier.db.schema`)."""
    db = sqlite3.connect(built / "catalog.sqlite")
    try:
        assert schema.EXPECTED.get(str(head_revision())) == schema.digest(db)
        assert schema.EXPECTED_TEXT.get(str(head_revision())) == schema.text_digest(db)
        assert schema.schema_problems(db) == []
    finally:
        db.close()


def _pragmas_read(folder: Path) -> tuple[list[str], list[str]]:
    """What `schema_problems` finds in the catalog, and the PRAGMAs it read to find it."""
    db = sqlite3.connect(folder / "catalog.sqlite")
    statements: list[str] = []
    db.set_trace_callback(statements.append)
    try:
        problems = schema.schema_problems(db)
    finally:
        db.close()
    return problems, [sql for sql in statements if "pragma_" in sql]


def test_a_catalog_as_dossier_wrote_it_is_not_read_through_the_pragmas(built: Path) -> None:
    # The stored text is the one the migrations write: the same tables, nothing planted.
    assert _pragmas_read(built) == ([], [])


def test_any_other_stored_text_is_read_through_the_pragmas(built: Path, tmp_path: Path) -> None:
    """Even a difference SQLite reads the same (a trailing space, a comment, a name's case)
    in any object of the schema is checked in full, and found intact."""
    db = sqlite3.connect(built / "catalog.sqlite")
    objects = db.execute("SELECT name FROM sqlite_master WHERE sql IS NOT NULL").fetchall()
    db.close()
    assert len(objects) > 20
    for n, (name,) in enumerate(objects):
        edit = (" ", " -- as it was", "\n")[n % 3]
        folder = tmp_path / f"{n}.dossier"
        shutil.copytree(built, folder)
        db = sqlite3.connect(folder / "catalog.sqlite")
        db.execute("PRAGMA writable_schema = ON")
        db.execute("UPDATE sqlite_master SET sql = sql || ? WHERE name = ?", (edit, name))
        db.commit()
        db.close()
        problems, read = _pragmas_read(folder)
        assert problems == [] and read, name
        shutil.rmtree(folder)


@pytest.mark.parametrize(
    "edit",
    [
        "UPDATE alembic_version SET version_num = 'ffff'",
        "DELETE FROM alembic_version",
        "INSERT INTO alembic_version VALUES ('0001')",
    ],
)
def test_an_edited_schema_version_is_tampering_not_a_bug(
    built: Path, tmp_path: Path, edit: str
) -> None:
    folder = _attacked(built, tmp_path, edit)
    before = (folder / "catalog.sqlite").read_bytes()
    for args in (("case", "list"), ("fsck",)):
        code, out = _run(tmp_path, folder, *args)
        assert code == 5 and "altered outside Dossier" in out, (args, out)
    assert (folder / "catalog.sqlite").read_bytes() == before  # no migration was begun


@pytest.mark.parametrize(
    "renamed",
    ['ALTER TABLE "case" RENAME TO case_kept', "ALTER TABLE document RENAME TO document_kept"],
)
def test_a_catalog_without_schema_version_is_refused_and_left_as_it_was(
    built: Path, tmp_path: Path, renamed: str
) -> None:
    """A catalog without alembic_version is new only if it holds nothing: one that holds
    tables was overwritten by the empty catalog's copy (every case gone) before the open
    noticed that its rows did not belong to the vault."""
    folder = _attacked(built, tmp_path, "DROP TABLE alembic_version", renamed)
    before = (folder / "catalog.sqlite").read_bytes()
    for args in (("case", "list"), ("fsck",)):
        code, out = _run(tmp_path, folder, *args)
        assert code == 5 and "altered outside Dossier" in out, (args, out)
    assert (folder / "catalog.sqlite").read_bytes() == before


def test_the_structure_is_read_in_a_few_statements_however_many_tables(
    built: Path, tmp_path: Path
) -> None:
    # It is read at every open and at a connection's first commit: a hundred PRAGMAs (four per
    # table and index) were a tenth of an open's CPU. A planted table is still described whole.
    tables = [
        f'CREATE TABLE "planted {n}" (a INTEGER PRIMARY KEY, b TEXT UNIQUE)' for n in range(30)
    ]
    folder = _attacked(built, tmp_path, *tables)
    db = sqlite3.connect(folder / "catalog.sqlite")
    statements: list[str] = []
    # (The trace shows each table-valued PRAGMA's own runs too, as "-- PRAGMA" comments.)
    db.set_trace_callback(lambda sql: None if sql.startswith("--") else statements.append(sql))
    described = schema.structure(db)
    db.close()
    assert len(statements) <= 5, statements
    planted = [table for table in described if table[0].startswith("planted ")]
    assert len(planted) == 30
    assert all([column[1] for column in table[1]] == ["a", "b"] for table in planted)
    assert all(len(table[3]) == 1 for table in planted)  # b's unique index, its columns listed
    assert all(table[3][0][1] for table in planted)
