"""A catalog upgraded to a new format leaves no copy of itself in the vault folder.

The upgrade copied catalog.sqlite aside (`catalog.sqlite.before-0003`) and kept the copy for
ever: a whole catalog of that day, sealed under the keys of that day. A case deleted since, or
a vault re-encrypted since, was still there to read in its own folder, with the passphrase
(and for a re-encrypted one, the `vault.json` of that day), where the deletion and the
re-encryption promise nothing of it can be read again from this vault. The upgrade runs in
one transaction: a failed one leaves the old catalog whole without a copy.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from dossier.errors import DossierError
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.vault.test_small_originals import _old_vault, _revision


def _cases_readable_from(folder: Path, tmp_path: Path) -> dict[str, list[str]]:
    """For each file of the vault folder, the case names it opens as a catalog does, with the
    vault's own `vault.json` and passphrase (a thief's copy of the folder, read so)."""
    found: dict[str, list[str]] = {}
    for number, candidate in enumerate(sorted(p for p in folder.rglob("*") if p.is_file())):
        with candidate.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                continue
        copy = tmp_path / f"thief{number}"
        shutil.copytree(folder, copy)
        for stale in copy.glob("catalog.sqlite-*"):
            stale.unlink()
        shutil.copy(candidate, copy / "catalog.sqlite")
        try:
            with Workspace.open(copy, PASSPHRASE) as ws:
                found[str(candidate.relative_to(folder))] = [c.name for c in ws.cases.all()]
        except DossierError:
            continue
    return found


def test_a_case_deleted_after_an_upgrade_opens_from_no_file_of_the_vault(
    workspace: Workspace, tmp_path: Path
) -> None:
    folder, _originals = _old_vault(workspace, tmp_path)
    with Workspace.open(folder, PASSPHRASE) as ws:
        assert _revision(folder) == "0003"
        (old,) = [c for c in ws.cases.all() if c.name == "Ancienne"]
        ws.cases.delete(old.id)
        assert [c.name for c in ws.cases.all()] == []
    readable = _cases_readable_from(folder, tmp_path)
    assert "catalog.sqlite" in readable  # the scan opens what a catalog is
    assert all("Ancienne" not in names for names in readable.values()), readable
