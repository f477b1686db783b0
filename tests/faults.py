"""A disk that fills up at a chosen point, in-process, without root or a special file system.

Two faults, armed for the time of one operation:

- a file-size limit (`RLIMIT_FSIZE`): any write, from Python or from C (SQLite, the
  WAL and its shared memory file included), that would make a file grow past the limit fails
  with EFBIG, as writes on a full disk fail with ENOSPC. CPython ignores SIGXFSZ, so the
  write returns an error instead of killing the process. Files already larger than the limit
  can still be rewritten in place, which is also what a nearly full disk allows.
- `os.fsync` failing with ENOSPC after a number of calls (some file systems report a full
  disk only when the data is flushed).

Linux and macOS only (`resource`); the caller skips elsewhere.
"""

from __future__ import annotations

import errno
import os
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

resource = pytest.importorskip("resource")


class FullDisk:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.fsyncs_left: int | None = None

    def random_fault(self) -> tuple[int | None, int | None]:
        """(file size limit in bytes, fsync calls before one fails); None: that fault off."""
        kind = self.rng.random()
        size = int(2 ** self.rng.uniform(12, 21))  # 4 KiB .. 2 MiB, log-uniform
        if kind < 0.2:
            return None, None  # a healthy disk: operations must succeed
        if kind < 0.75:
            return size, None
        if kind < 0.9:
            return None, self.rng.randrange(0, 6)
        return size, self.rng.randrange(0, 6)

    @contextmanager
    def armed(self, size_limit: int | None, fsyncs: int | None) -> Iterator[None]:
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        real_fsync: Callable[[int], None] = os.fsync
        self.fsyncs_left = fsyncs

        def fsync(fd: int) -> None:
            if self.fsyncs_left is not None:
                if self.fsyncs_left <= 0:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                self.fsyncs_left -= 1
            real_fsync(fd)

        os.fsync = fsync
        if size_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (size_limit, hard))
        try:
            yield
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
            os.fsync = real_fsync
            self.fsyncs_left = None
