"""Recent searches are kept inside the vault, sealed: per case, most recent first, once each;
never readable in the catalog file; gone with their case."""

from __future__ import annotations

from dossier.services.recent_searches import KEEP
from dossier.services.workspace import Workspace
from tests.conftest import PASSPHRASE

SECRET = "Quartermaine adresse"


def test_recent_searches_are_sealed_in_the_vault(workspace: Workspace) -> None:
    ws = workspace
    case = ws.cases.create("Enquête").id
    other = ws.cases.create("Autre").id
    ws.recent_searches.remember(case, "vidéosurveillance")
    ws.recent_searches.remember(case, SECRET)
    ws.recent_searches.remember(case, "  VIDÉOSURVEILLANCE ")  # again: moves first, once
    ws.recent_searches.remember(None, "préfecture")
    ws.recent_searches.remember(other, "budget")
    for n in range(KEEP + 3):
        ws.recent_searches.remember(other, f"terme {n}")
    folder = ws.folder
    ws.close()
    catalog = b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())
    assert SECRET.encode() not in catalog and "préfecture".encode() not in catalog

    ws = Workspace.open(folder, PASSPHRASE)
    try:
        assert ws.recent_searches.of(case) == ["VIDÉOSURVEILLANCE", SECRET]
        assert ws.recent_searches.of(None) == ["préfecture"]
        kept = ws.recent_searches.of(other)
        assert len(kept) == KEEP and kept[0] == f"terme {KEEP + 2}" and "budget" not in kept
        ws.cases.delete(case)
        assert ws.recent_searches.of(case) == []
        assert ws.recent_searches.of(other) == kept
        assert ws.fsck.run().ok
    finally:
        ws.close()
