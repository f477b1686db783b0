"""Row MACs keep the format vaults already carry, whatever computes them and however fast.

The check at a case's first use computes each MAC in one message (`rowauth.check_rows`). Here
an independent implementation of the v1 format (one HMAC update per column, written from the
format's definition) signs and checks rows of a real sample vault: every stored row must match
it, and a row re-signed by it with a value of each type SQLite can store (integer, real, text,
text that is not UTF-8, blob, NULL) must pass Dossier's check, while the same value unsigned
must be named as altered, at any batch size.
"""

from __future__ import annotations

import concurrent.futures.thread
import hashlib
import hmac
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dossier.db import rowauth
from dossier.db.rowauth import SPECS, TableSpec, check_rows
from dossier.sample.build import SAMPLE_PASSPHRASE
from dossier.services.workspace import Workspace
from tests.core.db.tampering import Pristine, attacker, copy_vault, pristine_sample, victim


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pristine]:
    with pristine_sample(tmp_path_factory) as pristine:
        yield pristine


def _reference_mac(key: bytes, table: str, typed: list[tuple[str, str, Any]]) -> bytes:
    """The v1 row MAC from its definition: domain, table, then per column its name, its stored
    type and its value's bytes, each with its length."""
    h = hmac.new(key, b"dossier/row/v1\x00" + table.encode() + b"\x00", hashlib.sha256)
    for column, kind, value in typed:
        if value is None:
            data = b""
        elif isinstance(value, float):
            data = value.hex().encode()
        elif isinstance(value, int):
            data = str(value).encode()
        else:
            data = bytes(value)
        name, tag = column.encode(), kind.encode()
        h.update(len(name).to_bytes(2, "big") + name + len(tag).to_bytes(1, "big") + tag)
        h.update(len(data).to_bytes(8, "big") + data)
    return h.digest()


def _typed_rows(db: sqlite3.Connection, spec: TableSpec) -> Iterator[tuple[list[Any], bytes]]:
    for record in db.execute(spec.select_sql()):
        typed = [
            (column, record[2 * i], record[2 * i + 1]) for i, column in enumerate(spec.columns)
        ]
        yield typed, record[-1]


def _keys(folder: Path) -> dict[str, bytes]:
    """Row key of each scope: the vault's, and each case's."""
    with Workspace.open(folder, SAMPLE_PASSPHRASE) as ws:
        keys = {"": ws.vault.keyring.vault_rows}
        for case in ws.cases.all():
            keys[case.id] = ws.vault.case_keys(case.id).rows
    return keys


def _scope(spec: TableSpec, typed: list[tuple[str, str, Any]]) -> str:
    if spec.scope_column is None:
        return ""
    value = dict((c, v) for c, _k, v in typed)[spec.scope_column]
    return value.decode() if isinstance(value, bytes) else str(value)


def test_every_stored_row_carries_the_v1_mac(pristine: Pristine, tmp_path: Path) -> None:
    folder = copy_vault(pristine, tmp_path)
    keys = _keys(folder)
    checked = 0
    with attacker(folder) as db:
        for spec in SPECS.values():
            for typed, stored in _typed_rows(db, spec):
                assert stored == _reference_mac(keys[_scope(spec, typed)], spec.name, typed)
                checked += 1
    assert checked > 50


STORED_TYPES = {
    "integer": 7,
    "real": 12.625,
    "text": "Préfecture du Nord",
    "text not UTF-8": "CAST(x'ff41fe' AS TEXT)",
    "blob": b"\x00\x01binary\xff",
    "null": None,
}


