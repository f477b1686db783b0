"""Every CLI command that prints case content masks the sample's protected source.

The finding: `dossier search securite` printed "brigadière Corinne Valadier" from the scanned
memo. On the sample vault, each command (plain and --json) is run and its output searched for
every part of her names; `--reveal` shows them and the audit trail names who and where.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from dossier.pdf.ocr import tessdata_dir
from dossier.sample import content as c
from dossier.sample.build import SAMPLE_CASE, SAMPLE_PASSPHRASE
from dossier.services.workspace import Workspace
from dossier.text.fold import contains_term
from tests.conftest import run_cli
from tests.samplevault import sample_copy

PARTS = ("Corinne", "Valadier")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    if tessdata_dir() is None:  # the scanned memo names the source only once read by OCR
        pytest.skip("Tesseract fra/eng data not installed")
    with sample_copy(tmp_path_factory, ocr=True) as built:
        yield built.folder


def _run(tmp_path: Path, vault: Path, *args: str) -> str:
    result = run_cli(tmp_path, "--vault", str(vault), *args, passphrase=SAMPLE_PASSPHRASE)
    assert result.returncode == 0, (args, result.stderr)
    return result.stdout


def _leaks(text: str) -> list[str]:
    return [p for p in PARTS if contains_term(text, p)]


def _ids(vault: Path) -> tuple[str, list[str], str]:
    """The case, the documents naming the source (the scanned memo, the meeting note), a quote."""
    with Workspace.open(vault, SAMPLE_PASSPHRASE) as ws:
        case_id = ws.cases.resolve(SAMPLE_CASE)
        docs = [
            d.id
            for d in ws.documents.of_case(case_id, reveal=True)
            if "Valadier" in ws.documents.text(d.id)
        ]
        quote = ws.quotes.of_case(case_id)[0].id
    assert len(docs) == 2
    return case_id, docs, quote


def test_no_command_prints_a_part_of_the_protected_name(sample: Path, tmp_path: Path) -> None:
    assert c.SOURCE_SURNAME == "Valadier"
    case_id, docs, quote = _ids(sample)
    commands: list[tuple[str, ...]] = [
        ("search", "--case", case_id, "securite"),
        ("search", "--case", case_id, "Valadier"),
        ("search", "securite"),
        ("doc", "list", "--case", case_id),
        ("quote", "list", "--case", case_id),
        ("quote", "show", quote),
        ("letter", "list", "--case", case_id),
        ("timeline", "--case", case_id),
        ("person", "list", "--case", case_id),
        *(("doc", "show", doc, "--text") for doc in docs),
    ]
    for command in commands:
        for output in (
            _run(tmp_path, sample, *command),
            _run(tmp_path, sample, *command, "--json"),
        ):
            assert not _leaks(output), (command, output)
    with Workspace.open(sample, SAMPLE_PASSPHRASE) as ws:
        reveals = [r for r in ws.audit.records(case_id) if r.action == "person.reveal"]
    assert [r.details["where"] for r in reveals] == ["documents"]  # _ids above, not the CLI


def test_reveal_prints_the_name_and_the_audit_says_where(sample: Path, tmp_path: Path) -> None:
    case_id, docs, _ = _ids(sample)
    assert _leaks(_run(tmp_path, sample, "search", "--case", case_id, "securite", "--reveal"))
    shown = "".join(
        _run(tmp_path, sample, "doc", "show", doc, "--text", "--reveal") for doc in docs
    )
    assert _leaks(shown)
    entries = json.loads(_run(tmp_path, sample, "audit", "show", "--json"))
    reveals = [e for e in entries if e["action"] == "person.reveal"]
    where = [e["details"]["where"] for e in reveals]
    assert "search" in where and "doc show" in where, where
    assert all(e["details"]["person_ids"] for e in reveals)
