"""An index that fails while a group's catalog commit runs (its timer's or a merge's commit
refused by a full disk, damage found by a search) is rebuilt from the catalog by the group's
hand-off, which reads the group's own documents, just committed: the hand-off must not add them
a second time, or every search finds each of them twice until the next rebuild."""

from __future__ import annotations

import collections
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dossier.db import inventory
from dossier.errors import DossierError
from dossier.services.workspace import Workspace
from tests.core.services.documents.test_group_commit import _notes
from tests.faults import FullDisk


def _fail_index_commit(ws: Workspace, case_id: str) -> None:
    """What the index's timer does when the disk refuses its commit: the index is left for a
    rebuild at its next use."""
    index = ws.search._indexes[case_id]
    with FullDisk(random.Random(0)).armed(None, 0):
        with pytest.raises(DossierError):
            index.flush()
    assert index.needs_rebuild


def _damage_found(ws: Workspace, case_id: str) -> None:
    """What a search does when it finds the index damaged."""
    index = ws.search._indexes[case_id]
    index.needs_rebuild = True
    index.rebuild_reason = "the search index is damaged (test)"


@pytest.mark.parametrize("lost", [_fail_index_commit, _damage_found], ids=["commit", "damage"])
def test_an_index_lost_during_a_group_commit_holds_each_document_once(
    workspace: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    lost: Callable[[Workspace, str], None],
) -> None:
    ws = workspace
    case = ws.cases.create("Doublons").id
    ws.documents.import_many(case, _notes(tmp_path / "a", 3, "Pangolina"), ocr=False)
    seal = inventory.seal_changes
    seals: list[None] = []

    def lost_then_seal(*args: Any, **kwargs: Any) -> Any:
        # The group's originals written and in place, its rows about to be signed and
        # committed: another thread loses the index.
        if not seals:
            lost(ws, case)
        seals.append(None)
        return seal(*args, **kwargs)

    monkeypatch.setattr(inventory, "seal_changes", lost_then_seal)
    outcomes = ws.documents.import_many(case, _notes(tmp_path / "b", 3, "Pangolinb"), ocr=False)
    monkeypatch.setattr(inventory, "seal_changes", seal)
    assert seals, "the group was committed"
    assert all(o.document is not None for o in outcomes), [o.error for o in outcomes]
    for word, count in (("conseil", 6), ("Pangolinb", 3), ("Pangolina", 3)):
        hits = ws.search.query(word, case=case, limit=100)
        twice = [item for item, n in collections.Counter(h.item_id for h in hits).items() if n > 1]
        assert twice == [], f"{word}: found twice"
        assert len(hits) == count, word
