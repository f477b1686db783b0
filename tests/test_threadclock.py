"""The bench's thread clock (`bench.threadclock`) tells a wait for a lock or a disk from a wait
for a core: read together, a sleep showed as CPU-less wall time whatever caused it."""

from __future__ import annotations

import threading
import time

import pytest

from bench.threadclock import ThreadClock


def test_a_sleep_is_blocked_and_a_loop_is_cpu_or_queued() -> None:
    clock = ThreadClock()
    time.sleep(0.2)
    slept = clock.spent()
    if slept.queued is None:
        pytest.skip("this kernel gives no run queue times (/proc/<pid>/task/<tid>/schedstat)")
    assert slept.cpu < 0.05
    assert slept.blocked is not None and slept.blocked >= 0.15

    clock = ThreadClock()
    started = time.thread_time()
    while time.thread_time() - started < 0.2:
        sum(range(1000))
    looped = clock.spent()
    assert looped.cpu >= 0.2
    assert looped.blocked is not None and looped.blocked < 0.05
    assert abs(looped.wall - looped.cpu - (looped.queued or 0.0)) < 0.05


def test_each_thread_reads_its_own_queue() -> None:
    # Another thread's loop is no time of this one's: it waited for the lock, blocked.
    clock = ThreadClock()
    done = threading.Event()

    def loop() -> None:
        started = time.thread_time()
        while time.thread_time() - started < 0.2:
            sum(range(1000))
        done.set()

    threading.Thread(target=loop).start()
    done.wait()
    spent = clock.spent()
    assert spent.cpu < 0.05
    assert spent.blocked is not None and spent.blocked >= 0.15
