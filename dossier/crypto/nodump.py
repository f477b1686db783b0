"""No memory image on disk: a process that holds keys or text in clear leaves no core dump.

A crash (a PDF library's, a worker killed with SIGSEGV or SIGQUIT) would otherwise write the
process's memory, keys and pages included, into a `core` file in its folder or the system's
crash store, in clear. The limit is the one a process sets for itself and its children; its
hard limit is left alone (another library's subprocesses may have their own reasons). Linux
ignores that limit when crashes are piped to a handler program (Ubuntu's apport may write the
memory anyway), so the process is also made non-dumpable, which no handler overrides and which
keeps a same-user debugger from reading its memory while it runs. Where the platform has no
such limit (Windows), nothing is done here.
"""

from __future__ import annotations

import sys


def forbid_core_dumps() -> None:
    if sys.platform == "win32":
        return
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (0, hard))
    if sys.platform.startswith("linux"):
        _prctl(PR_SET_DUMPABLE, 0)


PR_GET_DUMPABLE = 3
PR_SET_DUMPABLE = 4


def dumpable() -> bool:
    """Whether a crash of this process may write its memory (Linux only; True elsewhere)."""
    if not sys.platform.startswith("linux"):
        return True
    return _prctl(PR_GET_DUMPABLE, 0) != 0


def _prctl(option: int, value: int) -> int:
    import ctypes
    import os

    libc = ctypes.CDLL(None, use_errno=True)
    result = int(libc.prctl(option, value, 0, 0, 0))
    if result < 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))
    return result
