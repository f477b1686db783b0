"""A job that ends after the vault was locked leaves the case's search index as it was.

Locking waits 15 s for the app's jobs to stop; one still running after that (a long page's
OCR, a slow disk) or one between its catalog commit and its index update when the lock came
reached the index once the workspace was closed. The index's update then failed (no keys), and
a failed update is handled by removing the case's index for a rebuild from the catalog: the
whole index of the case was deleted, and the next unlock rebuilt it from scratch (minutes for a
large case). The catalog is the truth: what the job changed is found by the next open's
comparison of the index with it, as after a crash.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE

LATE: dict[str, Callable[[Workspace, str, str], None]] = {
    "document removed": lambda ws, case, doc: ws.index.document_removed(case, doc),
    "document changed": lambda ws, case, doc: ws.index.document_changed(case, doc),
    "documents changed": lambda ws, case, doc: ws.index.documents_changed(case, [doc]),
    "case prepared": lambda ws, case, _doc: ws.index.prepare_case(case),
}


@pytest.mark.parametrize("late", LATE.values(), ids=LATE.keys())
def test_an_index_update_after_the_lock_leaves_the_index_alone(
    workspace: Workspace, vault_path: Path, late: Callable[[Workspace, str, str], None]
) -> None:
    case = workspace.cases.create("Préfecture").id
    doc = workspace.documents.import_bytes(case, "Le préfet a signé.".encode(), "a.txt")
    assert workspace.search.query("préfet", case=case)
    folder = Path(workspace.vault.index_dir(case))
    files = sorted(path.name for path in folder.iterdir())
    workspace.close()
    late(workspace, case, doc.id)  # as a job still running after the lock does
    assert sorted(path.name for path in folder.iterdir()) == files
    with Workspace.open(vault_path, PASSPHRASE) as ws:
        assert [hit.doc_id for hit in ws.search.query("préfet", case=case)] == [doc.id]
        assert not ws.search._indexes[case].needs_rebuild
