"""The case timeline: every dated item in order, filters, free entries, masked names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.db.models import Document, Note, Quote
from dossier.errors import NotFoundError, UsageError
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE, run_cli


def _seed(ws: Workspace) -> dict[str, str]:
    case = ws.cases.create("Video Synopsis").id
    clouet = ws.people.add(case, "Hadrien Clouet", role="elected").id
    ddsp = ws.people.add(case, "DDSP Haute-Garonne", role="official").id
    leonard = ws.people.add(case, "Patrick Léonard", role="official").id
    source = ws.people.add(case, "Marie Dufour", role="source", protection="protected").id
    letter = ws.letters.add(
        case,
        sender=clouet,
        recipients=[ddsp],
        sent_on="2023-11-20",
        deadline_days=10,
        working_days=True,
        subject="Video Synopsis",
        questions=["Since when?", "By whom?"],
    ).id
    reply = ws.letters.add_reply(
        case,
        sender=leonard,
        received_on="2023-11-22",
        via="La Dépêche du Midi",
        answers=[f"{letter}:1:declined"],
    ).id
    with ws.vault.session() as session:
        article = Document(case_id=case, kind="article")
        article.title = "Disclose investigation"
        article.date = "2023-11-14"
        undated = Document(case_id=case, kind="source")
        undated.title = "Undated leaflet"
        said = Quote(case_id=case, speaker_id=source)
        said.text = "Everyone in the unit knew the software was running."
        said.said_on = "2023-11-24"
        note = Note(case_id=case)
        note.title = "Call the CNIL"
        note.date = "2023-11-27"
        session.add_all([article, undated, said, note])
        session.commit()
        ids = {"article": article.id, "quote": said.id, "note": note.id}
    entry = ws.timeline.add_entry(
        case, when="2023-11-23", title="Interview", people=["Hadrien Clouet"], kind="interview"
    )
    ws.cases.update(case, published_on="2023-11-28")
    return {
        "case": case, "clouet": clouet, "leonard": leonard, "source": source,
        "letter": letter, "reply": reply, "entry": entry.ref_id, **ids,
    }  # fmt: skip


def test_timeline_holds_every_dated_item_in_order(workspace: Workspace) -> None:
    ids = _seed(workspace)
    items = workspace.timeline.items(ids["case"], as_of="2023-12-10")
    got = [(i.date, i.kind, i.ref_type, i.ref_id) for i in items]
    assert got == [
        ("2023-11-14", "document", "document", ids["article"]),
        ("2023-11-20", "letter", "letter", ids["letter"]),
        ("2023-11-22", "reply", "reply", ids["reply"]),
        ("2023-11-23", "interview", "event", ids["entry"]),
        ("2023-11-24", "quote", "quote", ids["quote"]),
        ("2023-11-27", "note", "note", ids["note"]),
        ("2023-11-28", "publication", "case", ids["case"]),
        ("2023-12-04", "deadline", "letter", ids["letter"]),
    ]
    reply = items[2]
    assert reply.title == "Reply from Patrick Léonard (La Dépêche du Midi)"
    assert reply.detail == "1: declined"
    assert items[-1].detail == "declined"


def test_filters_by_person_and_kind(workspace: Workspace) -> None:
    ids = _seed(workspace)
    case = ids["case"]
    clouet = workspace.timeline.items(case, person="clouet")
    assert [i.kind for i in clouet] == ["letter", "interview", "deadline"]
    assert all(ids["clouet"] in i.people for i in clouet)
    quotes = workspace.timeline.items(case, kinds=["quote", "reply"])
    assert [i.kind for i in quotes] == ["reply", "quote"]
    with pytest.raises(UsageError, match="unknown kind"):
        workspace.timeline.items(case, kinds=["gossip"])
    with pytest.raises(NotFoundError):
        workspace.timeline.items(case, person="Nobody")


def test_protected_speaker_is_masked_unless_revealed(workspace: Workspace) -> None:
    ids = _seed(workspace)
    items = workspace.timeline.items(ids["case"])
    assert "Marie Dufour" not in repr(items)
    quote = next(i for i in items if i.kind == "quote")
    assert quote.title.startswith("Source A: «Everyone in the unit")
    assert quote.names == ["Source A"]
    revealed = workspace.timeline.items(ids["case"], reveal=True)
    assert next(i for i in revealed if i.kind == "quote").names == ["Marie Dufour"]
    reveal = [r for r in workspace.audit.records() if r.action == "person.reveal"]
    assert reveal[-1].details["where"] == "timeline"


def test_free_entries_are_validated_and_removable(workspace: Workspace) -> None:
    ids = _seed(workspace)
    case = ids["case"]
    with pytest.raises(UsageError, match="invalid date"):
        workspace.timeline.add_entry(case, when="23/11/2023", title="x")
    with pytest.raises(UsageError, match="needs a title"):
        workspace.timeline.add_entry(case, when="2023-11-23", title="  ")
    with pytest.raises(NotFoundError):
        workspace.timeline.add_entry(case, when="2023-11-23", title="x", people=["Nobody"])
    with pytest.raises(UsageError, match="unknown entry kind"):
        workspace.timeline.add_entry(case, when="2023-11-23", title="x", kind="deadline")
    workspace.timeline.remove_entry(ids["entry"])
    assert ids["entry"] not in [i.ref_id for i in workspace.timeline.items(case)]
    with pytest.raises(NotFoundError):
        workspace.timeline.remove_entry(ids["entry"])
    actions = [r.action for r in workspace.audit.records()]
    assert actions.count("timeline.add") == 1 and actions.count("timeline.remove") == 1


def test_timeline_cli(tmp_path: Path, vault_path: Path) -> None:
    with Workspace.create(vault_path, PASSPHRASE, TEST_ONLY_FAST) as ws:
        _seed(ws)
    vault = str(vault_path)
    listed = run_cli(
        tmp_path, "--vault", vault, "timeline", "--case", "Video Synopsis", "--person",
        "Patrick Leonard", "--json",
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    items = json.loads(listed.stdout)
    assert [(i["kind"], i["ref_type"]) for i in items] == [("reply", "reply")]
    added = run_cli(
        tmp_path, "--vault", vault, "timeline", "add", "--case", "Video Synopsis", "--date",
        "2023-11-29", "--title", "Follow-up call", "--person", "Patrick Léonard", "--kind", "call",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    human = run_cli(
        tmp_path, "--vault", vault, "timeline", "--case", "Video Synopsis", "--as-of", "2023-12-10"
    )
    assert human.returncode == 0, human.stderr
    assert "Follow-up call" in human.stdout and "Marie Dufour" not in human.stdout
    assert "2023-12-04  deadline" in human.stdout
    bad = run_cli(tmp_path, "--vault", vault, "timeline", "--case", "Video Synopsis",
                  "--person", "Nobody")  # fmt: skip
    assert bad.returncode == 2 and "no person 'Nobody'" in bad.stderr
    assert "Traceback" not in bad.stderr
    missing = run_cli(tmp_path, "--vault", vault, "timeline")
    assert missing.returncode == 2 and "--case" in missing.stderr
