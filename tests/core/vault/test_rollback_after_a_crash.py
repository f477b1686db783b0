"""A change the app made before it ended without closing the vault (a crash, a power cut, a
killed process) is remembered as seen: the catalog put back as it was before that change, or
its write-ahead log deleted, warns as any older copy does (`dossier.vault.seen`).

This computer remembered the catalog's counter only when a vault opened, closed or exported:
a document deleted (a person marked protected, a box drawn) in a session that never closed
came back, with no word, from a copy of the catalog taken before, or from the catalog alone
once its write-ahead log, which held the change, was deleted; the next export could then
carry it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.paths import REPO

CATALOG = "catalog.sqlite"

DELETE_AND_DIE = """
import os, sys
from pathlib import Path
from dossier.services.workspace import Workspace
ws = Workspace.open(Path(sys.argv[1]), sys.argv[2])
ws.documents.delete(sys.argv[3])
os._exit(0)  # no close: as a crash or a power cut ends it
"""


def _catalog_files(folder: Path) -> list[Path]:
    return [path for path in folder.iterdir() if path.name.startswith(CATALOG)]


@pytest.mark.parametrize("attack", ["older catalog put back", "write-ahead log deleted"])
def test_a_change_before_a_crash_is_not_undone_silently(tmp_path: Path, attack: str) -> None:
    vault = tmp_path / "V.dossier"
    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("Sources").id
        doc = ws.documents.import_bytes(case, b"Le nom de la source.\n", "source.txt").id
        ws.documents.import_bytes(case, b"Une autre note.\n", "note.txt")
    before = tmp_path / "before"
    before.mkdir()
    for path in _catalog_files(vault):
        shutil.copy2(path, before / path.name)
    died = subprocess.run(
        [sys.executable, "-c", DELETE_AND_DIE, str(vault), PASSPHRASE, doc],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        check=False,
    )
    assert died.returncode == 0, died.stderr
    if attack == "older catalog put back":
        for path in _catalog_files(vault):
            path.unlink()
        for path in _catalog_files(before):
            shutil.copy2(path, vault / path.name)
    else:
        assert (vault / f"{CATALOG}-wal").exists()
        (vault / f"{CATALOG}-wal").unlink()
        (vault / f"{CATALOG}-shm").unlink(missing_ok=True)
    with Workspace.open(vault, PASSPHRASE) as ws:
        back = doc in {d.id for d in ws.documents.of_case(case)}
        warned = [w for w in ws.vault.warnings if "older than the copy" in w]
    assert not back or warned, "the deleted document came back without a word"
