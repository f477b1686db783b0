"""Inventories: the authenticated set of rows of each case, and of the vault itself.

Row MACs catch an edited row; they cannot see a row that was deleted, or an old row put back.
Each scope (a case, or the vault) therefore keeps one inventory row: per table, the number of
rows and the sum (mod 2^256) of their row MACs, with a counter, MAC'd under the scope's key.
A deleted, added, duplicated or moved row changes a count or a sum. The sums are updated
incrementally at each commit (old MACs out, new MACs in), so a commit costs what it changed,
and a case whose rows were tampered with stays inconsistent: a later commit never launders it.

The vault inventory also sums the MACs of every case inventory, so one case cannot be rolled
back to an older copy on its own, and carries a counter bumped at every commit, which the
computer remembers (`dossier.vault.seen`) to notice a whole catalog rolled back.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DBAPIError

from dossier.db import rowworker
from dossier.db.rowauth import (
    CASE_TABLES,
    CHANGES,
    MODULUS,
    SPECS,
    VAULT_SCOPE,
    VAULT_SPECS,
    StoredRow,
    TableCheck,
    TableSpec,
    changes_sql,
    check_rows,
    mac_to_int,
    read_rows,
    read_rows_by_id,
    stored_row,
)
from dossier.db.schema import problems_at_commit
from dossier.errors import CorruptData, NotFoundError
from dossier.i18n import _

INVENTORIES = "inventory"
"""Pseudo-table of the vault inventory: the case inventories themselves."""
_DOMAIN = b"dossier/inventory/v1\x00"

KeyFor = Callable[[str], bytes]
"""Row key of a scope (a case id, or VAULT_SCOPE)."""
MadeAhead = tuple[StoredRow, bytes, bytes]
"""A row as stored, the key it was MACed under and its MAC, made before the commit."""


@dataclass
class Inventory:
    scope: str
    counter: int = 0
    tables: dict[str, list[int]] = field(default_factory=dict)
    """table -> [row count, sum of row MACs mod 2^256]."""
    master: str = ""
    """Vault scope only: id of the master key the catalog is under (passphrase changes)."""

    def body(self) -> bytes:
        data: dict[str, Any] = {
            "v": 1,
            "counter": self.counter,
            "tables": {t: [c, format(s, "x")] for t, (c, s) in sorted(self.tables.items())},
        }
        if self.master:
            data["master"] = self.master
        return json.dumps(data, sort_keys=True, separators=(",", ":")).encode()

    def mac(self, key: bytes) -> bytes:
        return compute_mac(key, self.scope, self.body())

    def add(self, table: str, count: int, mac_sum: int) -> None:
        entry = self.tables.setdefault(table, [0, 0])
        entry[0] += count
        entry[1] = (entry[1] + mac_sum) % MODULUS

    def entry(self, table: str) -> tuple[int, int]:
        count, total = self.tables.get(table, [0, 0])
        return count, total


def compute_mac(key: bytes, scope: str, body: bytes) -> bytes:
    return hmac.new(key, _DOMAIN + scope.encode() + b"\x00" + body, hashlib.sha256).digest()


def _parse(scope: str, body: bytes) -> Inventory:
    try:
        data = json.loads(body)
        tables = {str(t): [int(entry[0]), int(entry[1], 16)] for t, entry in data["tables"].items()}
        return Inventory(scope, int(data["counter"]), tables, str(data.get("master", "")))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        raise CorruptData(
            _("the inventory of {scope} is unreadable").format(scope=_label(scope))
        ) from None


def _label(scope: str) -> str:
    return "the vault" if scope == VAULT_SCOPE else f"case {scope}"


def read_raw(conn: Any, scope: str) -> tuple[bytes, bytes] | None:
    """(body, mac) of a scope's inventory as stored, or None."""
    rows = _fetch(
        conn,
        f"SELECT CAST(body AS BLOB), mac FROM {INVENTORIES} WHERE scope = ?",
        (scope,),
    )
    if not rows:
        return None
    body, mac = rows[0]
    return (body if isinstance(body, bytes) else b""), (mac if isinstance(mac, bytes) else b"")


