"""A vault built once per test run, not once per xdist worker: the first worker to need it
builds it, the others wait for it and copy it as their own tests do.

Building the sample vault costs 2-3 CPU-s (its imports, OCR of the scanned memo); each worker
built it again for its own modules. What the build returns travels between processes as JSON.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def _run_folder(factory: pytest.TempPathFactory) -> Path:
    """Where every process of this run can see, and only they: xdist gives each worker a base
    folder of its own inside the run's."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def built_once(
    factory: pytest.TempPathFactory,
    key: str,
    folder_name: str,
    build: Callable[[Path], dict[str, Any]],
) -> tuple[Path, dict[str, Any]]:
    """`build(folder)` run by the first process of the run to ask for `key`; every process gets
    the folder (named `folder_name`) and what `build` returned. A build that fails leaves
    nothing: the next to ask builds again (and fails the same way, in its own test)."""
    if sys.platform == "win32":  # pragma: no cover - no flock there: each process builds
        folder = factory.mktemp(key) / folder_name
        return folder, build(folder)
    import fcntl

    shared = _run_folder(factory) / f"built-once-{key}"
    shared.mkdir(exist_ok=True)
    folder, record = shared / folder_name, shared / "built.json"
    with (shared.parent / f"built-once-{key}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not record.exists():
            try:
                result = build(folder)
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
            record.write_text(json.dumps(result), encoding="utf-8")
        return folder, json.loads(record.read_text(encoding="utf-8"))
