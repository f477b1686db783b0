"""Processes for kill campaigns: a driver script run in a real child process, killed at will.

A campaign starts dozens of processes, and a fresh interpreter spends about a second (of CPU,
more on a loaded machine) importing the core before its first line runs. These children are
forked from a server process that imported the core once (multiprocessing's forkserver, a
single-threaded process, so forking it is safe): each is still a separate process with its own
files, SQLite connections and keys, killed by a real SIGKILL wherever it is, but it starts in
milliseconds. The driver runs as `python -c DRIVER ARGS...` would run it: `sys.argv[1:]` are
the arguments, the test's environment and the repository as the working folder, stdout and
stderr pipes to the test, a traceback on stderr and exit code 1 if it raises.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import traceback
from multiprocessing.connection import Connection

from tests.paths import REPO

_CONTEXT = multiprocessing.get_context("forkserver")
# What the drivers import, loaded once in the server instead of once per child.
_CONTEXT.set_forkserver_preload(["dossier.services.workspace", "dossier.services.search"])


def _child(
    code: str, args: list[str], env: dict[str, str], stdout: Connection, stderr: Connection
) -> None:
    os.environ.clear()
    os.environ.update(env)
    os.chdir(REPO)
    os.dup2(stdout.fileno(), 1)
    os.dup2(stderr.fileno(), 2)
    sys.stdout = open(1, "w", buffering=1, encoding="utf-8", closefd=False)
    sys.stderr = open(2, "w", buffering=1, encoding="utf-8", closefd=False)
    sys.argv = ["-c", *args]
    try:
        exec(compile(code, "<driver>", "exec"), {"__name__": "__main__"})
    except SystemExit:
        raise
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(1)
    sys.stdout.flush()
    sys.stderr.flush()


class Driver:
    """A running driver, used as a `subprocess.Popen` started with text pipes is."""

    def __init__(self, code: str, *args: str) -> None:
        out_read, out_write = _CONTEXT.Pipe(duplex=False)
        err_read, err_write = _CONTEXT.Pipe(duplex=False)
        self._process = _CONTEXT.Process(
            target=_child, args=(code, list(args), dict(os.environ), out_write, err_write)
        )
        self._process.start()
        self._exitcode: int | None = None
        out_write.close()
        err_write.close()
        self.stdout = open(os.dup(out_read.fileno()), encoding="utf-8")
        self.stderr = open(os.dup(err_read.fileno()), encoding="utf-8")
        out_read.close()
        err_read.close()

    @property
    def pid(self) -> int:
        assert self._process.pid is not None
        return self._process.pid

    @property
    def returncode(self) -> int | None:
        if self._exitcode is None:
            self._exitcode = self._process.exitcode
        return self._exitcode

    def poll(self) -> int | None:
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.returncode is None:
            os.kill(self.pid, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def communicate(self, timeout: float) -> tuple[str, str]:
        """The rest of stdout and stderr once the process has ended (killed if it outlives
        `timeout`, and then an AssertionError). The pipes are read while it runs: a driver
        that writes more than a pipe holds does not wait on the test. A process the driver
        started (an index worker) inherits them: one that outlives it by `timeout` is an
        AssertionError too, not a test waiting forever."""
        rest: dict[str, str] = {}
        readers = [
            threading.Thread(
                target=lambda n=name, s=stream: rest.__setitem__(n, s.read()), daemon=True
            )
            for name, stream in (("out", self.stdout), ("err", self.stderr))
        ]
        for reader in readers:
            reader.start()
        self._process.join(timeout)
        ended = self.returncode is not None
        if not ended:
            self.kill()
            self._process.join()
        for reader in readers:
            reader.join(timeout)
        held = any(reader.is_alive() for reader in readers)
        self._exitcode = self._process.exitcode
        if not held:  # a pipe still read is left to its reader
            self.stdout.close()
            self.stderr.close()
        self._process.close()
        assert ended, f"the driver did not end within {timeout} s"
        assert not held, f"a process the driver started held its output {timeout} s after it"
        return rest["out"], rest["err"]


def run(code: str, *args: str, timeout: float) -> tuple[int, str, str]:
    """Run a driver to its end: (exit code, stdout, stderr)."""
    driver = Driver(code, *args)
    out, err = driver.communicate(timeout)
    assert driver.returncode is not None
    return driver.returncode, out, err