def load(conn: Any, scope: str, key: bytes) -> Inventory:
    """The scope's inventory, authenticated; CorruptData if missing or altered."""
    raw = read_raw(conn, scope)
    if raw is None:
        raise CorruptData(
            _("the inventory of {scope} is missing (rows were removed)").format(scope=_label(scope))
        )
    return _authentic(scope, raw, key)


def _authentic(scope: str, raw: tuple[bytes, bytes], key: bytes) -> Inventory:
    """The inventory `raw` holds (as `read_raw` read it); CorruptData unless it carries its MAC."""
    body, mac = raw
    if not hmac.compare_digest(mac, compute_mac(key, scope, body)):
        raise CorruptData(_("the inventory of {scope} was altered").format(scope=_label(scope)))
    return _parse(scope, body)


def store(conn: Any, inventory: Inventory, key: bytes) -> bytes:
    mac = inventory.mac(key)
    _fetch(
        conn,
        f"INSERT OR REPLACE INTO {INVENTORIES} (scope, body, mac) VALUES (?, ?, ?)",
        (inventory.scope, inventory.body().decode(), mac),
    )
    return mac


def create_vault_inventory(conn: Any, key: bytes, master: str) -> None:
    store(conn, Inventory(VAULT_SCOPE, master=master), key)


def rebuild_vault(conn: Any, key: bytes, master: str, counter: int) -> None:
    """Recompute every vault-level MAC and the vault inventory under `key` (master change).

    Only after `verify_vault` found nothing, inside the transaction that changes the master:
    recomputing from what is stored would otherwise bless a change made outside Dossier.
    """
    vault = Inventory(VAULT_SCOPE, counter=counter, master=master)
    for spec in VAULT_SPECS:
        for row in list(read_rows(conn, spec)):
            mac = row.mac(key)
            _fetch(
                conn,
                f'UPDATE {spec.quoted} SET row_mac = ? WHERE "{spec.id_column}" = ?',
                (mac, row.row_id),
            )
            vault.add(spec.name, 1, mac_to_int(mac))
    for (mac,) in _fetch(conn, f"SELECT mac FROM {INVENTORIES} WHERE scope != ''"):
        vault.add(INVENTORIES, 1, mac_to_int(mac) if isinstance(mac, bytes) else 0)
    _fetch(
        conn,
        f"DELETE FROM temp.{CHANGES} WHERE tbl IN ({', '.join('?' * len(VAULT_SPECS))})",
        tuple(spec.name for spec in VAULT_SPECS),
    )
    store(conn, vault, key)


def current_counter(conn: Any, key: bytes) -> int:
    return load(conn, VAULT_SCOPE, key).counter


# -- at commit ----------------------------------------------------------------------------------


def seal_changes(
    conn: Any, key_for: KeyFor, ahead: dict[tuple[str, str], MadeAhead] | None = None
) -> tuple[dict[tuple[str, Any], bytes], int | None]:
    """Re-MAC the rows this transaction touched and update the inventories: the MACs written,
    by (table, row id), as the commit stores them (empty if nothing changed), and the vault
    inventory's counter now (None if nothing changed). `ahead`: MACs
    made earlier in the transaction, each taken for a row read now with the same stored
    values, under the same key (the same MAC: an import's rows were MACed twice).

    CorruptData, before anything is signed, if a row the transaction changed or deleted was
    not authentic before it: someone changed it behind Dossier's back (the vault was open,
    the case already checked). The caller rolls back; the altered row stays for fsck.
    """
    changed = _changes(conn)
    if not changed:
        return {}, None
    planted = problems_at_commit(conn)
    if planted:
        raise CorruptData(
            _(
                "the catalog's schema was altered outside Dossier while the vault was open "
                "({problem}), so nothing of this change was saved; run 'dossier fsck' and "
                "restore a backup"
            ).format(problem=planted[0])
        )
    rows = read_rows_by_id(conn, [(entry[0], entry[1]) for entry in changed])
    destroyed = {
        str(entry[1])
        for entry, row in zip(changed, rows, strict=True)
        if entry[0] == "case" and entry[4] and row is None
    }
    for entry, row in zip(changed, rows, strict=True):
        if entry[4]:
            _check_old(entry, row, key_for, destroyed)
    deltas: dict[str, Inventory] = {}
    created: set[str] = set()
    macs: dict[str, list[tuple[bytes, Any]]] = {}
    sealed: dict[tuple[str, Any], bytes] = {}
    for (table, row_id, old_scope, old_mac, existed, *_old), row in zip(changed, rows, strict=True):
        if existed:
            old = mac_to_int(old_mac) if isinstance(old_mac, bytes) else 0
            _delta(deltas, str(old_scope or ""), table).add(table, -1, -old)
        if row is not None:
            mac = _mac_of(row, key_for(row.scope), (ahead or {}).get((table, str(row_id))))
            if mac != row.stored_mac:  # not a row inserted with its MAC (`dossier.db.bulk`)
                macs.setdefault(table, []).append((mac, row_id))
            sealed[(table, row_id)] = mac
            _delta(deltas, row.scope, table).add(table, 1, mac_to_int(mac))
        if table == "case" and row is not None and not existed:
            created.add(str(row_id))
    for table, written in macs.items():
        spec = SPECS[table]
        _fetch_many(
            conn, f'UPDATE {spec.quoted} SET row_mac = ? WHERE "{spec.id_column}" = ?', written
        )
    _fetch(conn, f"DELETE FROM temp.{CHANGES}")
    vault_key = key_for(VAULT_SCOPE)
    vault = load(conn, VAULT_SCOPE, vault_key)
    vault.counter += 1
    for scope in sorted((set(deltas) | created) - {VAULT_SCOPE}):
        _update_case_inventory(conn, scope, deltas.get(scope), vault, key_for, created, destroyed)
    if VAULT_SCOPE in deltas:
        for table, (count, total) in deltas[VAULT_SCOPE].tables.items():
            vault.add(table, count, total)
    store(conn, vault, vault_key)
    return sealed, vault.counter


