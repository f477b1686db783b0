"""A large case's pages checked in worker processes while the caller checks the rest.

Checking every row of a case (`rowauth.check_rows`) is what the user waits for at its first
use after unlocking: at 50,000 pages, 200 MB of sealed text read and hashed on one thread
(0.48 CPU-s). A worker process takes the page rows above the middle of the case's rowids, in
its own read of the catalog, while the caller checks the rest: on two cores, half the wait.
Or two workers take them all (`ahead`), while the caller does what needs no checked row (a
search reads its index) and then waits for them. A worker runs `rowmac` alone (the standard
library, no app imports: milliseconds to start), is handed the row key through a pipe, and
writes nothing.

Its figures count only if its read saw the catalog as the caller's did: the vault's inventory,
whose counter moves at every commit, read the same in both. Otherwise, and whenever it fails,
finds an altered row or takes too long, the caller checks those rows itself, in its own read,
and names them as ever: the worker can make a check faster, never weaker.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dossier.db import rowmac
from dossier.db.rowauth import TableSpec

SPLIT_ROWS = 10_000
"""Page rows a case needs before a worker is worth its start (about 30 ms of wall time)."""
WAIT_SECONDS = 60.0
"""How long the caller waits for the worker's figures before checking its rows itself."""
_RUN = "import sys; sys.path.append(sys.argv[1]); import rowmac; rowmac.serve()"

Span = tuple[int | None, int | None]
"""Rows by rowid: above the first (None: from the first row), up to the second (None: to the
last)."""


@dataclass(frozen=True)
class Share:
    """What the worker found in its rows, none altered: how many, the sum of their stored MACs
    (not reduced), and those MACs summed by the kept column's value."""

    count: int
    total: int
    kept: dict[str, int]


