"""Every CLI failure is one escaped sentence and a documented exit code, never a traceback.

Run in-process through `dossier.cli.main.main` (the exit code it returns is the process's);
one case runs the real console script to show a bug's line and log file end to end.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dossier.cli import main as cli_main
from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.services.documents.dto import DocumentEdit
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE, cli_env
from tests.faults import FullDisk
from tests.paths import REPO
from tests.pdfgen import many_pages_pdf, text_pdf

DOCUMENTED = {0, 1, 2, 3, 4, 5, 6, 7, 70, 130}
HUGE_COUNT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 99999999>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "V.dossier"
    with Workspace.create(path, PASSPHRASE, TEST_ONLY_FAST) as ws:
        ws.cases.create("Case")
    monkeypatch.setenv("DOSSIER_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("DOSSIER_LOG_DIR", str(tmp_path / "logs"))
    return path


def _main(argv: list[str]) -> int:
    """`cli_main.main`, the passphrase put back in the environment after it: the CLI takes it
    out once read, and these tests run several commands in this one process."""
    saved = os.environ.get("DOSSIER_PASSPHRASE")
    try:
        return cli_main.main(argv)
    finally:
        if saved is not None:
            os.environ["DOSSIER_PASSPHRASE"] = saved


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = _main(list(argv))
    out, err = capsys.readouterr()
    assert code in DOCUMENTED, (code, err)
    assert "Traceback" not in err
    return code, out, err


def one_line(err: str) -> str:
    assert err.startswith("dossier: ") and err.count("\n") == 1, err
    return err


def test_a_page_tree_claiming_99999999_pages_is_refused(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "count.pdf"
    bad.write_bytes(HUGE_COUNT_PDF)
    assert len(HUGE_COUNT_PDF) < 300
    code, _out, err = run(capsys, "--vault", str(vault), "import", "--case", "Case", str(bad))
    assert code == 6
    assert "“count.pdf” is damaged" in one_line(err)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("two\nlines.pdf", "two\\nlines.pdf"),
        ("invoice\u202efdp.exe", "invoice\\u202efdp.exe"),
        ("bell\x07\x1b[31m.pdf", "bell\\x07\\x1b[31m.pdf"),
    ],
)
def test_names_from_outside_are_escaped_in_messages(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, shown: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(b"not a pdf at all, only text \x00\x01 binary")
    code, _out, err = run(capsys, "--vault", str(vault), "import", "--case", "Case", str(bad))
    assert code == 6
    assert shown in one_line(err)
    assert "\u202e" not in err and "\x1b" not in err and "\x07" not in err


def test_listings_escape_titles(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = text_pdf(tmp_path / "memo.pdf", "A memo about the harbour.")
    assert run(capsys, "--vault", str(vault), "import", "--case", "Case", str(pdf))[0] == 0
    doc_id = Workspace.open(vault, PASSPHRASE)
    with doc_id as ws:
        (doc,) = ws.documents.of_case("Case")
        ws.documents.update(doc.id, DocumentEdit(title="Evil\u202eexe.pdf\nsecond line"))
    code, out, _err = run(capsys, "--vault", str(vault), "doc", "list", "--case", "Case")
    assert code == 0
    assert "Evil\\u202eexe.pdf\\nsecond line" in out and "\u202e" not in out
    assert out.count("\n") == 1


def test_a_bug_is_one_line_and_a_log_without_case_content(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> object:
        raise ValueError("secret source Mme Lambert, 12 rue des Lilas")

    monkeypatch.setattr("dossier.services.cases.CaseService.all", broken)
    code, _out, err = run(capsys, "--vault", str(vault), "case", "list")
    assert code == 70
    line = one_line(err)
    assert "internal error (ValueError)" in line and "Lambert" not in line
    logs = list((tmp_path / "logs").iterdir())
    assert len(logs) == 1 and str(logs[0]) in line
    report = logs[0].read_text(encoding="utf-8")
    assert "ValueError" in report and "in broken" in report
    assert "Lambert" not in report and "Lilas" not in report
    assert str(tmp_path) not in report  # paths start at the package: no user name


def test_the_console_script_reports_a_refusal_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "count.pdf"
    bad.write_bytes(HUGE_COUNT_PDF)
    done = subprocess.run(
        [sys.executable, "-m", "dossier", "anchor", str(bad), "quote"],
        env=cli_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode == 6, done.stderr
    assert re.fullmatch(r"dossier: [^\n]+\n", done.stderr), done.stderr


def test_a_full_disk_is_exit_code_7_in_one_line_and_keeps_nothing_half_written(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = many_pages_pdf(tmp_path / "memo.pdf", 30)
    disk = FullDisk(random.Random(1))
    codes = set()
    for limit in (4_096, 16_384, 65_536):  # the blob, the catalog, the index: whichever first
        with disk.armed(limit, None):
            code = _main(["--vault", str(vault), "import", "--case", "Case", str(pdf)])
        _out, err = capsys.readouterr()
        assert "Traceback" not in err
        if code == 0:
            continue
        codes.add(code)
        assert code == 7, err
        assert "not enough disk space" in one_line(err) or "could not be written" in err
    assert codes == {7}
    assert not [p for p in vault.rglob(".tmp-*") if p.is_file()]
    assert run(capsys, "--vault", str(vault), "fsck")[0] == 0


def test_a_secret_file_that_is_not_utf8_is_one_sentence_exit_2(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every option that reads a passphrase or a password from a file (was a UnicodeDecodeError
    reported as an internal error, exit 70)."""
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"latin-1 phrase d\xe9j\xe0 vue, long enough\n")
    memo = text_pdf(tmp_path / "memo.pdf", "A memo.")
    for argv in (
        ["--passphrase-file", str(secret), "fsck"],
        ["passwd", "--new-passphrase-file", str(secret)],
        ["import", "--case", "Case", "--pdf-password-file", str(secret), str(memo)],
        ["export", "--case", "Case", "--out", str(tmp_path / "b.zip"),
         "--bundle-passphrase-file", str(secret)],
    ):  # fmt: skip
        code, _out, err = run(capsys, "--vault", str(vault), *argv)
        assert code == 2, (argv, err)
        assert "is not valid UTF-8" in one_line(err), err
    assert run(capsys, "--vault", str(vault), "fsck")[0] == 0