def _mac_of(row: StoredRow, key: bytes, made: MadeAhead | None) -> bytes:
    """The row's MAC under `key`: the one made ahead if it was made of this very row."""
    if made is not None:
        before, made_key, mac = made
        if (
            made_key == key
            and before.spec is row.spec
            and before.types == row.types
            and before.values == row.values
            and ("real" not in row.types.values() or _same_reals(before, row))
        ):
            return mac
    return row.mac(key)


def _same_reals(before: StoredRow, row: StoredRow) -> bool:
    """Whether the rows' real values have the same bytes in a MAC: 0.0 == -0.0, yet a MAC
    made of one is not the other's."""
    return all(
        before.values[column].hex() == value.hex()
        for column, value in row.values.items()
        if row.types[column] == "real"
    )


def _check_old(entry: Any, row: StoredRow | None, key_for: KeyFor, destroyed: set[str]) -> None:
    """CorruptData unless the row, as it was before this transaction, carried its own MAC."""
    table, row_id, old_scope, old_mac, _existed, *values = entry
    scope = str(old_scope or "")
    if row is None and (scope in destroyed or (table == "case" and str(row_id) in destroyed)):
        return  # a whole case destroyed, even an altered one (its key is being shredded)
    spec = SPECS[table]
    before = stored_row(spec, values, old_mac)
    try:
        key = key_for(scope)
    except NotFoundError:  # a row moved to a case that does not exist
        key = b""
    if not key or not hmac.compare_digest(before.stored_mac, before.mac(key)):
        raise CorruptData(_altered(before.describe()))


def _update_case_inventory(
    conn: Any,
    scope: str,
    delta: Inventory | None,
    vault: Inventory,
    key_for: KeyFor,
    created: set[str],
    deleted: set[str],
) -> None:
    raw = read_raw(conn, scope)
    if raw is not None:
        vault.add(INVENTORIES, -1, -mac_to_int(raw[1]))
    if scope in deleted:
        _fetch(conn, f"DELETE FROM {INVENTORIES} WHERE scope = ?", (scope,))
        return
    key = key_for(scope)
    if raw is None:
        if scope not in created:
            raise CorruptData(
                _("the inventory of case {scope} is missing (rows were removed)").format(
                    scope=scope
                )
            )
        inventory = Inventory(scope)
    else:
        # Checked as read above, not read a second time: the same transaction, the same row.
        inventory = _authentic(scope, raw, key)
    if delta is not None:
        for table, (count, total) in delta.tables.items():
            inventory.add(table, count, total)
    inventory.counter = vault.counter
    mac = store(conn, inventory, key)
    vault.add(INVENTORIES, 1, mac_to_int(mac))


