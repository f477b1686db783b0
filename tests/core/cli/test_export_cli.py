"""The CLI end to end: marks, export (plain and sealed), verify, import-bundle."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pymupdf

from tests.conftest import run_cli
from tests.pdfgen import text_page, write_pdf


def _cli(tmp_path: Path, vault: Path, *args: str) -> dict:  # type: ignore[type-arg]
    result = run_cli(tmp_path, "--vault", str(vault), *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_redact_export_verify_import(tmp_path: Path) -> None:
    vault = tmp_path / "v.dossier"
    assert run_cli(tmp_path, "--vault", str(vault), "init").returncode == 0
    pdf = write_pdf(
        tmp_path / "pv.pdf",
        [
            text_page(
                "Procès-verbal : Mme Honorine Lespinasse, témoin, joignable au 06 12 34 56 78, "
                "a confirmé la réunion du comité.",
                "La séance est levée à dix-huit heures.",
            )
        ],
    )
    _cli(tmp_path, vault, "case", "create", "PV")
    (imported,) = _cli(tmp_path, vault, "import", "--case", "PV", str(pdf))
    doc_id = imported["document"]["id"]
    term = _cli(tmp_path, vault, "redact", "add", "--case", "PV", "--term", "Lespinasse")
    _cli(tmp_path, vault, "redact", "add", "--doc", doc_id, "--pattern", "phone")
    rect = _cli(
        tmp_path, vault, "redact", "add", "--doc", doc_id, "--page", "1", "--rect", "50,750,200,800"
    )
    marks = _cli(tmp_path, vault, "redact", "list", "--case", "PV")
    assert sorted(m["kind"] for m in marks) == ["pattern", "rect", "term"]
    _cli(tmp_path, vault, "redact", "remove", rect["id"])
    assert len(_cli(tmp_path, vault, "redact", "list", "--case", "PV")) == 2
    assert term["term"] == "Lespinasse"

    out = tmp_path / "pv.zip"
    result = _cli(tmp_path, vault, "export", "--case", "PV", "--out", str(out))
    fingerprint = result["fingerprint"]
    assert result["documents"][0]["redactions"] == {"rect": 0, "term": 1, "pattern": 1, "person": 0}
    with zipfile.ZipFile(out) as archive:
        pdf_name = next(n for n in archive.namelist() if n.endswith(".pdf"))
        with pymupdf.open(stream=archive.read(pdf_name), filetype="pdf") as doc:
            text = doc[0].get_text()
    assert "Lespinasse" not in text and "06 12" not in text and "séance est levée" in text

    human = run_cli(tmp_path, "--vault", str(vault), "export", "--case", "PV", "--out", str(out))
    assert human.returncode == 2 and "exists" in human.stderr
    human = run_cli(
        tmp_path, "--vault", str(vault), "export", "--case", "PV", "--out", str(out), "--force"
    )
    assert human.returncode == 0 and f"signing key fingerprint: {fingerprint}" in human.stdout

    verified = run_cli(tmp_path, "verify", str(out), "--pubkey", fingerprint)
    assert verified.returncode == 0 and "signature: valid" in verified.stdout

    secret = tmp_path / "pass.txt"
    secret.write_text("transport\n", encoding="utf-8")
    sealed = tmp_path / "sealed.zip"
    _cli(
        tmp_path,
        vault,
        "export",
        "--case",
        "PV",
        "--out",
        str(sealed),
        "--bundle-passphrase-file",
        str(secret),
        "--rasterize-redacted",
    )
    locked = run_cli(tmp_path, "verify", str(sealed))
    assert locked.returncode == 6 and "passphrase" in locked.stderr
    opened = run_cli(tmp_path, "verify", str(sealed), "--bundle-passphrase-file", str(secret))
    assert opened.returncode == 0, opened.stderr

    back = _cli(
        tmp_path,
        vault,
        "import-bundle",
        str(sealed),
        "--case",
        "PV reçu",
        "--bundle-passphrase-file",
        str(secret),
        "--pubkey",
        fingerprint,
    )
    assert back["case_name"] == "PV reçu" and len(back["documents"]) == 1
    again = run_cli(tmp_path, "--vault", str(vault), "import-bundle", str(out), "--case", "PV reçu")
    assert again.returncode == 2 and "already exists" in again.stderr


def test_bad_marks_are_refused(tmp_path: Path) -> None:
    vault = tmp_path / "v.dossier"
    assert run_cli(tmp_path, "--vault", str(vault), "init").returncode == 0
    _cli(tmp_path, vault, "case", "create", "X")
    for args, words in [
        (["--case", "X", "--term", "a"], "two letters"),
        (["--rect", "1,2,3,4"], "--doc"),
        (["--doc", "nope", "--page", "1", "--rect", "1,2,3"], "x0,y0,x1,y1"),
        (["--term", "Dupont"], "--case"),
    ]:
        result = run_cli(tmp_path, "--vault", str(vault), "redact", "add", *args)
        assert result.returncode == 2, (args, result.stderr)
        assert words in result.stderr and "Traceback" not in result.stderr
