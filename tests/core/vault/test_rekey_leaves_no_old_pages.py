"""A re-encryption leaves nothing sealed under the old keys in the catalog's files, the
write-ahead log included, while the vault stays open.

The rows are sealed again in place (`secure_delete` overwrites the old cells), but the log kept
the pages that held them, under the old key, until SQLite happened to write over them: someone
holding the old passphrase and the old vault.json (the reason for a re-encryption) and a copy
of the folder taken meanwhile opened them, a small original among them (437cbe0 put them in
the catalog; a deleted case's rows were already checkpointed away, not a re-encryption's)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE


def _sealed_values(folder: Path) -> list[bytes]:
    db = sqlite3.connect(folder / "catalog.sqlite")
    try:
        found = [bytes(r[0]) for r in db.execute("SELECT sealed_content FROM original")]
        found += [bytes(r[0]) for r in db.execute("SELECT sealed FROM original")]
        found += [bytes(r[0]) for r in db.execute("SELECT sealed FROM document")]
        return found
    finally:
        db.close()


def _on_disk(folder: Path) -> bytes:
    return b"".join(
        path.read_bytes() for path in sorted(folder.glob("catalog.sqlite*")) if path.is_file()
    )


def test_a_rekey_leaves_no_old_envelope_in_the_catalog_or_its_log(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = workspace.cases.create("Journal").id
    paths = []
    for n in range(3):
        path = tmp_path / f"note{n}.txt"
        path.write_text(f"Note {n}: la source rencontrée au port. " * (40 + n), encoding="utf-8")
        paths.append(path)
    outcomes = workspace.documents.import_many(case, paths, ocr=False)
    assert all(o.document is not None for o in outcomes)
    old = _sealed_values(workspace.folder)
    assert len(old) >= 9
    # The nonce and the ciphertext's first bytes: unique to each envelope.
    heads = [value[8:56] for value in old]
    assert all(head in _on_disk(workspace.folder) for head in heads)
    workspace.rekey.run(PASSPHRASE)
    left = [head for head in heads if head in _on_disk(workspace.folder)]
    assert not left, f"{len(left)} of {len(heads)} old envelopes still on disk"
    for outcome, path in zip(outcomes, paths, strict=True):
        assert outcome.document is not None
        assert workspace.documents.original(outcome.document.id) == path.read_bytes()
