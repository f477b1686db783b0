"""The self-test the packaged app runs (`Dossier --selftest`), run here from source.

The whole run goes through `python -m dossier.selftest` in a subprocess: its audit hook and
its temporary vault stay out of the pytest process, and TMPDIR puts that vault under tmp_path.
The OCR data comes from resources/tessdata, the copy the packaged app ships.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dossier.selftest import FAIL, PASS, SKIP, Runner, StepSkipped, expect
from tests.paths import REPO

ALWAYS_REAL = (
    "ocr data",
    "vault",
    "import",
    "text layer",
    "ocr",
    "search",
    "row check workers",
    "quote anchoring",
    "encrypted at rest",
    "cleanup",
    "no network",
)
"""Steps whose services exist today: they must PASS, never SKIP."""


def step_lines(stdout: str) -> dict[str, tuple[str, str]]:
    steps: dict[str, tuple[str, str]] = {}
    for line in stdout.splitlines():
        status, _, rest = line.partition("  ")
        if status in (PASS, FAIL, SKIP):
            name, _, detail = rest.partition(": ")
            steps[name] = (status, detail)
    return steps


def test_selftest_passes_from_source(tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOSSIER_")}
    env.update(TMPDIR=str(temp), TESSDATA_PREFIX=str(REPO / "resources" / "tessdata"))
    done = subprocess.run(
        [sys.executable, "-m", "dossier.selftest"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    steps = step_lines(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    failed = {name: detail for name, (status, detail) in steps.items() if status == FAIL}
    assert not failed
    for name in ALWAYS_REAL:
        assert steps.get(name, ("missing", ""))[0] == PASS, (name, steps.get(name))
    assert steps["ocr data"][1].endswith(str(REPO / "resources" / "tessdata"))
    # Export is real now; should it ever be absent, it must say so rather than pass.
    assert steps["export and verify"][0] in (PASS, SKIP)
    assert done.stdout.rstrip().splitlines()[-1].startswith("self-test OK")
    assert list(temp.iterdir()) == []  # the temporary vault was removed


def test_runner_reports_failures_skips_and_blocked_steps() -> None:
    lines: list[str] = []
    runner = Runner(lines.append)

    def broken() -> str:
        expect(False, "the check that failed")
        return "unreachable"

    def missing() -> str:
        raise StepSkipped("no such service yet")

    assert runner.run("good", lambda: "fine")
    assert not runner.run("bad", broken)
    assert not runner.run("later", lambda: "never run", needs=["bad"])
    assert not runner.run("optional", missing)
    assert lines[0] == "PASS  good: fine"
    assert lines[1].startswith("FAIL  bad: AssertionError: the check that failed (at test_selftest")
    assert lines[2] == "SKIP  later: not run, because bad did not pass"
    assert lines[3] == "SKIP  optional: no such service yet"
    assert runner.exit_code == 1
    assert runner.summary() == "self-test FAILED: 1 passed, 2 skipped, 1 failed"


def test_runner_without_failures_exits_zero() -> None:
    runner = Runner(lambda line: None)
    runner.run("one", lambda: "ok")
    runner.run("two", lambda: (_ for _ in ()).throw(StepSkipped("later")))
    assert runner.exit_code == 0
    assert runner.summary() == "self-test OK: 1 passed, 1 skipped, 0 failed"


@pytest.mark.parametrize("error", [ValueError("bad value"), RuntimeError("boom")])
def test_any_exception_in_a_step_is_a_failure(error: Exception) -> None:
    runner = Runner(lambda line: None)

    def step() -> str:
        raise error

    runner.run("step", step)
    assert runner.results[0].status == FAIL
    assert runner.results[0].detail.startswith(f"{type(error).__name__}: {error}")
