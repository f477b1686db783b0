"""Rows inserted in bulk (an import's documents, pages and audit entries) go in with the MAC of
the row SQLite stores for them, and are not written a second time by the commit; a row stored
otherwise than foretold, or changed before the commit, is still signed as it is stored."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from sqlalchemy import event

from dossier.db.bulk import insert_new
from dossier.db.models import Document, Page
from dossier.db.rowauth import affinity, as_stored
from dossier.services.workspace import Workspace
from tests.core.db.test_macs_made_ahead import CHANGES, _imported
from tests.sweep import swept

BULK_TABLES = ("document", "page", "audit_entry")


def _mac_writes(workspace: Workspace) -> dict[str, int]:
    """Rows each table had its MAC written by an UPDATE, counted from now on."""
    writes: dict[str, int] = {}

    def seen(_conn: Any, _cursor: Any, statement: str, params: Any, _ctx: Any, many: bool) -> None:
        if statement.startswith("UPDATE") and "SET row_mac" in statement:
            table = statement.split('"')[1]
            writes[table] = writes.get(table, 0) + (len(params) if many else 1)

    event.listen(workspace.vault.engine, "before_cursor_execute", seen)
    return writes


def test_an_import_writes_each_row_once(workspace: Workspace, tmp_path: Path) -> None:
    case = workspace.cases.create("Notes").id
    assert workspace.search.query("conseil", case=case) == []  # the index open: early handoff
    paths = []
    for number in range(30):
        path = tmp_path / f"note-{number}.txt"
        path.write_text(f"Note {number} au conseil.\n", encoding="utf-8")
        paths.append(path)
    writes = _mac_writes(workspace)
    assert all(o.document for o in workspace.documents.import_many(case, paths))
    assert {table: writes.get(table, 0) for table in BULK_TABLES} == dict.fromkeys(BULK_TABLES, 0)
    assert len(workspace.search.query("conseil", case=case, limit=50)) == 30
    assert workspace.vault.case_problems(case) == []
    assert workspace.audit.verify().problems == []
    assert workspace.fsck.run().ok


def _document(case: str) -> Document:
    doc = Document(case_id=case, kind="source")
    doc.title = "Note au conseil"
    doc.pages.append(Page(case_id=case, page_index=0, document_id=doc.id))
    doc.pages[0].text = "Note au conseil."
    return doc


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_a_row_changed_after_its_insert_is_signed_as_stored(
    workspace: Workspace, tmp_path: Path, name: str
) -> None:
    case, (other,) = _imported(workspace, tmp_path, 1)
    doc = _document(case)
    with workspace.vault.session() as session:
        insert_new(session, [doc, *doc.pages])
        CHANGES[name](session.connection(), doc.id, other)
        session.commit()
    assert workspace.vault.case_problems(case) == [], name
    assert workspace.fsck.run().ok


DECLARED = ("VARCHAR(24)", "INTEGER", "DATETIME", "BLOB", "FLOAT", "NUMERIC", "TEXT", "")
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(),
    st.text(),
    st.text(alphabet="0123456789+-.eExX \t"),
    st.from_regex(r"\s*[-+]?[0-9]{1,5}(\.[0-9]*)?([eE][-+]?[0-9]{1,3})?\s*", fullmatch=True),
    st.binary(),
    st.binary().map(memoryview),
)


@swept(settings(max_examples=400, deadline=None), declared=st.sampled_from(DECLARED), value=VALUES)
def test_what_is_foretold_is_what_sqlite_stores(declared: str, value: Any) -> None:
    foretold = as_stored(affinity(declared), value)
    if foretold is None:
        return
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE TABLE t (v {declared})")
    db.execute("INSERT INTO t VALUES (?)", (value,))
    stored = db.execute(
        "SELECT typeof(v), CASE WHEN typeof(v) = 'text' THEN CAST(v AS BLOB) ELSE v END FROM t"
    ).fetchone()
    assert stored == foretold
    assert type(stored[1]) is type(foretold[1])
