"""A row MAC made before the commit (an import's versions handed to the index early) is taken
by the commit only for the very bytes it was made of: a row changed meanwhile, a MAC made for
another row or under another key, is signed anew, and the case checks clean afterwards."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from dossier.db.rowauth import SPECS, StoredRow, read_rows_by_id
from dossier.services.workspace import Workspace
from dossier.vault.vault import macs_ahead
from tests.alongside import at_once

Change = Callable[[Any, str, str], None]


def _imported(workspace: Workspace, tmp_path: Path, count: int) -> tuple[str, list[str]]:
    case = workspace.cases.create("Notes").id
    paths = []
    for number in range(count):
        path = tmp_path / f"note-{number}.txt"
        path.write_text(f"Note {number} au conseil.\n", encoding="utf-8")
        paths.append(path)
    outcomes = workspace.documents.import_many(case, paths)
    ids = [o.document.id for o in outcomes if o.document is not None]
    assert len(ids) == count
    return case, ids


def _row(conn: Any, doc_id: str) -> StoredRow:
    (row,) = read_rows_by_id(conn, [("document", doc_id)])
    assert row is not None
    return row


def _rewrite(session: Any, doc_id: str) -> None:
    """The transaction writes the row (the commit signs it again)."""
    session.connection().exec_driver_sql(
        "UPDATE document SET row_mac = row_mac WHERE id = ?", (doc_id,)
    )


def _set(column: str, value: object) -> Change:
    def change(conn: Any, doc_id: str, _other: str) -> None:
        conn.exec_driver_sql(f'UPDATE document SET "{column}" = ? WHERE id = ?', (value, doc_id))

    return change


def _reinserted(conn: Any, doc_id: str, _other: str) -> None:
    """Deleted and stored again under the same id, with another value."""
    columns = SPECS["document"].columns
    row = _row(conn, doc_id)
    values = [row.values[c].decode() if row.types[c] == "text" else row.values[c] for c in columns]
    values[columns.index("kind")] = b"note"
    conn.exec_driver_sql("DELETE FROM document WHERE id = ?", (doc_id,))
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" * len(columns))
    conn.exec_driver_sql(f"INSERT INTO document ({names}) VALUES ({marks})", tuple(values))


# Each changes the row after its MAC was made ahead, within the import's own transaction (no
# other session can write while it holds the catalog's write lock).
CHANGES: dict[str, Change] = {
    "column edited": _set("kind", "note"),
    "same value, stored as another type": _set("kind", 7),
    "zero stored with its sign": _set("sealed", -0.0),
    "deleted and stored again": _reinserted,
}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_a_row_changed_after_its_mac_was_made_is_signed_as_stored(
    workspace: Workspace, tmp_path: Path, name: str
) -> None:
    case, (doc_id, other) = _imported(workspace, tmp_path, 2)
    key = workspace.vault.case_keys(case).rows
    with workspace.vault.session() as session:
        conn = session.connection()
        _set("sealed", 0.0)(conn, doc_id, other)  # equal to -0.0, yet other bytes
        before = _row(conn, doc_id)
        macs_ahead(session)[("document", doc_id)] = (before, key, before.mac(key))
        CHANGES[name](conn, doc_id, other)
        session.commit()
    with workspace.vault.engine.connect() as conn:
        after = _row(conn, doc_id)
    assert after.stored_mac == after.mac(key), name
    assert workspace.vault.case_problems(case) == []
    with workspace.vault.engine.connect() as conn:  # no session: nothing signs this edit
        conn.exec_driver_sql("UPDATE document SET kind = 'forged' WHERE id = ?", (doc_id,))
        conn.commit()
    assert any(doc_id in problem for problem in workspace.vault.case_problems(case)), name


def _foreign_mac(workspace: Workspace, case: str, doc_id: str, other: str) -> Any:
    """A MAC made ahead for another row: same table, another id."""
    with workspace.vault.engine.connect() as conn:
        row = _row(conn, other)
    key = workspace.vault.case_keys(case).rows
    return (row, key, row.mac(key))


def _other_key(workspace: Workspace, case: str, doc_id: str, _other: str) -> Any:
    """The very row, MACed under a key it is no longer stored under (before a rekey)."""
    with workspace.vault.engine.connect() as conn:
        row = _row(conn, doc_id)
    stale = bytes(32)
    return (row, stale, row.mac(stale))


def _forged(workspace: Workspace, case: str, doc_id: str, _other: str) -> Any:
    """The very row and key, with a MAC that is not the row's (as a stale entry would be)."""
    with workspace.vault.engine.connect() as conn:
        row = _row(conn, doc_id)
    return (row, workspace.vault.case_keys(case).rows, bytes(32))


@pytest.mark.parametrize(
    ("made", "rolled_back"), [(_foreign_mac, False), (_other_key, False), (_forged, True)]
)
def test_a_mac_made_for_another_row_key_or_transaction_is_not_taken(
    workspace: Workspace, tmp_path: Path, made: Callable[..., Any], rolled_back: bool
) -> None:
    """`rolled_back`: the MAC was kept for a transaction rolled back before this one."""
    case, (doc_id, other) = _imported(workspace, tmp_path, 2)
    entry = made(workspace, case, doc_id, other)
    with workspace.vault.session() as session:
        _rewrite(session, doc_id)
        macs_ahead(session)[("document", doc_id)] = entry
        if rolled_back:
            session.rollback()
            _rewrite(session, doc_id)
        session.commit()
    assert workspace.vault.case_problems(case) == []
    assert workspace.fsck.run().ok


def test_imports_at_once_with_duplicates_leave_the_vault_clean(
    workspace: Workspace, tmp_path: Path
) -> None:
    """Two imports into one case at once, each with a file the other also brings (a duplicate
    linked): every row reads back authentic."""

    case = workspace.cases.create("Notes").id
    assert workspace.search.query("conseil", case=case) == []  # the index opened: MACs ahead
    shared = tmp_path / "shared.txt"
    shared.write_text("Le même mémo, deux fois.\n", encoding="utf-8")
    batches = []
    for side in ("a", "b"):
        folder = tmp_path / side
        folder.mkdir()
        paths = [shared]
        for number in range(15):
            path = folder / f"note-{number}.txt"
            path.write_text(f"Note {side} {number} au conseil.\n", encoding="utf-8")
            paths.append(path)
        batches.append(paths)
    at_once(*(partial(workspace.documents.import_many, case, paths) for paths in batches))
    assert len(workspace.documents.of_case(case)) == 31
    assert len(workspace.search.query("conseil", case=case, limit=50)) == 30
    assert workspace.vault.case_problems(case) == []
    assert workspace.fsck.run().ok
