"""Rows inserted in bulk (an import's documents, pages and audit entries, and the audit trail's
head they move) go in with the MAC of the row SQLite stores for them, and are not written a
second time by the commit; a row stored otherwise than foretold, or changed before the commit,
is still signed as it is stored."""

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
from dossier.errors import CorruptData
from dossier.services import audit
from dossier.services.workspace import Workspace
from dossier.vault.vault import CATALOG
from tests.core.db.test_macs_made_ahead import CHANGES, _imported
from tests.sweep import swept

BULK_TABLES = ("document", "page", "audit_entry", "vault_secret")


def _mac_writes(workspace: Workspace) -> dict[str, int]:
    """Rows each table had written again after the statement that wrote them (their MAC set by
    an UPDATE, or the whole row updated), counted from now on."""
    writes: dict[str, int] = {}

    def seen(_conn: Any, _cursor: Any, statement: str, params: Any, _ctx: Any, many: bool) -> None:
        if statement.startswith("UPDATE") and "SET row_mac" in statement:
            table = statement.split('"')[1]
            writes[table] = writes.get(table, 0) + (len(params) if many else 1)
        elif statement.startswith("UPDATE vault_secret"):  # the ORM's, before its MAC's
            writes["vault_secret"] = writes.get("vault_secret", 0) + (len(params) if many else 1)

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


def test_an_audit_head_altered_while_open_refuses_the_next_import(
    workspace: Workspace, tmp_path: Path
) -> None:
    """The head is written over without being read first: the commit still checks the row it
    replaced, and refuses the import, keeping nothing of it."""
    case = workspace.cases.create("Notes").id
    path = tmp_path / "note.txt"
    path.write_text("Note au conseil.\n", encoding="utf-8")
    assert workspace.documents.import_many(case, [path])[0].document
    db = sqlite3.connect(workspace.vault.folder / CATALOG)
    with db:
        db.execute("UPDATE vault_secret SET sealed = sealed || x'00' WHERE name = ?", (audit.HEAD,))
    db.close()
    other = tmp_path / "other.txt"
    other.write_text("Autre note.\n", encoding="utf-8")
    with pytest.raises(CorruptData, match="altered outside Dossier"):
        workspace.documents.import_many(case, [other])
    assert len(workspace.documents.of_case(case)) == 1
    assert len(workspace.audit.records()) == 2  # the case's creation, the first import


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
