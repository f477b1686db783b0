"""No process the CLI starts is handed the passphrase it read from DOSSIER_PASSPHRASE.

A child inherits its parent's environment, and its /proc/PID/environ is readable by any
process of the same user (Yama restricts attaching, not reading) until it makes itself not
dumpable, or all along if it never does: the HEIC decoder, a row worker and each index worker
started by a command run with the passphrase in the environment held it in clear. The CLI
takes it out of its environment once read.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE, cli_env
from tests.paths import INGEST_CORPUS, REPO

# The HEIC decoder's command replaced by one that writes down its environment (and fails: the
# photo is refused, as any decoder crash is).
CLI_WITH_A_TELLING_CHILD = """
import sys
from dossier.pdf import heic
told = sys.argv[1]
code = "import os, sys; open(sys.argv[1], 'w').write(repr(dict(os.environ))); sys.exit(1)"
heic.child_command = lambda: [sys.executable, "-c", code, told]
from dossier.cli.main import main
sys.exit(main(sys.argv[2:]))
"""


def test_a_child_process_is_not_handed_the_passphrase(tmp_path: Path) -> None:
    photo = INGEST_CORPUS / "heic_iphone_photo.heic"
    if not photo.is_file():
        pytest.skip("shared ingest corpus not available")
    vault = tmp_path / "V.dossier"
    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        ws.cases.create("Case")
    told = tmp_path / "environment.txt"
    subprocess.run(
        [
            sys.executable,
            "-c",
            CLI_WITH_A_TELLING_CHILD,
            str(told),
            *("--vault", str(vault), "import", "--case", "Case", str(photo)),
        ],
        env={**cli_env(tmp_path), "PYTHONPATH": str(REPO)},
        capture_output=True,
        check=False,
    )
    assert told.is_file(), "the decoder was never started"
    assert PASSPHRASE not in told.read_text()
    assert "DOSSIER_PASSPHRASE" not in told.read_text()
    assert os.environ.get("DOSSIER_PASSPHRASE") is None  # the test's own, untouched
