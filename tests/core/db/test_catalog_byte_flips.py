"""A byte flipped anywhere in a small catalog: `fsck` and `case list` exit 0 or 5, no traceback.

A large random sample of positions (seeded), run in this process through the CLI's `main`.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE, run_cli

SAMPLES = 150
PARTS = 2
"""The sample runs as this many tests (every other position each), so parallel workers share it."""


@pytest.fixture
def small_catalog(tmp_path: Path) -> Path:
    folder = tmp_path / "Small.dossier"
    note = tmp_path / "note.txt"
    note.write_text("Rendez-vous avec la source le 3 mars.\n", encoding="utf-8")
    with Workspace.create(folder, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("Synopsis").id
        ws.documents.import_file(case, note)
        ws.people.add(case, "Patrick Léonard", role="official")
    db = sqlite3.connect(folder / "catalog.sqlite")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("VACUUM")
    db.close()
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("part", range(PARTS))
def test_flipped_bytes_are_reported_never_a_traceback(
    small_catalog: Path, tmp_path: Path, part: int
) -> None:
    original = (small_catalog / "catalog.sqlite").read_bytes()
    rng = random.Random(1312)
    positions = sorted(rng.sample(range(len(original)), min(SAMPLES, len(original))))
    flips = [(position, 1 << rng.randrange(8)) for position in positions][part::PARTS]
    work = tmp_path / "Flipped.dossier"
    outcomes: dict[int, int] = {}
    for position, bit in flips:
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(small_catalog, work)
        damaged = bytearray(original)
        damaged[position] ^= bit
        (work / "catalog.sqlite").write_bytes(bytes(damaged))
        for command in (("fsck",), ("case", "list")):
            result = run_cli(tmp_path, "--vault", str(work), *command)
            assert "Traceback" not in result.stderr, (position, command, result.stderr)
            assert result.returncode in (0, 5), (position, command, result.stderr)
            if result.returncode == 5 and command == ("case", "list"):
                assert result.stderr.count("\n") == 1, result.stderr
            outcomes[result.returncode] = outcomes.get(result.returncode, 0) + 1
    assert outcomes.get(5), "no flip was ever noticed"
