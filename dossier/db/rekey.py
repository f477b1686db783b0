"""Re-encrypt every catalog row of one case under a new case key, in the caller's transaction.

Works on the rows as stored, not through the ORM: each sealed payload and sealed side column
is opened under the old field key and sealed again under the new one with the same associated
data (table, column, row id, case id), so a case of 50,000 pages is never loaded as objects.
Payloads are parsed only where they must change: the GCM tags of side columns they record,
and a document's original blob id (blob ids are keyed, so new keys give new ids).

Then every row MAC of the case and its inventory are recomputed under the new row key, and
the vault inventory follows. The caller must have checked the case under its old keys first:
recomputing MACs from what is stored would otherwise bless a change made outside Dossier.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from dossier.crypto import aead
from dossier.crypto.keys import CaseKeys
from dossier.db import originals
from dossier.db.base import Base
from dossier.db.inventory import INVENTORIES, Inventory, load, read_raw, store
from dossier.db.rowauth import CASE_TABLES, CHANGES, VAULT_SCOPE, TableSpec, mac_to_int, read_rows
from dossier.db.sealed import TAGS, seal_ad
from dossier.errors import CorruptData
from dossier.i18n import _

BATCH = 256
"""Rows read at a time: word maps make page rows large."""


def _side_columns(table: str) -> tuple[str, ...]:
    return tuple(
        c.name for c in Base.metadata.tables[table].columns if c.name.startswith("sealed_")
    )


def _fetch(conn: Any, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    result = conn.exec_driver_sql(sql, params)
    return list(result.fetchall()) if result.returns_rows else []


def _batches(conn: Any, spec: TableSpec, case_id: str, columns: str) -> Iterator[list[Any]]:
    ids = [
        row[0]
        for row in _fetch(conn, f"SELECT id FROM {spec.quoted} WHERE case_id = ?", (case_id,))
    ]
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        marks = ", ".join("?" * len(chunk))
        yield _fetch(
            conn, f"SELECT {columns} FROM {spec.quoted} WHERE id IN ({marks})", tuple(chunk)
        )


def referenced_blobs(conn: Any, case_id: str, keys: CaseKeys) -> set[str]:
    """Blob ids the case's documents point to, read from their sealed payloads."""
    found: set[str] = set()
    spec = next(s for s in CASE_TABLES if s.name == "document")
    for batch in _batches(conn, spec, case_id, "id, sealed"):
        for row_id, payload in batch:
            data = _payload(keys, "document", row_id, case_id, payload)
            blob = data.get("original_blob")
            if isinstance(blob, str) and blob:
                found.add(blob)
    return found


def _payload(keys: CaseKeys, table: str, row_id: str, case_id: str, raw: bytes) -> dict[str, Any]:
    plain = aead.open_sealed(keys.fields, raw, seal_ad(table, "sealed", row_id, case_id), table)
    try:
        data = json.loads(plain)
    except ValueError:
        raise CorruptData(
            _("{table} {row_id} holds an unreadable payload").format(table=table, row_id=row_id)
        ) from None
    if not isinstance(data, dict):
        raise CorruptData(
            _("{table} {row_id} holds an unreadable payload").format(table=table, row_id=row_id)
        )
    return data


def reseal_case_rows(
    conn: Any, case_id: str, old: CaseKeys, new: CaseKeys, blob_ids: Mapping[str, str]
) -> int:
    """Seal every row of the case again under `new`; `blob_ids` maps old blob ids to new ones."""
    count = 0
    for spec in CASE_TABLES:
        side = _side_columns(spec.name)
        columns = ", ".join(["id", "sealed", *(f'"{c}"' for c in side)])
        for batch in _batches(conn, spec, case_id, columns):
            for row_id, payload, *extras in batch:
                if spec.name == originals.TABLE:
                    _original(conn, row_id, payload, extras[0], old, new)
                    count += 1
                    continue
                updates = _resealed(spec.name, row_id, case_id, payload, side, extras, old, new)
                if spec.name == "document" and updates:
                    updates["sealed"] = _document(row_id, case_id, updates["sealed"], new, blob_ids)
                if updates:
                    sets = ", ".join(f'"{column}" = ?' for column in updates)
                    _fetch(
                        conn,
                        f"UPDATE {spec.quoted} SET {sets} WHERE id = ?",
                        (*updates.values(), row_id),
                    )
                count += 1
    return count


