"""A crash writes no memory image: a process that holds the vault's keys or a page's text
(the app, an index worker) dumps no core, even where the system would write one in its
folder (core_pattern 'core' and an unlimited limit: a copy of the disk would hold the text)."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.db import rowworker
from dossier.search import analysed
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.search.test_search_workers import _items
from tests.paths import REPO
from tests.processes import still_running


def _core_dumps_possible() -> None:
    hard = resource.getrlimit(resource.RLIMIT_CORE)[1]
    if hard == 0:
        pytest.skip("this system forbids core dumps: nothing to attack")
    pattern = Path("/proc/sys/kernel/core_pattern")
    if not pattern.exists() or pattern.read_text().startswith("|"):
        pytest.skip("core dumps go to a system service here, not to the crashed process's folder")


def _dumps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("core"))


def _unlimited_cores() -> None:
    hard = resource.getrlimit(resource.RLIMIT_CORE)[1]
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))


CRASHING_APP = """
import os, signal, sys
from pathlib import Path
from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.db import rowworker
from dossier.services.workspace import Workspace
ws = Workspace.create(Path(sys.argv[1]), sys.argv[2], TEST_ONLY_FAST)
ws.cases.create("Affaire Zorglubinator", "")
os.kill(os.getpid(), signal.SIGSEGV)  # a PDF library's crash, for instance
"""


def test_an_app_that_crashes_with_the_vault_open_dumps_no_core(tmp_path: Path) -> None:
    _core_dumps_possible()
    control = subprocess.run(
        [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"],
        cwd=tmp_path,
        preexec_fn=_unlimited_cores,
        check=False,
    )
    assert control.returncode == -signal.SIGSEGV
    if not _dumps(tmp_path):
        pytest.skip("no core was written even without Dossier: nothing to attack")
    for dump in tmp_path.glob("core*"):
        dump.unlink()
    crashed = subprocess.run(
        [sys.executable, "-c", CRASHING_APP, str(tmp_path / "V.dossier"), PASSPHRASE],
        cwd=tmp_path,
        preexec_fn=_unlimited_cores,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )
    assert crashed.returncode == -signal.SIGSEGV
    assert _dumps(tmp_path) == []


@pytest.fixture
def cores_allowed(tmp_path: Path) -> Iterator[Path]:
    """This process in a folder of its own, its core limit raised, the workers to start
    from here (they inherit both)."""
    _core_dumps_possible()
    analysed.shutdown()
    before = resource.getrlimit(resource.RLIMIT_CORE)
    cwd = os.getcwd()
    _unlimited_cores()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        analysed.shutdown()
        os.chdir(cwd)
        resource.setrlimit(resource.RLIMIT_CORE, before)


def test_an_index_worker_that_crashes_dumps_no_core(cores_allowed: Path) -> None:
    items = _items(40)
    list(analysed.in_workers([items[:20], items[20:]], None, [0]))
    workers = [p.pid for p in analysed._get_pool()._processes.values()]
    assert workers
    for pid in workers:
        os.kill(pid, signal.SIGSEGV)
    assert still_running(workers) == []
    time.sleep(0.5)  # a dump is written before the process is reaped
    assert _dumps(cores_allowed) == []


def test_locking_the_vault_ends_the_index_workers(tmp_path: Path) -> None:
    """The workers' memory held every page they analysed: it goes with the keys."""
    analysed.shutdown()
    folder = tmp_path / "files"
    folder.mkdir()
    for n, item in enumerate(_items(60)):
        (folder / f"page{n}.txt").write_text(item.text, encoding="utf-8")
    ws = Workspace.create(tmp_path / "V.dossier", PASSPHRASE, TEST_ONLY_FAST)
    try:
        case = ws.cases.create("Affaire", "")
        list(ws.documents.import_many(case.id, sorted(folder.iterdir()), kind="source"))
        assert ws.search.query("préfecture", case=case.id)
        assert analysed._pool is not None, "the pages went through the workers"
        workers = [p.pid for p in analysed._pool._processes.values()]
    finally:
        ws.close()
    assert still_running(workers) == []
    assert analysed._pool is None


def test_a_batch_in_the_workers_when_another_vault_locks_is_analysed_in_process() -> None:
    """The workers are shared by the vaults open in one process: a lock that ends them
    costs the other's batch nothing (its chunks cancelled, then analysed here)."""
    items = _items(200)
    chunks = list(analysed._chunks(items))
    background = analysed.Background(chunks, analysed.analyse_chunk)
    analysed.shutdown()
    try:
        assert [a for chunk in background.results() for a in chunk] == analysed.analyse_chunk(items)
        again = analysed.Background(chunks, analysed.analyse_chunk)  # a pool started anew
        assert [a for chunk in again.results() for a in chunk] == analysed.analyse_chunk(items)
    finally:
        analysed.shutdown()


NON_DUMPABLE = """
from dossier.crypto.nodump import dumpable, forbid_core_dumps
before = dumpable()
forbid_core_dumps()
print(before, dumpable())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_the_app_is_not_dumpable_even_by_a_crash_handler_program() -> None:
    """A core_pattern piping crashes to a program (apport) ignores the core-size limit; a
    non-dumpable process is dumped by nothing, and no same-user debugger reads it."""
    assert _printed(NON_DUMPABLE) == ["True", "False"]


def _printed(code: str) -> list[str]:
    """The words a new Python process running `code` prints."""
    shown = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        check=True,
    )
    return shown.stdout.split()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_an_index_worker_is_not_dumpable() -> None:
    from dossier.crypto.nodump import dumpable

    analysed.shutdown()
    try:
        list(analysed.in_workers([_items(4)], None, [0]))
        assert analysed._get_pool().submit(dumpable).result(timeout=60) is False
    finally:
        analysed.shutdown()


_READ = {"x86_64": 0, "aarch64": 63}
"""The read system call's number, which /proc/PID/syscall shows first while a process waits
in it."""


def _waits_for_stdin(pid: int, seconds: float = 120) -> bool:
    """Whether the process came to wait for its standard input within `seconds`."""
    number = _READ.get(os.uname().machine)
    if number is None:
        pytest.skip("no read system call number known for this machine")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            fields = Path(f"/proc/{pid}/syscall").read_text().split()
        except PermissionError:
            return True  # not dumpable any more: a same-user process reads nothing of it
        except (FileNotFoundError, ProcessLookupError):
            return False
        if fields[:2] == [str(number), "0x0"]:
            return True
        time.sleep(0.02)
    return False


def test_a_row_worker_that_crashes_dumps_no_core(cores_allowed: Path) -> None:
    """A row worker holds the row key, handed through a pipe; the truncated catalog it maps
    ends it with SIGBUS, a crash a handler program (apport) would dump whatever the core
    limit the app set for it."""
    command = rowworker._command()
    assert command is not None
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    ) as worker:
        try:
            assert _waits_for_stdin(worker.pid), "the worker never came to read its key"
            os.kill(worker.pid, signal.SIGSEGV)
            assert worker.wait(timeout=120) == -signal.SIGSEGV
        finally:
            worker.kill()
    assert _dumps(cores_allowed) == []


HEIC_CHILD_LIMITS = """
from dossier.crypto.nodump import dumpable
from dossier.pdf import heicchild
heicchild._limit(3 * 1024**3, 60)
print(dumpable())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_the_heic_decoder_is_not_dumpable() -> None:
    """It holds the photo and its pixels, and runs libheif because it may crash on a hostile
    file: its core limit of zero is ignored by a crash handler program (apport)."""
    assert _printed(HEIC_CHILD_LIMITS) == ["False"]