class PageWorker:
    """A worker checking the case's rows of a table within `span`."""

    def __init__(self, process: subprocess.Popen[bytes], span: Span) -> None:
        self._process = process
        self.span = span

    def share(self, vault_inventory: tuple[bytes, bytes] | None) -> Share | None:
        """The worker's figures if its read saw the vault's inventory as `vault_inventory`
        (body, MAC) and it found no altered row; None: the caller checks those rows."""
        if vault_inventory is None:
            return None
        found = self.answer()
        if found is None:
            return None
        try:
            if found["vault"] != [vault_inventory[0].hex(), vault_inventory[1].hex()]:
                return None  # a commit between the two reads
            if found["altered"] != 0:
                return None  # named by the caller's own check
            kept = {str(value): int(number) for value, number in found["kept"]}
            return Share(int(found["count"]), int(found["total"]), kept)
        except (ValueError, TypeError, KeyError):
            return None

    def answer(self) -> dict[str, Any] | None:
        """What the worker wrote, or None if it failed, took too long or wrote no object."""
        try:
            out, _err = self._process.communicate(timeout=WAIT_SECONDS)
        except (subprocess.TimeoutExpired, OSError, ValueError, RuntimeError):
            # RuntimeError: on Windows, waiting takes threads, refused while Python exits.
            return None
        if self._process.returncode != 0:
            return None
        try:
            found = json.loads(out)
        except ValueError:
            return None
        return found if isinstance(found, dict) else None

    def stop(self) -> None:
        """End the worker if it still runs, and wait for it (no process left behind)."""
        with contextlib.suppress(OSError):
            if self._process.poll() is None:
                self._process.kill()
            self._process.wait()
        for pipe in (self._process.stdin, self._process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


def span_sql(span: Span) -> tuple[str, list[int]]:
    """SQL (after `case_id = ? AND `) and parameters of the rows within `span`."""
    parts: list[str] = []
    params: list[int] = []
    if span[0] is not None:
        parts.append("rowid > ?")
        params.append(span[0])
    if span[1] is not None:
        parts.append("rowid <= ?")
        params.append(span[1])
    return " AND ".join(parts) or "1", params


def rest(spans: list[Span]) -> list[Span]:
    """The rows none of `spans` (contiguous, in order) covers: the caller's own to check."""
    if not spans:
        return [(None, None)]
    left: list[Span] = []
    if spans[0][0] is not None:
        left.append((None, spans[0][0]))
    if spans[-1][1] is not None:
        left.append((spans[-1][1], None))
    return left


def _command() -> list[str] | None:
    """How to start a worker, or None where none can start (an interpreter embedded without
    an executable): the frozen app runs itself with `rowmac.SERVE_FLAG`, which it answers
    before importing anything of its own; from source, Python runs `rowmac` alone, isolated
    from the user's site packages and environment."""
    if not sys.executable:
        return None
    if getattr(sys, "frozen", False):
        return [sys.executable, rowmac.SERVE_FLAG]
    if not Path(rowmac.__file__).is_file():
        return None
    return [sys.executable, "-I", "-S", "-c", _RUN, str(Path(rowmac.__file__).parent)]


def start(
    conn: Any,
    catalog: Path,
    spec: TableSpec,
    case_id: str,
    rows: int,
    key: bytes,
    keep: str | None,
    *,
    ahead: bool = False,
) -> list[PageWorker]:
    """Workers checking the case's rows of `spec` (`rows` of them, by its inventory), started
    now: one for the upper half by rowid (the caller checks the lower), or with `ahead` two
    for all of them. None when the case is too small or no worker can start here: the caller
    checks every row itself then."""
    if rows < SPLIT_ROWS or _command() is None:
        return []
    raw = conn.connection.driver_connection if hasattr(conn, "exec_driver_sql") else conn
    where = f"SELECT rowid FROM {spec.quoted} WHERE case_id = ? ORDER BY rowid"
    low = raw.execute(f"{where} LIMIT 1", (case_id,)).fetchone()
    high = raw.execute(f"{where} DESC LIMIT 1", (case_id,)).fetchone()
    if low is None or high is None or not isinstance(low[0], int) or not isinstance(high[0], int):
        # Not the table's own rowids: a column named rowid, planted, hides them from any
        # query (NULL there would leave rows out of every span). The caller checks them all.
        return []
    middle = (low[0] + high[0]) // 2
    spans: list[Span] = [(None, middle), (middle, None)] if ahead else [(middle, None)]
    workers = []
    for span in spans:
        worker = _start(catalog, spec, case_id, span, key, keep)
        if worker is not None:
            workers.append(worker)
    return workers


def _start(
    catalog: Path, spec: TableSpec, case_id: str, span: Span, key: bytes, keep: str | None
) -> PageWorker | None:
    within, params = span_sql(span)
    request = {
        "uri": f"{catalog.resolve().as_uri()}?mode=ro",
        "table": spec.name,
        "columns": list(spec.columns),
        "keep": keep,
        "sql": f"{spec.plain_select_sql()} WHERE case_id = ? AND {within}",
        "params": [case_id, *params],
    }
    command = _command()
    if command is None:
        return None
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
    except OSError:
        return None
    worker = PageWorker(process, span)
    try:
        assert process.stdin is not None
        # Left open (`share` closes it): one line after the key, read at once.
        process.stdin.write(key + json.dumps(request).encode() + b"\n")
        process.stdin.flush()
    except OSError:  # it died at once
        worker.stop()
        return None
    return worker


def probe(catalog: Path, spec: TableSpec, case_id: str) -> dict[str, Any] | None:
    """What a worker answers for all the case's rows of `spec` under a key of zeros (every row
    altered), or None if none could start or answer: the self-test's proof that this
    installation, frozen or not, can start one."""
    worker = _start(catalog, spec, case_id, (None, None), bytes(rowmac.KEY_LEN), None)
    if worker is None:
        return None
    try:
        return worker.answer()
    finally:
        worker.stop()