def _delta(deltas: dict[str, Inventory], scope: str, table: str) -> Inventory:
    inventory = deltas.get(scope)
    if inventory is None:
        inventory = deltas[scope] = Inventory(scope)
    return inventory


# -- verification -------------------------------------------------------------------------------


@dataclass
class CaseMacs:
    """The stored MACs of a case's document and page rows, as the case's check read them (as
    numbers): the search index compares its documents' versions with them
    (`services/indexversions.py`) without reading every page row a second time. Keyed by
    document id as read (`check_rows`): text, or bytes where a row stores no valid UTF-8."""

    documents: dict[Any, int] = field(default_factory=dict)
    """Each document's row MAC."""
    pages: dict[Any, int] = field(default_factory=dict)
    """The sum of the row MACs of each document's pages."""

    def keep(self, spec: TableSpec) -> tuple[str, dict[Any, int]] | None:
        """Where `check_rows` sums what a row of `spec` holds of this, or None."""
        if spec.name == "document":
            return "id", self.documents
        if spec.name == "page":
            return "document_id", self.pages
        return None


def verify_case(
    conn: Any,
    case_id: str,
    key: bytes,
    macs: CaseMacs | None = None,
    catalog: Path | None = None,
    ahead: list[rowworker.PageWorker] | None = None,
) -> list[str]:
    """Problems with the rows of one case: altered, added, removed or moved rows (with `macs`,
    the stored MACs of its documents and pages are kept there as they are read). With
    `catalog` (the file `conn` reads, in a transaction that only reads), a worker process
    checks half of a large case's pages meanwhile, or the workers `check_ahead` started
    check theirs (`rowworker`); this check stops them."""
    workers = list(ahead or ())
    try:
        try:
            inventory = load(conn, case_id, key)
        except CorruptData as exc:
            return [str(exc)]
        pages = SPECS["page"]
        page_keep = macs.keep(pages) if macs is not None else None
        if catalog is not None and ahead is None:
            rows = inventory.entry(pages.name)[0]
            column = page_keep[0] if page_keep else None
            workers = rowworker.start(conn, catalog, pages, case_id, rows, key, column)
        found: dict[str, TableCheck] = {}
        # The pages last, once the other tables are checked: the workers' part comes meanwhile.
        for spec in sorted(CASE_TABLES, key=lambda spec: spec is pages):
            keep = page_keep if spec is pages else macs.keep(spec) if macs is not None else None
            if spec is pages:
                found[spec.name] = _pages_checked(conn, workers, case_id, key, keep)
            else:
                found[spec.name] = check_rows(conn, spec, key, "case_id = ?", (case_id,), keep)
    finally:
        for worker in workers:
            worker.stop()
    problems: list[str] = []
    for spec in CASE_TABLES:
        problems += _check_table(inventory, spec.name, found[spec.name], f" of case {case_id}")
    return problems


def check_ahead(conn: Any, catalog: Path, case_id: str, key: bytes) -> list[rowworker.PageWorker]:
    """Workers checking every page of a large case, started now, for `verify_case` to take
    (`ahead`) once the caller has done what needs no checked row; none for a small case."""
    try:
        inventory = load(conn, case_id, key)
    except CorruptData:
        return []  # `verify_case` says so
    rows = inventory.entry("page")[0]
    pages = SPECS["page"]
    return rowworker.start(conn, catalog, pages, case_id, rows, key, "document_id", ahead=True)


def _pages_checked(
    conn: Any,
    workers: list[rowworker.PageWorker],
    case_id: str,
    key: bytes,
    keep: tuple[str, dict[Any, int]] | None,
) -> TableCheck:
    """The case's pages checked: those no worker checks here, then each worker's by the
    worker if its read saw what this one does (else here too)."""
    spec = SPECS["page"]
    vault = read_raw(conn, VAULT_SCOPE) if workers else None
    found = TableCheck()
    for span in rowworker.rest([worker.span for worker in workers]):
        _add(found, _check_span(conn, spec, case_id, span, key, keep))
    for worker in workers:
        share = worker.share(vault)
        if share is None:
            _add(found, _check_span(conn, spec, case_id, worker.span, key, keep))
            continue
        _add(found, TableCheck(share.count, share.total))
        if keep is not None:
            kept = keep[1]
            for value, number in share.kept.items():
                kept[value] = kept.get(value, 0) + number
    return found