def _original(
    conn: Any, row_id: str, payload: bytes, content: bytes | None, old: CaseKeys, new: CaseKeys
) -> None:
    """A small original sealed in the catalog, under `new` and the new id its content has
    under `new` (the id of its file, were it one: the id its documents are given)."""
    new_id, sealed, sealed_content = originals.resealed(old, new, row_id, payload, content)
    _fetch(
        conn,
        "UPDATE original SET id = ?, sealed = ?, sealed_content = ? WHERE id = ?",
        (new_id, sealed, sealed_content, row_id),
    )


def _resealed(
    table: str,
    row_id: str,
    case_id: str,
    payload: bytes | None,
    side: tuple[str, ...],
    extras: list[Any],
    old: CaseKeys,
    new: CaseKeys,
) -> dict[str, bytes]:
    updates: dict[str, bytes] = {}
    if not payload:
        return updates
    plain = aead.open_sealed(old.fields, payload, seal_ad(table, "sealed", row_id, case_id), table)
    present = [(column, raw) for column, raw in zip(side, extras, strict=True) if raw]
    if present:
        data = json.loads(plain)
        tags = dict(data.get(TAGS, {}))
        for column, raw in present:
            ad = seal_ad(table, column, row_id, case_id)
            envelope = _again(new, aead.open_sealed(old.fields, raw, ad, table), ad, raw)
            updates[column] = envelope
            tags[column] = envelope[-aead.TAG_LEN :].hex()
        data[TAGS] = tags
        plain = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    updates["sealed"] = _again(new, plain, seal_ad(table, "sealed", row_id, case_id), payload)
    return updates


def _again(keys: CaseKeys, plain: bytes, ad: bytes, before: bytes) -> bytes:
    """`plain` sealed under `keys` at the padded size it had (a document's pages keep sharing
    one size); a value written before padding is padded to its own size."""
    return aead.seal_padded(keys.fields, plain, ad, aead.sealed_size(before))


def _document(
    row_id: str, case_id: str, sealed: bytes, keys: CaseKeys, blob_ids: Mapping[str, str]
) -> bytes:
    data = _payload(keys, "document", row_id, case_id, sealed)
    blob = data.get("original_blob")
    if not blob:
        return sealed
    if blob not in blob_ids:
        raise CorruptData(
            _("document {row_id}: its original was not re-encrypted").format(row_id=row_id)
        )
    data["original_blob"] = blob_ids[blob]
    plain = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return _again(keys, plain, seal_ad("document", "sealed", row_id, case_id), sealed)


def reseal_case_row(conn: Any, case_id: str, old: CaseKeys, new: CaseKeys, wrapped: bytes) -> None:
    """The case row itself: its payload under the new key, the new key's wrapped form."""
    rows = _fetch(conn, 'SELECT sealed FROM "case" WHERE id = ?', (case_id,))
    if not rows:
        raise CorruptData(_("case {case_id} is gone").format(case_id=case_id))
    ad = seal_ad("case", "sealed", case_id, case_id)
    plain = aead.open_sealed(old.fields, rows[0][0], ad, "case")
    _fetch(
        conn,
        'UPDATE "case" SET sealed = ?, wrapped_key = ? WHERE id = ?',
        (_again(new, plain, ad, rows[0][0]), wrapped, case_id),
    )


def rebuild_case_inventory(conn: Any, case_id: str, key: bytes, vault_key: bytes) -> None:
    """Recompute the MAC of every row of the case and its inventory under `key`."""
    vault = load(conn, VAULT_SCOPE, vault_key)
    raw = read_raw(conn, case_id)
    if raw is not None:
        vault.add(INVENTORIES, -1, -mac_to_int(raw[1]))
    inventory = Inventory(case_id, counter=vault.counter)
    for spec in CASE_TABLES:
        for row in list(read_rows(conn, spec, "case_id = ?", (case_id,))):
            mac = row.mac(key)
            _fetch(conn, f"UPDATE {spec.quoted} SET row_mac = ? WHERE id = ?", (mac, row.row_id))
            inventory.add(spec.name, 1, mac_to_int(mac))
    vault.add(INVENTORIES, 1, mac_to_int(store(conn, inventory, key)))
    store(conn, vault, vault_key)
    # The rows of this case are accounted for; the commit re-MACs only the vault-level rows.
    names = tuple(spec.name for spec in CASE_TABLES)
    _fetch(conn, f"DELETE FROM temp.{CHANGES} WHERE tbl IN ({', '.join('?' * len(names))})", names)
