"""A case found, then deleted by another task before the change written to it commits (a
person, a timeline entry added to it): the change is refused in a sentence, with nothing of it
kept, never with the database's foreign-key error; the vault checks clean afterwards."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dossier.errors import NotFoundError
from dossier.services.cases import CaseService
from dossier.services.workspace import Workspace

WRITES: dict[str, Callable[[Workspace, str], object]] = {
    "person": lambda ws, case: ws.people.add(case, "Jean Dupont"),
    "timeline entry": lambda ws, case: ws.timeline.add_entry(
        case, when="2024-03-01", title="Conseil"
    ),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=list(WRITES))
def test_a_write_to_a_case_deleted_once_found_is_refused_in_a_sentence(
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    write: Callable[[Workspace, str], object],
) -> None:
    kept = workspace.cases.create("Mairie").id
    doomed = workspace.cases.create("Préfecture").id
    resolve = CaseService.resolve

    def deleted_once_found(self: CaseService, ref: str, *, check: bool = True) -> str:
        found = resolve(self, ref, check=check)
        if found == doomed:
            # Another task deletes it; its key, still in memory, is forgotten only afterwards.
            monkeypatch.setattr(workspace.vault.keyring, "forget_case", lambda case_id: None)
            monkeypatch.setattr(CaseService, "resolve", resolve)
            self.delete(doomed)
        return found

    monkeypatch.setattr(CaseService, "resolve", deleted_once_found)
    with pytest.raises(NotFoundError, match="deleted"):
        write(workspace, doomed)
    assert [c.id for c in workspace.cases.all()] == [kept]
    assert not workspace.audit.verify().problems
    assert workspace.fsck.run().ok
