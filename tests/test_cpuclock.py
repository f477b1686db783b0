"""The CPU profile (`tests.cpuclock`) holds a line for every phase run, failed or not: a
failing test's CPU was left out, and so was the only trace, in a run still going, of which
test had failed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_failing_phase_is_written_down_like_a_passing_one(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "test_some.py").write_text(
        "import pytest\n\n"
        "@pytest.fixture\n"
        "def broken():\n"
        "    raise RuntimeError('setup')\n\n"
        "def test_passes():\n"
        "    pass\n\n"
        "def test_fails():\n"
        "    assert False\n\n"
        "def test_cannot_start(broken):\n"
        "    pass\n",
        encoding="utf-8",
    )
    profile = tmp_path / "profile"
    # A lone pytest, not an xdist worker's (whose name the profile's file would take).
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST")}
    run = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-p", "tests.cpuclock", f"--cpuclock={profile}"),
            *("-c", str(tmp_path / "pytest.ini"), "-p", "no:cacheprovider", "-q"),
            str(tmp_path / "test_some.py"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    lines = [json.loads(line) for line in (profile / "main.jsonl").read_text().splitlines()]
    phases = {(line["test"].split("::")[-1], line["phase"]) for line in lines if "phase" in line}
    for test in ("test_passes", "test_fails"):
        assert {(test, p) for p in ("setup", "call", "teardown")} <= phases, phases
    assert {("test_cannot_start", "setup"), ("test_cannot_start", "teardown")} <= phases
