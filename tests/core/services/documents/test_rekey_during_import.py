"""The vault re-encrypted while an import reads its files (the re-encryption is refused only
while the import panel runs: a reply attached to a letter, a job started before, go on): the
import's files were read, named and written ahead under the case's old keys.

They were committed after the switch to the new keys, pointing at originals the new keys
could not open (or that the re-encryption had just removed as old): fsck reported them
damaged (failed authentication), their originals lost. The group now sees that its case's
keys changed and keeps nothing, each file refused in one sentence, to be imported again; and a
re-encryption waits for a group committing its case, as for a deletion or a replaced original."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.services.documents.test_same_file_twice_at_once import before_first_commit


def _notes(folder: Path) -> list[Path]:
    folder.mkdir()
    paths = []
    for number in range(3):
        path = folder / f"note-{number}.txt"
        path.write_text(f"Note {number} : le marché {folder.name}{number}.\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_a_group_read_before_the_vault_was_re_encrypted_keeps_nothing_under_old_keys(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = workspace
    case = ws.cases.create("Marchés").id
    before = ws.documents.import_file(case, _notes(tmp_path / "avant")[0])
    paths = _notes(tmp_path / "pendant")
    # The files are read, their originals written ahead, when the vault is re-encrypted.
    before_first_commit(monkeypatch, lambda: ws.rekey.run(PASSPHRASE))
    refused = ws.documents.import_many(case, paths)
    for outcome in refused:
        assert outcome.document is None and outcome.error, outcome
        assert "\n" not in outcome.error and "re-encrypted" in outcome.error
    report = ws.fsck.run()
    assert report.ok and not report.notes, (report.problems, report.notes)
    assert [d.id for d in ws.documents.of_case(case)] == [before.id]
    again = ws.documents.import_many(case, paths)
    assert all(o.document is not None for o in again), [o.error for o in again]
    for outcome in again:
        assert outcome.document is not None
        assert ws.documents.original(outcome.document.id) == Path(outcome.path).read_bytes()
    assert ws.fsck.run().ok
