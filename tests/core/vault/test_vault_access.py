"""A vault the system will not let Dossier write (to open or to make one), or a full disk at
open: one sentence, exit 7.

A read-only disk is made with a read-only bind mount in a mount namespace of its own (the real
command, in a real process: the test skips where `unshare -m` is not allowed). A full disk at
open runs in-process (`tests.faults`) for every command that only reads: whichever write of the
open fails (the lock file, SQLite's WAL and shared memory, the search index), the command says
so in one line with exit 7, and the vault is intact afterwards.
"""

from __future__ import annotations

import random
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.services.workspace import Workspace
from tests.clirun import PASSPHRASE, cli_env, run_cli
from tests.faults import FullDisk
from tests.paths import REPO


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    folder = tmp_path / "V.dossier"
    with Workspace.create(folder, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("Harbour").id
        memo = tmp_path / "memo.txt"
        memo.write_text("The harbour tender was signed in March.", encoding="utf-8")
        ws.documents.import_file(case, memo)
    return folder


def _namespaces_allowed() -> bool:
    try:
        return subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0
    except OSError:
        return False


def _on_read_only(disk: Path, vault: Path, command: str, tmp_path: Path) -> list[str]:
    """What `dossier --vault VAULT COMMAND` says on stderr with `disk` mounted read-only; it
    must exit 7, in one line and no traceback (the lines of the test KDF's warning left out)."""
    dossier = f"{shlex.quote(sys.executable)} -m dossier --vault {shlex.quote(str(vault))}"
    script = (
        f"mount --bind -o ro {shlex.quote(str(disk))} {shlex.quote(str(disk))} && "
        f"exec {dossier} {command}"
    )
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", script],
        env=cli_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 7, (command, result.stderr)
    lines = [line for line in result.stderr.splitlines() if "insecure test KDF" not in line]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines


@pytest.mark.skipif(not _namespaces_allowed(), reason="unshare -m is not allowed here")
def test_a_vault_on_a_read_only_disk_is_one_sentence_exit_7(vault: Path, tmp_path: Path) -> None:
    for command in ("case list", "search harbour"):
        lines = _on_read_only(vault, vault, command, tmp_path)
        assert f"the vault {vault} is on a read-only disk" in lines[0], lines


@pytest.mark.skipif(not _namespaces_allowed(), reason="unshare -m is not allowed here")
def test_a_vault_made_on_a_read_only_disk_is_one_sentence_exit_7(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    target = disk / "New.dossier"
    lines = _on_read_only(disk, target, "init", tmp_path)
    assert f"{target} is on a read-only disk" in lines[0], lines
    assert not target.exists()


@pytest.mark.slow
def test_a_full_disk_at_open_is_exit_7_and_leaves_the_vault_whole(
    vault: Path, tmp_path: Path
) -> None:
    disk = FullDisk(random.Random(7))
    codes = set()
    for limit in (0, 100, 4096, 32768, None):
        for fsyncs in (None, 0, 2):
            for command in (["case", "list"], ["doc", "list", "--case", "Harbour"],
                            ["search", "harbour"], ["fsck"]):  # fmt: skip
                with disk.armed(limit, fsyncs):
                    result = run_cli(tmp_path, "--vault", str(vault), *command)
                codes.add(result.returncode)
                assert result.returncode in (0, 7), (command, result.stderr)
                assert "Traceback" not in result.stderr
                assert all(line.startswith("dossier: ") for line in result.stderr.splitlines())
                after = run_cli(tmp_path, "--vault", str(vault), "fsck")
                assert after.returncode == 0, (command, limit, fsyncs, after.stdout)
    assert codes == {0, 7}
    found = run_cli(tmp_path, "--vault", str(vault), "search", "harbour")
    assert found.returncode == 0 and "memo" in found.stdout
