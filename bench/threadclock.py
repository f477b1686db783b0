"""What the calling thread's wall time went to: its CPU, the time it was ready to run while
the machine's other processes held every core (the kernel's run queue), and the rest, when it
was blocked (a lock, the GIL, a sync to disk, a wait on another process).

On a shared, loaded machine the run queue is most of a wall time: a mailbox import at load 10
on 2 cores spent 2.6-4.9 s of its 3.7-5.9 s there, a loop of pure CPU as much for its share,
and 0.01-0.03 s blocked. Read from /proc (Linux with schedstats); elsewhere the queue is None.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path


def _queued() -> float | None:
    """Seconds the calling thread has waited in the run queue since it started."""
    stat = Path(f"/proc/self/task/{threading.get_native_id()}/schedstat")
    try:
        return int(stat.read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return None


@dataclass(frozen=True)
class Spent:
    wall: float
    cpu: float
    queued: float | None

    @property
    def blocked(self) -> float | None:
        return None if self.queued is None else max(0.0, self.wall - self.cpu - self.queued)

    def figures(self, prefix: str) -> dict[str, float | None]:
        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 2)

        return {
            f"{prefix}_thread_cpu_seconds": rounded(self.cpu),
            f"{prefix}_thread_queued_seconds": rounded(self.queued),
            f"{prefix}_thread_blocked_seconds": rounded(self.blocked),
        }


class ThreadClock:
    """Started where it is made; `spent()` on the same thread reads what went where."""

    def __init__(self) -> None:
        self._wall, self._cpu, self._queue = time.perf_counter(), time.thread_time(), _queued()

    def spent(self) -> Spent:
        queue = _queued()
        return Spent(
            wall=time.perf_counter() - self._wall,
            cpu=time.thread_time() - self._cpu,
            queued=None if queue is None or self._queue is None else queue - self._queue,
        )


def load() -> float:
    return round(os.getloadavg()[0], 1)