def _check_span(
    conn: Any,
    spec: TableSpec,
    case_id: str,
    span: rowworker.Span,
    key: bytes,
    keep: tuple[str, dict[Any, int]] | None,
) -> TableCheck:
    within, params = rowworker.span_sql(span)
    return check_rows(conn, spec, key, f"case_id = ? AND {within}", (case_id, *params), keep)


def _add(found: TableCheck, part: TableCheck) -> None:
    found.count += part.count
    found.total = (found.total + part.total) % MODULUS
    found.altered += part.altered


def verify_vault(conn: Any, key: bytes) -> tuple[Inventory | None, list[str]]:
    """Problems with vault-level rows (cases, audit trail, secrets) and the case inventories."""
    try:
        inventory = load(conn, VAULT_SCOPE, key)
    except CorruptData as exc:
        return None, [str(exc)]
    problems: list[str] = []
    for spec in VAULT_SPECS:
        problems += _check_table(inventory, spec.name, check_rows(conn, spec, key), "")
    macs = [
        mac
        for _scope, mac in _fetch(conn, f"SELECT scope, mac FROM {INVENTORIES} WHERE scope != ''")
    ]
    count, total = inventory.entry(INVENTORIES)
    found = sum(mac_to_int(m) if isinstance(m, bytes) else 0 for m in macs) % MODULUS
    if count != len(macs) or total != found:
        problems.append(
            _(
                "case inventories were removed, added or replaced by older copies (the "
                "vault inventory lists {count}, the catalog holds {n})"
            ).format(count=count, n=len(macs))
        )
    return inventory, problems


def _check_table(inventory: Inventory, table: str, found: TableCheck, where: str) -> list[str]:
    problems = [
        _("{row} was altered, added or moved (row authentication failed)").format(row=row)
        for row in found.altered
    ]
    count, total = found.count, found.total
    expected_count, expected_total = inventory.entry(table)
    if count != expected_count:
        problems.append(
            _(
                "{table}: {count} row(s) {value}{where} (the inventory lists "
                "{expected_count}, the catalog holds {count2})"
            ).format(
                table=table,
                count=abs(count - expected_count),
                value=_("added") if count > expected_count else _("deleted"),
                where=where,
                expected_count=expected_count,
                count2=count,
            )
        )
    elif total != expected_total:
        problems.append(
            _("{table}: rows{where} were replaced or altered (inventory mismatch)").format(
                table=table, where=where
            )
        )
    return problems


def _fetch_many(conn: Any, sql: str, rows: list[tuple[Any, ...]]) -> None:
    """`sql` run once for each of `rows` in one call (the driver's executemany)."""
    if hasattr(conn, "exec_driver_sql"):
        conn.exec_driver_sql(sql, rows)
    else:
        conn.executemany(sql, rows)


def _changes(conn: Any) -> list[Any]:
    """The change capture's records (`changes_sql`); CorruptData naming the row whose id or
    case id is text that is not UTF-8, which only an edit outside Dossier stores (the driver
    cannot decode it): it is refused as any other altered row is, not as a damaged catalog."""
    try:
        return _fetch(conn, changes_sql())
    except (sqlite3.OperationalError, DBAPIError):
        for table, row_id, scope in _fetch(
            conn, f"SELECT tbl, CAST(id AS BLOB), CAST(old_scope AS BLOB) FROM temp.{CHANGES}"
        ):
            try:
                bytes(row_id).decode()
                bytes(scope or b"").decode()
            except UnicodeDecodeError:
                what = f"{table} row {bytes(row_id).decode('utf-8', 'replace')}"
                raise CorruptData(_altered(what)) from None
        raise


def _altered(what: str) -> str:
    return _(
        "the catalog was altered outside Dossier: {before} no longer matches "
        "its authentication, so it was not written again and nothing of this "
        "change was saved; run 'dossier fsck' for the full list and restore a "
        "backup"
    ).format(before=what)


def _fetch(conn: Any, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    if hasattr(conn, "exec_driver_sql"):
        result = conn.exec_driver_sql(sql, params)
        return list(result.fetchall()) if result.returns_rows else []
    return list(conn.execute(sql, params).fetchall())