@pytest.mark.parametrize("batch", [1, 3, 512])
@pytest.mark.parametrize("kind", sorted(STORED_TYPES))
def test_the_check_agrees_with_the_format_for_every_stored_type(
    pristine: Pristine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, batch: int
) -> None:
    monkeypatch.setattr(rowauth, "CHECK_BATCH", batch)
    folder = copy_vault(pristine, tmp_path)
    _folder, case_id, _other = pristine
    keys = _keys(folder)
    # NULL goes where the schema allows it (a person merged into no one).
    table, column = ("person", "merged_into_id") if kind == "null" else ("page", "page_index")
    spec = SPECS[table]
    value = STORED_TYPES[kind]
    with attacker(folder) as db:
        id_column, row_id = victim(db, table, case_id)
        where = f"WHERE {id_column} = ?"
        if kind == "text not UTF-8":
            db.execute(f"UPDATE {table} SET {column} = {value} {where}", (row_id,))
        else:
            db.execute(
                f"UPDATE {table} SET {column} = ?, row_mac = row_mac {where}", (value, row_id)
            )
        db.commit()
        (stored_kind,) = db.execute(
            f"SELECT typeof({column}) FROM {table} {where}", (row_id,)
        ).fetchone()
        assert stored_kind == kind.split()[0]
        unsigned = check_rows(db, spec, keys[case_id], "case_id = ?", (case_id,))
        assert unsigned.altered == ([] if kind == "null" else [f"{table} row {row_id}"])
        record = db.execute(f"{spec.select_sql()} {where}", (row_id,)).fetchone()
        typed = [(c, record[2 * i], record[2 * i + 1]) for i, c in enumerate(spec.columns)]
        mac = _reference_mac(keys[case_id], table, typed)
        db.execute(f"UPDATE {table} SET row_mac = ? {where}", (mac, row_id))
        signed = check_rows(db, spec, keys[case_id], "case_id = ?", (case_id,))
    assert signed.altered == []
    assert signed.count == unsigned.count > 1
    assert (signed.total != unsigned.total) == (kind != "null")


@pytest.mark.parametrize("batch", [1, 2, 5, 512])
def test_the_check_finds_every_altered_row_whichever_batch_holds_it(
    pristine: Pristine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    """Batches are checked while the next is read, some by another thread: every altered row
    is still named, in the order the rows are read, and the count, the sum and the MACs kept
    per document are those of the rows one at a time."""
    monkeypatch.setattr(rowauth, "CHECK_BATCH", batch)
    folder = copy_vault(pristine, tmp_path)
    _folder, case_id, _other = pristine
    keys = _keys(folder)
    spec = SPECS["page"]
    where = "WHERE case_id = ?"
    with attacker(folder) as db:
        ids = [row_id for (row_id,) in db.execute(f"SELECT id FROM page {where}", (case_id,))]
        assert len(ids) >= 8
        hit = sorted(set(ids[::3] + ids[-1:]))  # the first row, every third, the last
        marks = ", ".join("?" * len(hit))
        db.execute(f"UPDATE page SET page_index = page_index + 1000 WHERE id IN ({marks})", hit)
        db.commit()
        altered, count, total, kept = [], 0, 0, {}
        for typed, stored in _typed_rows_where(db, spec, where, case_id):
            count += 1
            total += int.from_bytes(stored, "big")
            doc = dict((c, v) for c, _k, v in typed)["document_id"].decode()
            kept[doc] = kept.get(doc, 0) + int.from_bytes(stored, "big")
            if stored != _reference_mac(keys[case_id], spec.name, typed):
                row_id = dict((c, v) for c, _k, v in typed)["id"]
                altered.append(f"page row {row_id.decode()}")
        assert sorted(altered) == sorted(f"page row {row_id}" for row_id in hit)
        found: dict[Any, int] = {}
        keep = ("document_id", found)
        checked = check_rows(db, spec, keys[case_id], "case_id = ?", (case_id,), keep)
    assert checked.altered == altered
    assert (checked.count, checked.total) == (count, total % rowauth.MODULUS)
    assert found == kept


def _typed_rows_where(
    db: sqlite3.Connection, spec: TableSpec, where: str, scope: str
) -> Iterator[tuple[list[Any], bytes]]:
    for record in db.execute(f"{spec.select_sql()} {where}", (scope,)):
        typed = [
            (column, record[2 * i], record[2 * i + 1]) for i, column in enumerate(spec.columns)
        ]
        yield typed, record[-1]


def test_the_check_needs_no_new_thread_while_the_interpreter_exits(
    pristine: Pristine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A check on a thread that outlives the main one (an export finishing as the app quits)
    may not start its helper: it checks every batch itself, and finds the same."""
    monkeypatch.setattr(rowauth, "CHECK_BATCH", 1)
    folder = copy_vault(pristine, tmp_path)
    _folder, case_id, _other = pristine
    key = _keys(folder)[case_id]
    with attacker(folder) as db:
        _id_column, row_id = victim(db, "page", case_id)
        db.execute("UPDATE page SET page_index = page_index + 1000 WHERE id = ?", (row_id,))
        db.commit()
        spec = SPECS["page"]
        expected = check_rows(db, spec, key, "case_id = ?", (case_id,))
        monkeypatch.setattr(concurrent.futures.thread, "_shutdown", True)
        exiting = check_rows(db, spec, key, "case_id = ?", (case_id,))
    assert exiting.altered == expected.altered == [f"page row {row_id}"]
    assert (exiting.count, exiting.total) == (expected.count, expected.total)
