"""Shared fixtures: vaults with test-only KDF parameters, a CLI runner, the real corpus."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.services.workspace import Workspace
from tests.paths import CORPUS, REPO

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    return tmp_path / "Test.dossier"


@pytest.fixture
def workspace(vault_path: Path) -> Iterator[Workspace]:
    ws = Workspace.create(vault_path, PASSPHRASE, TEST_ONLY_FAST)
    try:
        yield ws
    finally:
        if ws.vault.is_open:
            ws.close()


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("shared corpus not available")
    return CORPUS


def cli_env(tmp_path: Path, passphrase: str = PASSPHRASE) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOSSIER_")}
    env.update(
        DOSSIER_PASSPHRASE=passphrase,
        DOSSIER_INSECURE_TEST_KDF="1",
        TMPDIR=str(tmp_path / "tmp"),
        PYTHONWARNINGS="error::DeprecationWarning:dossier",
    )
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return env


def run_cli(
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
