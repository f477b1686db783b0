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
