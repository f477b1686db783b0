"""A change that refers to a row deleted meanwhile by another thread of the app (an import
into a case deleted as its batch commits) is refused in a sentence, with nothing of it kept,
never with the database's foreign-key error; the vault checks clean afterwards."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import pytest

from dossier.errors import NotFoundError
from dossier.services.documents import group
from dossier.services.workspace import Workspace
from tests.alongside import at_once


def _note(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.txt"
    path.write_text(f"Note {name} au conseil.\n", encoding="utf-8")
    return path


def test_an_import_into_a_case_deleted_as_it_commits_is_refused_in_a_sentence(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = workspace.cases.create("Mairie").id
    kept_doc = workspace.documents.import_many(kept, [_note(tmp_path, "kept")])[0].document
    doomed = workspace.cases.create("Préfecture").id
    assert workspace.documents.import_many(doomed, [_note(tmp_path, "first")])[0].document
    real = group.insert_new

    def deleted_first(session: Any, rows: Any) -> None:
        # Another thread deletes the case once this batch is ready to write its rows (its
        # key still in memory): the window between the delete's commit and its key's removal.
        forgetting = workspace.vault.keyring.forget_case
        monkeypatch.setattr(workspace.vault.keyring, "forget_case", lambda case_id: None)
        at_once(partial(workspace.cases.delete, doomed))
        monkeypatch.setattr(workspace.vault.keyring, "forget_case", forgetting)
        real(session, rows)

    monkeypatch.setattr(group, "insert_new", deleted_first)
    with pytest.raises(NotFoundError, match="deleted"):
        workspace.documents.import_many(doomed, [_note(tmp_path, "second")])
    monkeypatch.setattr(group, "insert_new", real)
    assert [c.id for c in workspace.cases.all()] == [kept]
    assert [d.id for d in workspace.documents.of_case(kept)] == [kept_doc.id]  # type: ignore[union-attr]
    assert not workspace.audit.verify().problems
    assert workspace.fsck.run().ok
