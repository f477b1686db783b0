"""No memory image on disk: a process that holds keys or text in clear leaves no core dump.

A crash (a PDF library's, a worker killed with SIGSEGV or SIGQUIT) would otherwise write the
process's memory, keys and pages included, into a `core` file in its folder or the system's
crash store, in clear. The limit is the one a process sets for itself and its children; its
hard limit is left alone (another library's subprocesses may have their own reasons). Where
the platform has no such limit (Windows), nothing is done here.
"""

from __future__ import annotations

import sys


def forbid_core_dumps() -> None:
    if sys.platform == "win32":
        return
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (0, hard))
