"""The audit trail: every change recorded, `audit show`, and `audit verify` catching tampering."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.errors import NotFoundError
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE, run_cli


def _fill(ws: Workspace) -> str:
    case = ws.cases.create("Video Synopsis").id
    ws.people.add(case, "Hadrien Clouet", role="elected")
    ws.people.add(case, "DDSP Haute-Garonne", role="official")
    ws.people.add(case, "DDSP 31", role="official")
    letter = ws.letters.add(
        case,
        sender="Hadrien Clouet",
        recipients=["DDSP Haute-Garonne"],
        sent_on="2023-11-20",
        questions=["Since when?"],
    )
    ws.letters.add_reply(case, sender="DDSP 31", received_on="2023-11-24", letter=letter.id)
    ws.people.merge(case, "DDSP Haute-Garonne", "DDSP 31")
    ws.timeline.add_entry(case, when="2023-11-23", title="Interview")
    return case


def test_every_change_is_audited_in_order(workspace: Workspace) -> None:
    case = _fill(workspace)
    records = workspace.audit.records(case)
    assert [r.action for r in records] == [
        "case.create",
        "person.add",
        "person.add",
        "person.add",
        "letter.add",
        "reply.add",
        "person.merge",
        "timeline.add",
    ]
    assert [r.seq for r in records] == sorted(r.seq for r in records)
    # Details name items by id only: the trail is encrypted, but it need not hold names.
    assert "Clouet" not in json.dumps([r.details for r in records])
    assert workspace.audit.verify().ok


def test_a_refused_change_leaves_no_entry(workspace: Workspace) -> None:
    case = _fill(workspace)
    before = len(workspace.audit.records())
    with pytest.raises(NotFoundError):
        workspace.letters.add(case, sender="Nobody", recipients=["DDSP 31"], sent_on="2023-11-20")
    with pytest.raises(NotFoundError):
        workspace.people.merge(case, "Hadrien Clouet", "Nobody")
    assert len(workspace.audit.records()) == before


@pytest.fixture
def filled_vault(vault_path: Path) -> Path:
    with Workspace.create(vault_path, PASSPHRASE, TEST_ONLY_FAST) as ws:
        _fill(ws)
    return vault_path


def _verify(tmp_path: Path, vault: Path) -> tuple[int, dict[str, Any]]:
    result = run_cli(tmp_path, "--vault", str(vault), "audit", "verify", "--json")
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout)


def _db(vault: Path) -> contextlib.closing[sqlite3.Connection]:
    return contextlib.closing(sqlite3.connect(vault / "catalog.sqlite"))


def test_show_and_verify_an_intact_trail(tmp_path: Path, filled_vault: Path) -> None:
    vault = str(filled_vault)
    code, report = _verify(tmp_path, filled_vault)
    assert code == 0 and report == {"ok": True, "entries": 8, "problems": []}
    shown = run_cli(tmp_path, "--vault", vault, "audit", "show", "--json")
    assert shown.returncode == 0, shown.stderr
    assert [e["action"] for e in json.loads(shown.stdout)][-2:] == ["person.merge", "timeline.add"]
    merges = run_cli(tmp_path, "--vault", vault, "audit", "show", "--action", "person.")
    assert merges.stdout.count("person.add") == 3 and "person.merge" in merges.stdout
    assert "letter.add" not in merges.stdout
    last = run_cli(tmp_path, "--vault", vault, "audit", "show", "--last", "1", "--json")
    assert [e["action"] for e in json.loads(last.stdout)] == ["timeline.add"]
    human = run_cli(tmp_path, "--vault", vault, "audit", "verify")
    assert human.returncode == 0 and "8 entries, intact" in human.stdout


def test_verify_detects_an_altered_entry(tmp_path: Path, filled_vault: Path) -> None:
    with _db(filled_vault) as db:
        sealed = db.execute("SELECT sealed FROM audit_entry WHERE seq = 5").fetchone()[0]
        damaged = bytearray(sealed)
        damaged[len(damaged) // 2] ^= 0x01
        db.execute("UPDATE audit_entry SET sealed = ? WHERE seq = 5", (bytes(damaged),))
        db.commit()
    code, report = _verify(tmp_path, filled_vault)
    assert code == 5 and report["ok"] is False
    assert any("entry 5" in p for p in report["problems"])


@pytest.mark.parametrize(
    ("removed", "problem"),
    [("3", "missing"), ("(SELECT MAX(seq) FROM audit_entry)", "last audit entries")],
    ids=["a middle entry", "the last entry"],
)
def test_verify_detects_a_removed_entry(
    tmp_path: Path, filled_vault: Path, removed: str, problem: str
) -> None:
    with _db(filled_vault) as db:
        db.execute(f"DELETE FROM audit_entry WHERE seq = {removed}")
        db.commit()
    code, report = _verify(tmp_path, filled_vault)
    assert code == 5
    assert any(problem in p for p in report["problems"])


def test_verify_detects_swapped_entries(tmp_path: Path, filled_vault: Path) -> None:
    # Swapping two entries' payloads and links keeps every row well-formed but breaks the chain.
    with _db(filled_vault) as db:
        rows = dict(
            (seq, (sealed, chain))
            for seq, sealed, chain in db.execute(
                "SELECT seq, sealed, chain FROM audit_entry WHERE seq IN (2, 3)"
            )
        )
        for seq, other in ((2, 3), (3, 2)):
            sealed, chain = rows[other]
            db.execute(
                "UPDATE audit_entry SET sealed = ?, chain = ? WHERE seq = ?", (sealed, chain, seq)
            )
        db.commit()
    code, report = _verify(tmp_path, filled_vault)
    assert code == 5 and not report["ok"]


def test_an_import_is_audited_once_per_commit_naming_each_document(
    tmp_path: Path, workspace: Workspace
) -> None:
    """A batch's files committed together are one entry naming every document they brought
    (an entry each was a fifth of a mailbox's commits); a file imported alone is named as
    before. `audit show` lists each."""
    case = workspace.cases.create("Notes").id
    paths = []
    for number in range(12):
        path = tmp_path / f"note-{number}.txt"
        path.write_text(f"Note {number} au conseil.\n", encoding="utf-8")
        paths.append(path)
    alone = workspace.documents.import_file(case, paths[0])
    batch = [o.document.id for o in workspace.documents.import_many(case, paths[1:]) if o.document]
    imports = [r for r in workspace.audit.records(case) if r.action == "document.import"]
    assert imports[0].details == {"doc_id": alone.id, "pages": 1}
    assert [doc for r in imports[1:] for doc in r.details["doc_ids"]] == batch
    assert len(batch) == 11 and len(imports) < 1 + len(batch)
    assert sum(r.details["pages"] for r in imports[1:]) == 11
    assert workspace.audit.verify().ok
    folder = workspace.vault.folder
    workspace.close()
    shown = run_cli(tmp_path, "--vault", str(folder), "audit", "show", "--action", "document.")
    assert shown.returncode == 0, shown.stderr
    assert all(doc in shown.stdout for doc in [alone.id, *batch])
