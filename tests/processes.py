"""Whether the processes a test started (index workers, a killed app) are still running."""

from __future__ import annotations

import time
from collections.abc import Iterable


def running(pid: int) -> bool:
    """A zombie or a dead process is not running (it only waits for its parent to reap it).

    The process can be reaped between opening its stat file and reading it: the read then fails
    with ProcessLookupError (ESRCH), which says "not running" as surely as a missing file does.
    """
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[-1][:1] not in "ZX"
    except (FileNotFoundError, ProcessLookupError):
        return False


def still_running(pids: Iterable[int], seconds: float = 120) -> list[int]:
    """The processes still running after up to `seconds` of waiting for them to end: a test
    asks whether they end, not how fast (a worker's exit takes seconds on a loaded machine),
    and processes that end return at once."""
    pids = list(pids)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(running(pid) for pid in pids):
        time.sleep(0.05)
    return [pid for pid in pids if running(pid)]
