"""People of a case: references, protection and pseudonyms, merging duplicates."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dossier.db.models import Document, Event, Letter, Note, Person, Quote, Redaction, Reply
from dossier.errors import NotFoundError, UsageError
from dossier.services.people.dto import PersonEdit
from dossier.services.people.service import display_name, fold
from dossier.services.workspace import Workspace


@pytest.fixture
def case(workspace: Workspace) -> str:
    return workspace.cases.create("Video Synopsis").id


def _actions(ws: Workspace) -> list[str]:
    return [r.action for r in ws.audit.records()]


def test_fold_ignores_case_accents_and_spacing() -> None:
    assert fold("  François   PIQUEMAL ") == "francois piquemal"
    assert fold("Léonard") == fold("leonard")


def test_protected_people_get_pseudonyms_and_are_masked(workspace: Workspace, case: str) -> None:
    ws = workspace
    ws.people.add(case, "Hadrien Clouet", role="elected", aliases=["@HadrienClouet"])
    first = ws.people.add(
        case, "Marie Dufour", role="source", protection="protected", notes="agent, Toulouse"
    )
    second = ws.people.add(case, "Luc Garnier", role="source", protection="anonymous")
    chosen = ws.people.add(case, "Inès Roy", protection="protected", pseudonym="La greffière")
    assert (first.name, first.masked, first.notes) == ("Source A", True, "")
    assert second.name == "Source B"
    assert chosen.name == "La greffière"

    listed = {p.id: p for p in ws.people.of_case(case)}
    assert listed[first.id].name == "Source A"
    assert listed[first.id].aliases == [] and listed[first.id].notes == ""
    assert "Marie Dufour" not in repr(list(listed.values()))
    assert "Hadrien Clouet" in [p.name for p in listed.values()]
    assert "person.reveal" not in _actions(ws)

    revealed = {p.id: p for p in ws.people.of_case(case, reveal=True)}
    assert revealed[first.id].name == "Marie Dufour"
    assert revealed[first.id].notes == "agent, Toulouse"
    reveal_entries = [r for r in ws.audit.records() if r.action == "person.reveal"]
    assert len(reveal_entries) == 1
    assert set(reveal_entries[0].details["person_ids"]) == {first.id, second.id, chosen.id}

    with ws.vault.session() as session:
        row = session.get(Person, first.id)
        assert row is not None
        assert display_name(row) == "Source A"
        assert display_name(row, reveal=True) == "Marie Dufour"
    assert ws.people.export_names(case)[first.id] == "Source A"
    assert "Marie Dufour" in ws.people.withheld_terms(case)
    assert "Hadrien Clouet" not in ws.people.withheld_terms(case)


def test_references_by_id_name_alias_pseudonym_and_words(workspace: Workspace, case: str) -> None:
    ws = workspace
    piquemal = ws.people.add(case, "François Piquemal", role="elected", aliases=["FraPiquemal"])
    source = ws.people.add(case, "Marie Dufour", protection="protected")
    for ref in ("François Piquemal", "francois piquemal", "FRAPIQUEMAL", "piquemal", piquemal.id):
        assert ws.people.resolve(case, ref) == piquemal.id
    assert ws.people.resolve(case, "source a") == source.id
    with pytest.raises(NotFoundError, match="no person 'Nobody'"):
        ws.people.resolve(case, "Nobody")


def test_ambiguous_reference_lists_candidates(workspace: Workspace, case: str) -> None:
    ws = workspace
    one = ws.people.add(case, "Anne Stambach", role="elected")
    two = ws.people.add(case, "Anne Martin", role="journalist")
    with pytest.raises(UsageError, match="several people") as raised:
        ws.people.resolve(case, "anne")
    assert one.id in str(raised.value) and two.id in str(raised.value)


def test_ambiguity_never_prints_a_protected_name(workspace: Workspace, case: str) -> None:
    ws = workspace
    ws.people.add(case, "Paul Vidal", protection="protected")
    ws.people.add(case, "Paul Roux")
    with pytest.raises(UsageError) as raised:
        ws.people.resolve(case, "paul")
    assert "Paul Vidal" not in str(raised.value)
    assert "Source A" in str(raised.value)


def test_bad_input_is_refused_and_nothing_stored(workspace: Workspace, case: str) -> None:
    ws = workspace
    before = len(ws.audit.records())
    with pytest.raises(UsageError, match="unknown role"):
        ws.people.add(case, "X", role="spy")
    with pytest.raises(UsageError, match="unknown protection"):
        ws.people.add(case, "X", protection="secret")
    with pytest.raises(UsageError, match="needs a name"):
        ws.people.add(case, "   ")
    ws.people.add(case, "Anne Stambach")
    with pytest.raises(UsageError, match="already has a person"):
        ws.people.add(case, "anne  STAMBACH")
    with pytest.raises(UsageError, match="must differ"):
        ws.people.add(case, "Marie Dufour", protection="protected", pseudonym="marie dufour")
    with pytest.raises(UsageError, match="already used"):
        ws.people.add(case, "Luc Garnier", protection="protected", pseudonym="Anne Stambach")
    assert [p.name for p in ws.people.of_case(case)] == ["Anne Stambach"]
    assert len(ws.audit.records()) == before + 1


def test_editing_protection_assigns_a_pseudonym(workspace: Workspace, case: str) -> None:
    ws = workspace
    person = ws.people.add(case, "Marie Dufour", role="source")
    assert not person.masked
    edited = ws.people.update(case, "Marie Dufour", PersonEdit(protection="protected"))
    assert edited.masked and edited.name == "Source A"
    assert "person.edit" in _actions(ws)
    with pytest.raises(UsageError, match="list of names"):
        ws.people.update(case, "Source A", PersonEdit(aliases="Zorba"))


def _link_everything(ws: Workspace, case_id: str, person_id: str, other_id: str) -> dict[str, str]:
    """One row of every kind that points at `person_id`; returns their ids."""
    with ws.vault.session() as session:
        doc = Document(case_id=case_id, kind="article")
        doc.title = "La Dépêche du Midi"
        doc.people = [person_id, other_id]
        quote = Quote(case_id=case_id, speaker_id=person_id)
        quote.text = "Le logiciel n'a jamais servi chez nous."
        quote.said_on = "2023-11-21"
        note = Note(case_id=case_id)
        note.people = [person_id]
        event = Event(case_id=case_id)
        event.date = "2023-11-23"
        event.people = [person_id]
        redaction = Redaction(case_id=case_id, kind="person")
        redaction.person_id = person_id
        session.add_all([doc, quote, note, event, redaction])
        session.commit()
        return {"doc": doc.id, "quote": quote.id, "note": note.id, "event": event.id,
                "redaction": redaction.id}  # fmt: skip


def test_merge_keeps_every_link(workspace: Workspace, case: str) -> None:
    ws = workspace
    keep = ws.people.add(case, "Patrick Léonard", role="official")
    drop = ws.people.add(case, "P. Léonard", aliases=["commissaire Léonard"], role="official")
    deputy = ws.people.add(case, "Hadrien Clouet", role="elected")
    ws.people.add(case, "DDSP 31", role="official")
    rows = _link_everything(ws, case, drop.id, deputy.id)
    letter = ws.letters.add(
        case,
        sender="Hadrien Clouet",
        recipients=["DDSP 31", "P. Léonard"],
        sent_on="2023-11-20",
        questions=["Depuis quand ?"],
    )
    reply = ws.letters.add_reply(case, sender="commissaire Léonard", received_on="2023-11-22")

    outcome = ws.people.merge(case, "Patrick Léonard", "P. Léonard")

    assert outcome.dropped_id == drop.id
    assert outcome.links["quotes"] == 1 and outcome.links["replies"] == 1
    assert outcome.links["letters"] == 1 and outcome.links["documents"] == 1
    assert set(outcome.kept.aliases) == {"P. Léonard", "commissaire Léonard"}
    with ws.vault.session() as session:
        assert session.get(Quote, rows["quote"]).speaker_id == keep.id
        assert session.get(Document, rows["doc"]).people == [keep.id, deputy.id]
        assert session.get(Note, rows["note"]).people == [keep.id]
        assert session.get(Event, rows["event"]).people == [keep.id]
        assert session.get(Redaction, rows["redaction"]).person_id == keep.id
        assert session.get(Reply, reply.id).sender_id == keep.id
        stored = session.get(Letter, letter.id)
        assert stored is not None
        assert stored.recipient_ids == [ws.people.resolve(case, "DDSP 31"), keep.id]
        dropped = session.get(Person, drop.id)
        assert dropped is not None and dropped.merged_into_id == keep.id
        still_pointing = [q for q in session.scalars(select(Quote)) if q.speaker_id == drop.id]
        assert still_pointing == []
    # The old names and the old id now lead to the kept person; lists show one person.
    assert ws.people.resolve(case, "commissaire leonard") == keep.id
    assert ws.people.resolve(case, drop.id) == keep.id
    assert [p.id for p in ws.people.of_case(case) if "Léonard" in p.name] == [keep.id]
    merges = [r for r in ws.audit.records() if r.action == "person.merge"]
    assert merges[0].details["kept"] == keep.id and merges[0].details["dropped"] == drop.id
    # The timeline of the kept person shows what was linked to the dropped one.
    kinds = {i.kind for i in ws.timeline.items(case, person="Patrick Léonard")}
    assert {"quote", "reply", "letter", "entry"} <= kinds


def test_merge_keeps_the_stricter_protection(workspace: Workspace, case: str) -> None:
    ws = workspace
    keep = ws.people.add(case, "Marie Dufour", role="source")
    ws.people.add(case, "M. Dufour", protection="protected", pseudonym="La source")
    outcome = ws.people.merge(case, keep.id, "La source")
    assert outcome.kept.masked and outcome.kept.name == "La source"
    assert outcome.kept.protection == "protected"
    assert {"Marie Dufour", "M. Dufour"} <= set(ws.people.withheld_terms(case))


def test_merge_refuses_a_person_with_itself(workspace: Workspace, case: str) -> None:
    ws = workspace
    person = ws.people.add(case, "Anne Stambach")
    with pytest.raises(UsageError, match="same person"):
        ws.people.merge(case, "Anne Stambach", person.id)


def test_chained_merges_follow_to_the_last_kept_person(workspace: Workspace, case: str) -> None:
    ws = workspace
    a = ws.people.add(case, "Christophe Bex")
    ws.people.add(case, "C. Bex")
    ws.people.add(case, "Bex Christophe (député)")
    ws.people.merge(case, "Bex Christophe (député)", "C. Bex")
    ws.people.merge(case, "Christophe Bex", "Bex Christophe (député)")
    assert ws.people.resolve(case, "C. Bex") == a.id
    assert set(ws.people.display_names(case).values()) == {"Christophe Bex"}


def test_search_items_never_carry_a_protected_name(workspace: Workspace, case: str) -> None:
    ws = workspace
    ws.people.add(case, "Marie Dufour", protection="protected", notes="works at the DDSP")
    ws.people.add(case, "Hadrien Clouet", role="elected", aliases=["@HadrienClouet"])
    items = ws.letters.searchable_items(case)
    people = [i for i in items if i.item_type == "person"]
    assert len(people) == 2
    text = repr(people)
    assert "Marie Dufour" not in text and "DDSP" not in text
    assert "Source A" in text and "@HadrienClouet" in text
