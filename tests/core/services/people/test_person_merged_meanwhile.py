"""Whatever names a person is stored naming the person kept when that person is merged into
another while it is written, as the merge moved every reference it found (a651d4f did it for
a quote's speaker).

A timeline entry, a letter or a reply resolved its people before taking the write lock: a
merge committed in between left the new row naming the person merged away, the one reference
the merge had not moved. A document's people and a redaction rule's person were stored as the
ids given, a person merged away before the call included."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from dossier.db.models import Document, Event, Letter, Person, Quote, Redaction, Reply
from dossier.services.documents.dto import DocumentEdit
from dossier.services.workspace import Workspace
from tests.alongside import Alongside, alongside
from tests.pdfgen import text_page, write_pdf


class _Pair:
    def __init__(self, ws: Workspace, case: str, n: int = 0) -> None:
        self.kept = ws.people.add(case, f"Claire Dumas{n}").id
        self.dropped = ws.people.add(case, f"Paul Vidal{n}").id


def _merging_while_resolved(
    ws: Workspace,
    case: str,
    pair: _Pair,
    monkeypatch: pytest.MonkeyPatch,
    at: int,
    beside: ExitStack,
) -> list[Alongside]:
    """At the `at`-th lookup of the person merged away, another thread merges them into the
    person kept (joined, and what it raised raised, when `beside` closes); that lookup waits
    for the merge while it may commit (a second at most: a write holding the write lock makes
    the merge wait for its commit)."""
    find = ws.people.find
    seen: list[str] = []
    merging: list[Alongside] = []

    def find_then_merge(session: Any, case_id: str, ref: str) -> Any:
        person = find(session, case_id, ref)
        merger_looks = any(threading.current_thread() in run.threads for run in merging)
        if ref == pair.dropped and not merger_looks:
            seen.append(ref)
            if len(seen) == at:
                merger = alongside(lambda: ws.people.merge(case, pair.kept, ref))
                merging.append(merger)
                beside.enter_context(merger).wait(1.0)
        return person

    monkeypatch.setattr(ws.people, "find", find_then_merge)
    return merging


def _named(ws: Workspace) -> dict[str, set[str | None]]:
    """Every person id each kind of row names (what `people/links.py` moves)."""
    with ws.vault.session() as session:
        named: dict[str, set[str | None]] = {
            "quote": {q.speaker_id for q in session.query(Quote)},
            "redaction": {r.person_id for r in session.query(Redaction)},
            "reply": {r.sender_id for r in session.query(Reply)},
            "letter": set(),
        }
        for letter in session.query(Letter):
            named["letter"] |= {letter.sender_id, *letter.recipient_ids, *letter.cosigner_ids}
        for model in (Document, Event):
            named[model.__tablename__] = {p for row in session.query(model) for p in row.people}
        merged = {p.id for p in session.query(Person) if p.merged_into_id is not None}
    return {kind: ids & merged for kind, ids in named.items() if ids & merged}


def _entry(ws: Workspace, case: str, pair: _Pair) -> None:
    ws.timeline.add_entry(case, when="2024-03-04", title="Entretien", people=[pair.dropped])


def _letter(ws: Workspace, case: str, pair: _Pair) -> None:
    other = ws.people.add(case, "Préfecture").id
    ws.letters.add(case, sender=other, recipients=[pair.dropped], questions=["Pourquoi ?"])


def _reply(ws: Workspace, case: str, pair: _Pair) -> None:
    ws.letters.add_reply(case, sender=pair.dropped, received_on="2024-03-05", summary="Non.")


@pytest.mark.parametrize(
    ("write", "at"),
    [(_entry, 1), (_letter, 2), (_reply, 2)],  # letters look their people up before the import
    ids=["timeline-entry", "letter", "reply"],
)
def test_a_row_written_while_its_person_is_merged_names_the_person_kept(
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    write: Callable[[Workspace, str, _Pair], None],
    at: int,
) -> None:
    ws = workspace
    case = ws.cases.create("Fusions").id
    pair = _Pair(ws, case)
    with ExitStack() as beside:
        merging = _merging_while_resolved(ws, case, pair, monkeypatch, at, beside)
        write(ws, case, pair)
    assert merging, "the merge ran while the row was written"
    with ws.vault.session() as session:
        assert session.get(Person, pair.dropped).merged_into_id == pair.kept  # type: ignore[union-attr]
    assert _named(ws) == {}
    assert ws.fsck.run().problems == []


def test_a_document_given_a_person_merged_away_names_the_person_kept(
    workspace: Workspace, tmp_path: Path
) -> None:
    ws = workspace
    case = ws.cases.create("Fusions").id
    pair = _Pair(ws, case)
    doc = ws.documents.import_file(case, write_pdf(tmp_path / "m.pdf", [text_page("Mémo.")])).id
    ws.people.merge(case, pair.kept, pair.dropped)  # after the window listed the people
    assert ws.documents.update(doc, DocumentEdit(people=[pair.dropped, pair.kept])).people == [
        pair.kept
    ]
    assert ws.redactions.add_person(pair.dropped).person_id == pair.kept
    assert _named(ws) == {}


def test_rows_written_beside_merges_never_name_a_person_merged_away(
    workspace: Workspace,
) -> None:
    """Entries and replies written again and again by one thread, each naming the person
    about to be merged away, while the test merges one pair after another: each merge begins
    as the writer begins a row (it waits for the writer's next round), a dozen contests however
    fast or slow the machine. Written only as long as the merges ran, the rows were 3 and the
    merges met one of them or none."""
    ws = workspace
    case = ws.cases.create("Fusions").id
    pairs = [_Pair(ws, case, n) for n in range(12)]
    named = [pairs[0]]
    written = [0]

    def writing() -> None:
        (_entry, _reply)[written[0] % 2](ws, case, named[0])
        written[0] += 1

    with alongside(writing, repeat=True) as writer:
        for pair in pairs:
            named[0] = pair
            writer.wait_rounds(writer.rounds + 2)  # a row naming it written, the next begun
            ws.people.merge(case, pair.kept, pair.dropped)
    assert written[0] >= 2 * len(pairs)
    assert _named(ws) == {}
