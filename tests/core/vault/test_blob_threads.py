"""The threads that write originals are one pool for the whole process, however many imports
or exports ask for it at the same moment (two asking together made two pools, and twice the
threads the bound allows)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from dossier import blobstore


def test_two_first_users_at_once_share_one_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[ThreadPoolExecutor] = []

    def slowly_made(*args: Any, **kwargs: Any) -> ThreadPoolExecutor:
        time.sleep(0.2)  # a thread that asks meanwhile must not make a pool of its own
        made.append(ThreadPoolExecutor(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(blobstore, "ThreadPoolExecutor", slowly_made)
    monkeypatch.setattr(blobstore._pool, "executor", None)
    got: list[ThreadPoolExecutor] = []
    users = [threading.Thread(target=lambda: got.append(blobstore._threads())) for _ in range(2)]
    try:
        for user in users:
            user.start()
        for user in users:
            user.join()
        assert len(made) == 1 and got == [made[0], made[0]]
    finally:
        for pool in made:
            pool.shutdown()
