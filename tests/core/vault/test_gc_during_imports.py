"""Collecting garbage while imports run removes nothing an import stores.

`dossier gc` holds the vault alone today, but the workspace lets any front end call it beside
the app's imports on worker threads. It read which originals the catalog refers to, then
removed every file not among them: an import putting its originals in place and committing in
between had its files removed (a document without its original, `fsck` reporting it missing),
and a case made and filled in between was taken for a deleted case's folder and removed
whole."""

from __future__ import annotations

from pathlib import Path

from dossier.services.workspace import Workspace
from tests.alongside import alongside
from tests.core.services.documents.test_group_commit import _notes


def test_gc_while_imports_commit_keeps_every_original(workspace: Workspace, tmp_path: Path) -> None:
    ws = workspace

    def importing() -> None:
        for n in range(6):
            case = ws.cases.create(f"New {n}").id  # a case made while gc runs
            for lot in range(2):
                paths = _notes(tmp_path / f"in-{n}-{lot}", 4, f"g{n}x{lot}")
                outcomes = ws.documents.import_many(case, paths)
                assert [o.error for o in outcomes if o.error] == []

    runs = 0
    with alongside(importing) as run:
        while run.running:
            ws.fsck.collect_garbage()
            runs += 1
    assert runs > 5
    report = ws.fsck.run()
    assert report.problems == []
    assert sum(len(ws.documents.of_case(c.id)) for c in ws.cases.all()) == 48
