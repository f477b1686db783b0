"""The threads that write originals are one pool for the whole process, however many imports
or exports ask for it at the same moment (two asking together made two pools, and twice the
threads the bound allows)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from dossier import blobstore
from tests.alongside import at_once


class _Watched:
    """The pool's lock, telling how many threads have asked for it."""

    def __init__(self, seen: threading.Condition, asked: list[str]) -> None:
        self.lock = threading.Lock()
        self.seen, self.asked = seen, asked

    def __enter__(self) -> None:
        with self.seen:
            self.asked.append(threading.current_thread().name)
            self.seen.notify_all()
        self.lock.acquire()

    def __exit__(self, *_exc: object) -> None:
        self.lock.release()


def test_two_first_users_at_once_share_one_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[ThreadPoolExecutor] = []
    seen = threading.Condition()
    asked: list[str] = []
    making: list[str] = []

    def slowly_made(*args: Any, **kwargs: Any) -> ThreadPoolExecutor:
        # The first pool is made only once the other user has asked for one too (it waits
        # for the lock, or is making a pool of its own): not after a fixed 0.2 s, which a
        # loaded machine could let pass before the other user ran at all.
        with seen:
            making.append(threading.current_thread().name)
            seen.notify_all()
            assert seen.wait_for(lambda: len(asked) == 2 or len(making) == 2, timeout=60)
        made.append(ThreadPoolExecutor(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(blobstore, "ThreadPoolExecutor", slowly_made)
    monkeypatch.setattr(blobstore._pool, "executor", None)
    monkeypatch.setattr(blobstore._pool, "lock", _Watched(seen, asked))
    got: list[ThreadPoolExecutor] = []
    try:
        at_once(*(lambda: got.append(blobstore._threads()) for _ in range(2)))
        assert len(made) == 1 and got == [made[0], made[0]]
    finally:
        for pool in made:
            pool.shutdown()
