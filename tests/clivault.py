"""A vault driven through the real `dossier` console script, for end-to-end CLI tests."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from tests.conftest import run_cli


class CliVault:
    def __init__(self, tmp_path: Path, name: str) -> None:
        self.tmp_path = tmp_path
        self.path = tmp_path / name

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = run_cli(self.tmp_path, "--vault", str(self.path), *args)
        assert "Traceback" not in result.stderr, result.stderr
        return result

    def ok(self, *args: str) -> str:
        result = self.run(*args)
        assert result.returncode == 0, f"{args}: {result.stderr}"
        return result.stdout

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args, "--json"))

    def refused(self, *args: str) -> str:
        """Exit 2 with one clear line on stderr."""
        result = self.run(*args)
        assert result.returncode == 2, f"{args}: {result.returncode} {result.stdout}"
        assert result.stderr.startswith("dossier: ") and result.stderr.count("\n") == 1
        return result.stderr
