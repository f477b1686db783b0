"""An import's pages reach the index without a pending marker, and a power cut before the
index commits them loses none: the next open finds them missing and indexes them.

The marker (a sealed file, synced with its folder, deleted at the index commit) records since
when uncommitted index work stands, for work a crash would otherwise leave unseen: an edit
whose old version the index still holds. An import's documents are new: the index holds
nothing of theirs, and one a crash keeps out of it is missing, which the comparison with the
catalog at the next open finds by itself. Each batch of an import wrote, synced and deleted
the marker all the same (two disk waits a batch: a tenth of a batch of eight OpenDocument
files on an idle machine, 20-30 ms at load 8). Both hand-offs are held to it: a batch small
enough to be indexed in the app's process and one built by the worker processes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dossier.search import analysed
from dossier.search import pending as pending_module
from dossier.search.pending import PENDING_NAME
from dossier.services.workspace import Workspace
from tests.clirun import PASSPHRASE

FILLER = " ".join(f"remplissage{n}" for n in range(900))
"""About 12 KB a file: 8 files are past `PARALLEL_MIN_BYTES`, the worker processes' share."""


@pytest.mark.parametrize("files", [1, 8], ids=["in-process", "workers"])
def test_an_import_leaves_no_marker_and_a_cut_before_the_index_commit_loses_nothing(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: int
) -> None:
    # No commit by the timer before the copy below is taken (nor during it).
    monkeypatch.setattr(pending_module, "COMMIT_SECONDS", 600.0)
    case = workspace.cases.create("Lot").id
    folder = tmp_path / "notes"
    folder.mkdir()
    paths = []
    for number in range(files):
        path = folder / f"note-{number}.txt"
        path.write_text(f"Note repère{number} du conseil. {FILLER}\n", encoding="utf-8")
        paths.append(path)
    assert (files * len(FILLER) >= analysed.PARALLEL_MIN_BYTES) == (files > 1)
    workspace.search.query("conseil", case=case)  # the index is open before the import

    outcomes = workspace.documents.import_many(case, paths)
    assert all(outcome.document is not None for outcome in outcomes)
    index = workspace.vault.index_dir(case)
    assert not (index / PENDING_NAME).exists()

    # The folder as a power cut now leaves it: the catalog committed, the index not yet.
    cut = shutil.copytree(workspace.vault.folder, tmp_path / "Cut.dossier")
    hits = workspace.search.query("repère0", case=case)
    assert [hit.doc_id for hit in hits] == [outcomes[0].document.id]  # type: ignore[union-attr]

    with Workspace.open(cut, PASSPHRASE) as again:
        for number, outcome in enumerate(outcomes):
            assert outcome.document is not None
            found = again.search.query(f"repère{number}", case=case)
            assert [hit.doc_id for hit in found] == [outcome.document.id]
