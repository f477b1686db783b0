"""The check of catalog rows against their MACs, in the standard library alone.

`dossier.db.rowauth` checks a case's rows with it, and so does the worker process that checks
part of a large case's pages beside it (`dossier.db.rowworker`): that process imports this
module and nothing else, so it starts in milliseconds rather than the app's second of
imports. Run as a script (`serve`), it reads the key and what to check on its standard input
and writes what it found on its standard output; it writes nothing else anywhere.
"""

from __future__ import annotations

import functools
import hmac
import json
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

DOMAIN = b"dossier/row/v1\x00"
SERVE_FLAG = "--check-catalog-rows"
"""The frozen app started with this flag serves as a worker (`serve`), then exits: its
executable is the app, the only Python it ships."""
KEY_LEN = 32
BATCH = 512
"""Rows the worker reads at a time (`rowauth.CHECK_BATCH` is the caller's)."""

KINDS: dict[type, str] = {
    bytes: "blob",
    str: "text",
    int: "integer",
    float: "real",
    type(None): "null",
}
"""SQLite's storage class (what typeof() says) of a value as the sqlite3 module returns it."""


def data(value: Any) -> bytes:
    """A stored value's bytes in a MAC: as read (text is read as bytes), a number's digits."""
    if value is None:
        return b""
    if isinstance(value, bytes):
        return value
    if isinstance(value, float):
        return value.hex().encode()
    return str(value).encode()


@functools.cache
def prefix(column: str, kind: str) -> bytes:
    name = column.encode()
    tag = kind.encode()
    return len(name).to_bytes(2, "big") + name + len(tag).to_bytes(1, "big") + tag


class Prefixes(dict[Any, bytes]):
    """A column's MAC prefix for each stored type, made the first time that type is seen."""

    def __init__(self, column: str) -> None:
        super().__init__()
        self.column = column

    def __missing__(self, kind: Any) -> bytes:
        # A stored type as typeof() names it, or a value's Python type.
        made = self[kind] = prefix(self.column, KINDS.get(kind, str(kind)))
        return made


@dataclass
class Checked:
    """One batch's check: how many rows, the sum of their stored MACs (as numbers), the
    records whose MAC does not match, and the stored MACs summed by `keep`'s column."""

    count: int
    total: int
    altered: list[Any]
    kept: dict[Any, int]


def batch_check(
    table: str, columns: tuple[str, ...], key: bytes, keep_column: str | None, *, typed: bool
) -> Callable[[list[Any]], Checked]:
    """What checks one batch of rows of `table` read as (type, value) pairs of `columns`
    (`typed`) or as their values, then the stored MAC: safe on any thread."""
    n = len(columns)
    head = DOMAIN + table.encode() + b"\x00"
    # Each column's (where its value is, where its type is or -1: its Python type tells it,
    # its prefix by type), the prefix looked up per value instead of made per value.
    places = [
        (2 * i + 1, 2 * i, Prefixes(c)) if typed else (i, -1, Prefixes(c))
        for i, c in enumerate(columns)
    ]
    width = 2 * n if typed else n
    keeping = keep_column is not None
    at = places[columns.index(keep_column)][0] if keep_column is not None else 0

    def check(records: list[Any]) -> Checked:
        digest, same, to_int = hmac.digest, hmac.compare_digest, int.from_bytes
        total = 0
        altered: list[Any] = []
        kept: dict[Any, int] = {}
        kept_get = kept.get
        for record in records:
            stored = record[width]
            stored = stored if isinstance(stored, bytes) else b""
            number = to_int(stored, "big")
            total += number
            parts = [head]
            for v, k, by_kind in places:
                value = record[v]
                of = type(value)
                # Ids are text: encoded here, not through a call per value.
                found = value if of is bytes else value.encode() if of is str else data(value)
                parts += (
                    by_kind[record[k] if k >= 0 else of],
                    len(found).to_bytes(8, "big"),
                    found,
                )
            if not same(stored, digest(key, b"".join(parts), "sha256")):
                altered.append(record)
            if keeping:
                kept[record[at]] = kept_get(record[at], 0) + number
        return Checked(len(records), total, altered, kept)

    return check


def serve() -> None:
    """The worker: check the rows the request names, in one read of the catalog, and say what
    it found, with the vault's inventory as that read saw it (its counter moves at every
    commit: the parent takes the figures only if it read the same)."""
    _no_memory_image()  # before the key is in this process's memory
    key = sys.stdin.buffer.read(KEY_LEN)
    request = json.loads(sys.stdin.buffer.readline())
    db = sqlite3.connect(request["uri"], uri=True, isolation_level=None)
    try:
        db.execute("PRAGMA busy_timeout=5000")
        # The file mapped, not read into SQLite's cache page by page: 5-8% less CPU for the
        # 200 MB of a 50,000-page case. A file truncated under the mapping ends this process
        # alone (SIGBUS), and the app checks its pages itself.
        db.execute("PRAGMA mmap_size=2147418112")
        db.execute("BEGIN")
        body, mac = db.execute(
            "SELECT CAST(body AS BLOB), mac FROM inventory WHERE scope = ''"
        ).fetchone()
        columns = tuple(request["columns"])
        check = batch_check(request["table"], columns, key, request["keep"], typed=False)
        cursor = db.execute(request["sql"], request["params"])
        count = total = altered = 0
        kept: dict[str, int] = {}
        while records := cursor.fetchmany(BATCH):
            part = check(records)
            count += part.count
            total += part.total
            altered += len(part.altered)
            for value, number in part.kept.items():
                if not isinstance(value, str):  # not text: the parent reads these rows itself
                    raise TypeError("kept by a value that is not text")
                kept[value] = kept.get(value, 0) + number
    finally:
        db.close()
    found = {
        "vault": [body.hex(), mac.hex()],
        "count": count,
        "total": total,
        "altered": altered,
        "kept": sorted(kept.items()),
    }
    sys.stdout.write(json.dumps(found))


if __name__ == "__main__":
    serve()


def _no_memory_image() -> None:
    """`dossier.crypto.nodump.forbid_core_dumps`, which this module, run alone, cannot import:
    the key it is handed would be in a crash's memory image, and the catalog it maps ends it
    with SIGBUS when cut short under it. Not dumpable, as a crash handler program (apport)
    ignores the core limit the app leaves to its children."""
    if sys.platform == "win32":
        return
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_dumpable = 4
        if ctypes.CDLL(None, use_errno=True).prctl(pr_set_dumpable, 0, 0, 0, 0) < 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE) failed")
