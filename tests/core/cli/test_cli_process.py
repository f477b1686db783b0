"""The real `dossier` process, end to end: the few runs that need the process boundary.

Everything else about the CLI is tested in-process (`tests/clirun.py`); these prove that the
console entry point itself works: `python -m dossier` starts, reads the passphrase from its
environment, prints to its own stdout, exits with the documented codes and never shows a
traceback, and writes nothing to its TMPDIR.
"""

from __future__ import annotations

import json
from pathlib import Path

from dossier import __version__
from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.services.workspace import Workspace
from tests.clirun import PASSPHRASE, run_cli, run_cli_process
from tests.pdfgen import FRENCH_PARAGRAPHS, text_page, write_pdf


def test_a_vault_created_filled_and_searched_by_real_processes(tmp_path: Path) -> None:
    vault = str(tmp_path / "v.dossier")
    (tmp_path / "in").mkdir()
    pdf = write_pdf(tmp_path / "in" / "note.pdf", [text_page(FRENCH_PARAGRAPHS[0])])
    steps = [
        ("--vault", vault, "init"),
        ("--vault", vault, "case", "create", "Synopsis"),
        ("--vault", vault, "import", "--case", "Synopsis", "--no-ocr", str(pdf)),
    ]
    for args in steps:
        done = run_cli_process(tmp_path, *args)
        assert done.returncode == 0, (args, done.stderr)
        assert "Traceback" not in done.stderr
    word = FRENCH_PARAGRAPHS[0].split()[3]
    found = run_cli_process(tmp_path, "--vault", vault, "search", word, "--json")
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout), "the imported page is found"
    assert list((tmp_path / "tmp").iterdir()) == []


def test_errors_are_exit_codes_and_one_line(tmp_path: Path) -> None:
    vault = tmp_path / "v.dossier"
    # Made in this process: a process start costs seconds, and `init` has its own test above.
    Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST).close()
    wrong = run_cli_process(tmp_path, "--vault", str(vault), "case", "list", passphrase="nope")
    assert wrong.returncode == 3
    assert wrong.stderr.startswith("dossier: ") and "Traceback" not in wrong.stderr
    usage = run_cli_process(tmp_path, "frobnicate")
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
    version = run_cli(tmp_path, "--version")  # in-process: argparse's own exit path
    assert (version.returncode, version.stdout.strip()) == (0, f"dossier {__version__}")
