"""A mask is kept between calls (an import masks each file's progress with it), never past a
change to the case's people: after any way of protecting, renaming or merging someone, the
kept mask is the one the people now give, and an import's progress hides the new name at once.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from dossier.services.people.dto import PersonEdit
from dossier.services.people.screen import screen_mask
from dossier.services.workspace import Workspace

Change = Callable[[Workspace, str, str], None]


def _protect(ws: Workspace, case_id: str, person_id: str) -> None:
    ws.people.update(case_id, person_id, PersonEdit(protection="protected", pseudonym="Source K"))


def _alias(ws: Workspace, case_id: str, person_id: str) -> None:
    ws.people.update(case_id, person_id, PersonEdit(aliases=["Zorba"]))


def _pseudonym(ws: Workspace, case_id: str, person_id: str) -> None:
    ws.people.update(case_id, person_id, PersonEdit(pseudonym="Source M"))


def _rename(ws: Workspace, case_id: str, person_id: str) -> None:
    ws.people.update(case_id, person_id, PersonEdit(name="Ophélie Quarantaine"))


def _add_protected(ws: Workspace, case_id: str, _person_id: str) -> None:
    ws.people.add(case_id, "Théodore Vandenbroucke", protection="anonymous", pseudonym="X")


def _merge_into_protected(ws: Workspace, case_id: str, person_id: str) -> None:
    other = ws.people.add(case_id, "Théo Vandenbroucke")
    ws.people.merge(case_id, person_id, other.id)


def _undo_unprotect(ws: Workspace, case_id: str, person_id: str) -> None:
    before = ws.history.snapshot("person", person_id)
    ws.people.update(case_id, person_id, PersonEdit(protection="on_record"))
    assert not ws.screen.mask(case_id).masked_ids  # kept while on record...
    ws.history.restore(before)  # ...then protected again by an undo


CHANGES: dict[str, Change] = {
    "protect": _protect,
    "alias": _alias,
    "pseudonym": _pseudonym,
    "rename": _rename,
    "add": _add_protected,
    "merge": _merge_into_protected,
    "undo": _undo_unprotect,
}


def _fresh(ws: Workspace, case_id: str) -> tuple[object, ...]:
    with ws.vault.session() as session:
        mask = screen_mask(session, case_id)
    return (mask.names, mask.masked_ids, mask.parts)


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_kept_mask_follows_every_change_to_people(workspace: Workspace, change: str) -> None:
    ws = workspace
    case_id = ws.cases.create("kept masks").id
    other_case = ws.cases.create("elsewhere").id
    initially = "protected" if change in ("alias", "pseudonym", "rename", "undo") else "on_record"
    person = ws.people.add(case_id, "Wilhelmina Quartermaine", protection=initially, pseudonym="A")
    ws.people.add(other_case, "Quentin Autrecas", protection="protected", pseudonym="B")
    before = ws.screen.mask(case_id)
    assert ws.screen.mask(case_id) is before  # kept: no change since
    elsewhere = ws.screen.mask(other_case)
    CHANGES[change](ws, case_id, person.id)
    kept = ws.screen.mask(case_id)
    assert (kept.names, kept.masked_ids, kept.parts) == _fresh(ws, case_id)
    if change != "undo":  # an undo puts back the people the first mask was read from
        assert (kept.names, kept.masked_ids, kept.parts) != (
            before.names,
            before.masked_ids,
            before.parts,
        )
    again = ws.screen.mask(other_case)
    assert (again.names, again.masked_ids, again.parts) == (
        elsewhere.names,
        elsewhere.masked_ids,
        elsewhere.parts,
    )


def _zip(path: Path, member: str, text: str) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, text)
    return path


def test_an_import_masks_a_name_protected_since_the_last_one(
    workspace: Workspace, tmp_path: Path
) -> None:
    ws = workspace
    case_id = ws.cases.create("progress").id
    person = ws.people.add(case_id, "Wilhelmina Quartermaine")
    first = _zip(tmp_path / "first.zip", "Quartermaine notes.txt", "first note\n")
    second = _zip(tmp_path / "second.zip", "Quartermaine memo.txt", "second note\n")
    said: list[str] = []
    ws.documents.import_many(case_id, [first], progress=lambda _f, message: said.append(message))
    assert any("Quartermaine notes" in message for message in said), said  # on record
    ws.people.update(case_id, person.id, PersonEdit(protection="protected", pseudonym="Source Q"))
    said.clear()
    ws.documents.import_many(case_id, [second], progress=lambda _f, message: said.append(message))
    assert not any("Quartermaine" in message for message in said), said
    assert any("Source Q memo" in message for message in said), said


def test_locking_drops_the_kept_masks(workspace: Workspace) -> None:
    ws = workspace
    case_id = ws.cases.create("locked").id
    ws.people.add(case_id, "Wilhelmina Quartermaine", protection="protected", pseudonym="A")
    ws.screen.mask(case_id)
    assert ws.screen._masks
    ws.close()
    assert not ws.screen._masks
