"""The README's promises stay true: two commands set everything up, and the sample passphrase
it prints is the one the sample vault is made with.

The Makefile is checked by asking make itself what it would run (`make -n -B`, which runs
nothing), so a renamed target or a broken dependency chain fails here, not on a fresh machine.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from dossier.sample.build import SAMPLE_PASSPHRASE
from tests.paths import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def code_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```[^\n]*\n(.*?)^```", markdown, flags=re.S | re.M)


def commands(block: str) -> list[str]:
    """The commands of a shell block, without comments and blank lines."""
    lines = (line.split("#", 1)[0].strip() for line in block.splitlines())
    return [line for line in lines if line]


def dry_run(target: str) -> str:
    """What `make <target>` would run on a fresh checkout (every rule treated as out of date)."""
    if shutil.which("make") is None:
        pytest.fail("make is not installed, yet the README's two commands need it")
    done = subprocess.run(
        ["make", "-n", "-B", target],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    return re.sub(r"\\\n\s*", " ", done.stdout)  # one line per command: join continuations


def test_first_code_block_is_the_two_commands() -> None:
    assert commands(code_blocks(README)[0]) == ["make run", "make check"]


@pytest.mark.parametrize("target", ["run", "check", "test"])
def test_each_command_creates_the_venv_from_the_lock_files(target: str) -> None:
    plan = dry_run(target)
    assert "-m venv .venv" in plan
    install = next(line for line in plan.splitlines() if "pip install" in line and "lock" in line)
    assert "--require-hashes" in install
    assert "requirements/app.lock" in install and "requirements/dev.lock" in install
    # The venv is made before anything runs in it.
    assert plan.index("-m venv") < plan.index("requirements/app.lock")


def test_make_run_builds_the_sample_then_starts_the_app() -> None:
    plan = dry_run("run")
    assert plan.index("-m dossier.sample") < plan.index("-m ui --vault")


@pytest.mark.parametrize("target", ["check", "test"])
def test_make_check_and_test_run_lint_types_imports_and_tests(target: str) -> None:
    plan = dry_run(target)
    for step in ("ruff check", "ruff format --check", "lint-imports", "mypy", "-m pytest"):
        assert step in plan, step


def test_make_check_runs_every_test_and_make_test_all_but_the_slow_campaigns() -> None:
    whole = next(line for line in dry_run("check").splitlines() if "-m pytest" in line)
    quick = next(line for line in dry_run("test").splitlines() if "-m pytest" in line)
    assert " -m " not in whole.split("-m pytest", 1)[1]
    assert '-m "not slow"' in quick or "-m 'not slow'" in quick or "-m not slow" in quick


def test_readme_sample_passphrase_is_the_real_one() -> None:
    stated = re.findall(r"passphrase is\s+\*\*`([^`]+)`\*\*", README)
    assert stated == [SAMPLE_PASSPHRASE]


def test_ci_runs_the_readme_test_command() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    lines = [line.strip() for line in script.splitlines() if not line.strip().startswith("#")]
    assert "make check" in lines
