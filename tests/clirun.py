"""Running the `dossier` command in tests: in this process (fast), or as a real process.

`run_cli` calls `dossier.cli.main.main(argv)` with the environment, stdin, stdout, stderr and
temporary folder a fresh process would have, and returns what the process would: exit code,
stdout, stderr. It costs milliseconds where a process costs a second of imports, so behaviour
tests use it. `run_cli_process` starts the real console entry point: keep it for the few
end-to-end tests that prove the entry point, signals and the process boundary work.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from dossier import i18n
from dossier.cli.main import main
from tests.paths import REPO

PASSPHRASE = "correct horse battery staple"


# The variables that choose the language (dossier.i18n): a run is in English unless a test says.
LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def cli_env(tmp_path: Path, passphrase: str = PASSPHRASE) -> dict[str, str]:
    """The environment of a CLI run: no DOSSIER_* of the developer's, the test KDF, a private
    TMPDIR (so a test can check that nothing was written there), English."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DOSSIER_") and k not in LANGUAGE_VARIABLES
    }
    env.update(
        LANG="C.UTF-8",
        DOSSIER_STATE_DIR=str(tmp_path / "state"),
        DOSSIER_PASSPHRASE=passphrase,
        DOSSIER_INSECURE_TEST_KDF="1",
        TMPDIR=str(tmp_path / "tmp"),
        PYTHONWARNINGS="error::DeprecationWarning:dossier",
    )
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return env


@contextlib.contextmanager
def _as_a_process(env: dict[str, str], stdout: io.StringIO, stderr: io.StringIO) -> Iterator[None]:
    """This process's environment, temp folder, std streams and log output set as a fresh
    `dossier` process would have them, then put back."""
    saved_env = dict(os.environ)
    saved_tempdir = tempfile.tempdir
    saved_language = i18n.current_language()
    # `main` configures logging once per process; here the root logger is shared, so the
    # run's warnings are routed to its stderr explicitly, in the format `main` uses.
    handler = logging.StreamHandler(stderr)
    handler.setFormatter(logging.Formatter("dossier: %(message)s"))
    handler.setLevel(logging.WARNING)
    root = logging.getLogger()
    os.environ.clear()
    os.environ.update(env)
    tempfile.tempdir = env["TMPDIR"]
    root.addHandler(handler)
    try:
        with (
            contextlib.redirect_stdout(stdout),
            contextlib.redirect_stderr(stderr),
            _stdin(io.StringIO("")),
        ):
            yield
    finally:
        root.removeHandler(handler)
        tempfile.tempdir = saved_tempdir
        i18n.set_language(saved_language)
        os.environ.clear()
        os.environ.update(saved_env)


@contextlib.contextmanager
def _stdin(stream: io.StringIO) -> Iterator[None]:
    saved = sys.stdin
    sys.stdin = stream
    try:
        yield
    finally:
        sys.stdin = saved


def run_cli(
    tmp_path: Path,
    *args: str,
    passphrase: str = PASSPHRASE,
    timeout: float = 120,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`dossier ARGS` run in this process; what a process would return. `timeout` is accepted
    for the signature of `run_cli_process` (pytest-timeout bounds the test); `env` adds to or
    replaces variables of the run's environment (LANGUAGE=fr, say)."""
    del timeout
    stdout, stderr = io.StringIO(), io.StringIO()
    with _as_a_process({**cli_env(tmp_path, passphrase), **(env or {})}, stdout, stderr):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse: --help, --version, usage errors
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            if isinstance(exc.code, str):
                print(exc.code, file=sys.stderr)
    return subprocess.CompletedProcess(
        ["dossier", *args], code, stdout.getvalue(), stderr.getvalue()
    )


def run_cli_process(
    tmp_path: Path, *args: str, passphrase: str = PASSPHRASE, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the real console entry point in a subprocess (exit codes, stderr, no traceback)."""
    return subprocess.run(
        [sys.executable, "-m", "dossier", *args],
        env=cli_env(tmp_path, passphrase),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        cwd=REPO,
    )
