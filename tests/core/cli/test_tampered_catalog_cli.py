"""The attack of the finding, end to end: redaction marks deleted with `sqlite3`, without the key.

Before row authentication, `fsck` and `audit verify` said intact and the next export shipped
the text under the box. Also: a malformed clear value is corruption (exit 5), not a traceback.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from dossier.sample.build import SAMPLE_CASE, SAMPLE_PASSPHRASE
from tests.conftest import run_cli
from tests.samplevault import sample_copy


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with sample_copy(tmp_path_factory) as built:
        yield built.folder


def _attacked(sample: Path, tmp_path: Path, sql: str) -> Path:
    folder = tmp_path / "Attacked.dossier"
    shutil.copytree(sample, folder)
    db = sqlite3.connect(folder / "catalog.sqlite")
    db.execute(sql)
    db.commit()
    db.close()
    return folder


def _run(tmp_path: Path, folder: Path, *args: str) -> tuple[int, str, str]:
    result = run_cli(tmp_path, "--vault", str(folder), *args, passphrase=SAMPLE_PASSPHRASE)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout, result.stderr


def test_deleting_redaction_marks_is_found_and_stops_the_export(
    sample: Path, tmp_path: Path
) -> None:
    folder = _attacked(sample, tmp_path, "DELETE FROM redaction WHERE kind IN ('term', 'rect')")
    code, out, _err = _run(tmp_path, folder, "fsck")
    assert code == 5 and "redaction: " in out and "row(s) deleted" in out
    code, out, _err = _run(tmp_path, folder, "audit", "verify")
    assert code == 5 and "redaction" in out
    bundle = tmp_path / "out.zip"
    code, _out, err = _run(tmp_path, folder, "export", "--case", SAMPLE_CASE, "--out", str(bundle))
    assert code == 5 and "altered outside Dossier" in err, err
    assert not bundle.exists()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE \"case\" SET created_at = 'not a date'",
        "UPDATE document SET updated_at = 'yesterday-ish'",
        "UPDATE page SET page_index = 'x'",
    ],
)
def test_a_malformed_clear_value_is_corruption_not_a_crash(
    sample: Path, tmp_path: Path, sql: str
) -> None:
    folder = _attacked(sample, tmp_path, sql)
    code, out, _err = _run(tmp_path, folder, "fsck")
    assert code == 5 and "DAMAGED" in out
    code, _out, err = _run(tmp_path, folder, "doc", "list", "--case", SAMPLE_CASE)
    assert code == 5 and err.startswith("dossier: ") and err.count("\n") == 1, err
    # Listing cases reads no document: it works unless a case row itself was changed.
    code, _out, err = _run(tmp_path, folder, "case", "list")
    assert code == (5 if '"case"' in sql else 0), err
