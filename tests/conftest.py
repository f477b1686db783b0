"""Shared fixtures: vaults with test-only KDF parameters, the real corpus; the CLI runners."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.services.workspace import Workspace
from tests.clirun import PASSPHRASE, cli_env, run_cli, run_cli_process
from tests.paths import CORPUS, REPO

__all__ = ["PASSPHRASE", "REPO", "cli_env", "run_cli", "run_cli_process"]


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
