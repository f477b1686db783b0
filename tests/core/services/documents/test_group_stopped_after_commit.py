"""A write of originals stopped once its catalog commit was made (a Ctrl-C as the commit
returns, a failure in what runs after it) keeps the originals the catalog now names: taken for
a failed commit, they were removed as written for nothing, and the documents committed were
left without their files (fsck: missing originals). The interruption is reported as itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dossier.services.workspace import Workspace
from tests.core.services.documents.test_group_commit import _notes


def _import_group(ws: Workspace, case: str, tmp_path: Path) -> None:
    ws.documents.import_many(case, _notes(tmp_path / "in", 5, "Gardé"), ocr=False)


def _letter_with_its_file(ws: Workspace, case: str, tmp_path: Path) -> None:
    ws.people.add(case, "Hadrien Clouet", role="elected")
    ws.people.add(case, "DDSP Haute-Garonne", role="official")
    letter = tmp_path / "courrier.txt"
    letter.write_text("Monsieur le Directeur, Gardé.\n", encoding="utf-8")
    ws.letters.add(case, sender="Hadrien Clouet", recipients=["DDSP Haute-Garonne"], file=letter)


def _replace_original(ws: Workspace, case: str, tmp_path: Path) -> None:
    doc = ws.documents.of_case(case)[0]
    corrected = tmp_path / "corrige.txt"
    corrected.write_text("Note corrigée, Gardé.\n", encoding="utf-8")
    ws.documents.replace_original(doc.id, corrected, ocr=False)


@pytest.mark.parametrize(
    ("write", "table"),
    [
        (_import_group, "document"),
        (_replace_original, "document"),
        (_letter_with_its_file, "letter"),
    ],
    ids=["group import", "replaced original", "letter's file"],
)
def test_a_write_stopped_as_its_commit_returns_keeps_its_originals(
    workspace: Workspace,
    tmp_path: Path,
    write: Callable[[Workspace, str, Path], None],
    table: str,
) -> None:
    ws = workspace
    case = ws.cases.create("Interrompu").id
    ws.documents.import_many(case, _notes(tmp_path / "before", 1, "Avant"), ocr=False)
    stopped: list[None] = []

    def interrupted(changes: set[tuple[str, str | None, str]]) -> None:
        if any(changed == table for changed, _case, _row in changes) and not stopped:
            stopped.append(None)
            raise KeyboardInterrupt  # as the commit returns

    ws.vault.add_commit_listener(interrupted)
    with pytest.raises(KeyboardInterrupt):  # reported as itself: "interrupted"
        write(ws, case, tmp_path)
    assert stopped, "stopped at the commit"
    for doc in ws.documents.of_case(case):
        assert ws.documents.original(doc.id), doc.filename
    for letter in ws.letters.of_case(case):  # each written with its file
        assert letter.document_id is not None and ws.documents.get(letter.document_id)
    report = ws.fsck.run()
    assert report.ok, report.problems
