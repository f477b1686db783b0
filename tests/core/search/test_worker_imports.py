"""An index worker imports what its work needs, not the app that started it.

A spawned process imports its parent's main module first: for the `dossier` command's script
(or a bench) that is every module of the app, a second of CPU per worker at the start of each
batch after an unlock, on a machine whose cores the import itself is using.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("dossier.services.workspace", "dossier.cli.main", "sqlalchemy", "dossier.search.facade")
"""The app, the catalog, and the query side of search, which a worker never runs (a third of
its CPU at start went to the facade's imports, by way of the package's `__init__`)."""
NOT_FOR_A_BUILD = (
    "dossier.search.facade",
    "dossier.search.storage",
    "dossier.search.query",
    "dossier.crypto.sealedfile",
    "cryptography",
    "rapidfuzz",
)
"""The index's side of the app: its encrypted storage and the crypto library (the app seals
what a worker builds), the search side (queries, fuzzy matching). None builds a segment."""

CHILD = """
import dossier.cli.main  # as the `dossier` command's script does: the whole app
from dossier.search import analysed
from tests.core.search.test_worker_imports import loaded
if __name__ == "__main__":
    pool = analysed._get_pool()
    print(" ".join(pool.submit(loaded, None).result()) or "-", flush=True)
    analysed.shutdown()
"""


def loaded(_nothing: None) -> list[str]:
    """The app's heavy modules this process holds (run in a worker)."""
    return [name for name in HEAVY if name in sys.modules]


def ready_to_build(_nothing: None) -> list[str]:
    """The modules a build needs that this process has not imported (run in a worker)."""
    needed = ("dossier.search.built", "whoosh.codec.whoosh3", "whoosh.writing", "whoosh.reading")
    return [name for name in needed if name not in sys.modules]


def loaded_for_a_build(_nothing: None) -> list[str]:
    """The modules of `NOT_FOR_A_BUILD` this process holds (run in a worker)."""
    return [name for name in NOT_FOR_A_BUILD if name in sys.modules]


def test_a_worker_does_not_import_the_main_module_of_its_parent(tmp_path: Path) -> None:
    script = tmp_path / "dossier_command.py"
    script.write_text(CHILD, encoding="utf-8")
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["-"], done.stdout


def test_a_worker_ready_to_build_holds_neither_the_storage_nor_the_search_side() -> None:
    """Its start is paid once a session, in the import's CPU: `built` took the index's folder
    module for the index's name, and the encrypted storage and crypto library with it."""
    from concurrent.futures import wait

    from dossier.search import analysed, built

    try:
        wait(built.start_workers())  # each worker has imported all a build needs
        pool = analysed._get_pool()
        answers = [pool.submit(loaded_for_a_build, None) for _ in range(analysed.worker_count())]
        assert [answer.result() for answer in answers] == [[]] * analysed.worker_count()
    finally:
        analysed.shutdown()


def test_a_worker_is_ready_to_build_once_started() -> None:
    """What a build needs is imported as the worker starts (once a session), not by the first
    batch it builds, whose CPU it was a large part of."""
    from dossier.search import analysed

    try:
        pool = analysed._get_pool()
        answers = [pool.submit(ready_to_build, None) for _ in range(analysed.worker_count())]
        assert [answer.result() for answer in answers] == [[]] * analysed.worker_count()
    finally:
        analysed.shutdown()
