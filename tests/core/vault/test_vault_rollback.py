"""Each file or folder of a vault that is rewritten over time, put back as it was at T1 by someone
who has the disk but not the key: detected and repaired, or refused with one clear sentence,
never used silently as if it were current.

(The search index's own files are the subject of tests/core/services/test_search_rollback.py.
The whole vault put back at once is consistent and cannot be told apart offline; this computer
warns when it remembers a later state, `dossier.vault.seen`.)"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.errors import CorruptData, DossierError, WrongPassphrase
from dossier.services.workspace import Workspace
from dossier.vault.header import PENDING_NAME
from dossier.vault.seen import STATE_ENV
from tests.conftest import PASSPHRASE
from tests.runshared import built_once

NEW = "the passphrase after T1, long enough"


@dataclass
class Scene:
    vault: Path
    t1: Path
    """A copy of the whole vault folder at T1."""
    case: str
    doc: str
    """Its original replaced after T1 ("alpha zebra" became "alpha yankee")."""
    passphrase: str
    """The current one: `NEW` when the passphrase was changed after T1."""


def _note(folder: Path, name: str, text: str) -> Path:
    """A note larger than `SMALL`: its original a file, as the attacks on files need (the
    catalog's originals are attacked in `test_small_originals`)."""
    path = folder / name
    path.write_text(text + " remplissage" * 6000, encoding="utf-8")
    return path


def _build(tmp_path: Path, passwd: bool) -> Scene:
    vault = tmp_path / "Live.dossier"
    with Workspace.create(vault, PASSPHRASE, TEST_ONLY_FAST) as ws:
        case = ws.cases.create("Port").id
        doc = ws.documents.import_file(case, _note(tmp_path, "a.txt", "alpha zebra")).id
        ws.search.query("zebra", case=case)
        ws.recent_searches.remember(case, "zebra")
    t1 = tmp_path / "T1.dossier"
    shutil.copytree(vault, t1, ignore=shutil.ignore_patterns(".lock"))
    with Workspace.open(vault, PASSPHRASE) as ws:
        ws.documents.replace_original(doc, _note(tmp_path, "a2.txt", "alpha yankee"))
        ws.recent_searches.remember(case, "yankee")
        ws.search.query("yankee", case=case)
        if passwd:
            ws.keys.change_passphrase(NEW, TEST_ONLY_FAST)
    return Scene(vault, t1, case, doc, NEW if passwd else PASSPHRASE)


def _scene(
    tmp_path: Path, factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, passwd: bool
) -> Scene:
    """A copy of the scene built once per run (two imports, a replace and a passphrase change,
    each vault with its index workers: half a CPU-s), with a copy of what this computer
    remembered of it then (`dossier.vault.seen`): each test sees it as its own build left it,
    whatever the others did to theirs, which are the same vault."""

    def build(folder: Path) -> dict[str, object]:
        folder.mkdir()
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv(STATE_ENV, str(folder / "state"))
            scene = _build(folder, passwd)
        return {"case": scene.case, "doc": scene.doc, "passphrase": scene.passphrase}

    built, ids = built_once(factory, f"vault-rollback-{passwd}", "scene", build)
    folder = Path(shutil.copytree(built, tmp_path / "scene"))
    monkeypatch.setenv(STATE_ENV, str(folder / "state"))
    return Scene(
        folder / "Live.dossier",
        folder / "T1.dossier",
        str(ids["case"]),
        str(ids["doc"]),
        str(ids["passphrase"]),
    )


def _put_back(scene: Scene, *names: str) -> None:
    for name in names:
        old, live = scene.t1 / name, scene.vault / name
        if live.is_dir():
            shutil.rmtree(live)
        else:
            live.unlink(missing_ok=True)
        if old.is_dir():
            shutil.copytree(old, live)
        elif old.exists():
            shutil.copy2(old, live)


def _put_back_rows(scene: Scene, table: str, where: str) -> None:
    db = sqlite3.connect(scene.vault / "catalog.sqlite")
    try:
        db.execute("ATTACH DATABASE ? AS old", (str(scene.t1 / "catalog.sqlite"),))
        db.execute(f'DELETE FROM main."{table}" WHERE {where}')
        db.execute(f'INSERT INTO main."{table}" SELECT * FROM old."{table}" WHERE {where}')
        db.commit()
    finally:
        db.close()


def _header_of_t1(scene: Scene) -> None:
    _put_back(scene, "vault.json")
    with pytest.raises(WrongPassphrase):
        Workspace.open(scene.vault, NEW)
    with pytest.raises(CorruptData):
        Workspace.open(scene.vault, PASSPHRASE)


def _pending_header_of_t1(scene: Scene) -> None:
    # A header left pending by a passphrase change the catalog never switched to: dropped.
    shutil.copy2(scene.t1 / "vault.json", scene.vault / PENDING_NAME)
    with Workspace.open(scene.vault, scene.passphrase) as ws:
        assert ws.search.query("yankee", case=scene.case)
    assert not (scene.vault / PENDING_NAME).exists()
    with pytest.raises(WrongPassphrase):
        Workspace.open(scene.vault, PASSPHRASE)


def _blobs_of_t1(scene: Scene) -> None:
    _put_back(scene, "blobs")
    with Workspace.open(scene.vault, scene.passphrase) as ws:
        # The current original is gone, the old one is not taken for it.
        with pytest.raises(DossierError) as refused:
            ws.documents.original(scene.doc)
        assert "\n" not in str(refused.value) and "Traceback" not in str(refused.value)
        assert not ws.fsck.run().ok


def _old_blob_under_the_new_name(scene: Scene) -> None:
    folder = scene.vault / "blobs" / scene.case
    (new,) = [p for p in folder.rglob("*") if p.is_file()]
    (old,) = [p for p in (scene.t1 / "blobs" / scene.case).rglob("*") if p.is_file()]
    shutil.copy2(old, new)
    with Workspace.open(scene.vault, scene.passphrase) as ws, pytest.raises(CorruptData):
        ws.documents.original(scene.doc)


def _catalog_of_t1_under_another_passphrase(scene: Scene) -> None:
    # A whole catalog, consistent, under the master key of before the change: its header no
    # longer fits it.
    _put_back(scene, "catalog.sqlite", "catalog.sqlite-wal")
    for passphrase in (NEW, PASSPHRASE):
        with pytest.raises(DossierError):
            Workspace.open(scene.vault, passphrase)


def _catalog_of_t1(scene: Scene) -> None:
    _put_back(scene, "catalog.sqlite", "catalog.sqlite-wal")
    with Workspace.open(scene.vault, PASSPHRASE) as ws:
        # Warned of (this computer saw a later state), and the index follows the catalog.
        assert any("older than the copy" in w for w in ws.vault.warnings)
        assert ws.search.query("zebra", case=scene.case)
        assert not ws.search.query("yankee", case=scene.case)


def _recent_searches_row_of_t1(scene: Scene) -> None:
    _put_back_rows(scene, "vault_secret", "name = 'recent-searches'")
    with pytest.raises(CorruptData):
        Workspace.open(scene.vault, scene.passphrase)


def _audit_trail_of_t1(scene: Scene) -> None:
    _put_back_rows(scene, "audit_entry", "1")
    with pytest.raises(CorruptData):
        Workspace.open(scene.vault, scene.passphrase)


def _document_rows_of_t1(scene: Scene) -> None:
    _put_back_rows(scene, "document", f"case_id = '{scene.case}'")
    _put_back_rows(scene, "page", f"case_id = '{scene.case}'")
    with Workspace.open(scene.vault, scene.passphrase) as ws, pytest.raises(CorruptData):
        ws.search.query("zebra", case=scene.case)


ATTACKS: dict[str, tuple[Callable[[Scene], None], bool]] = {
    # what is put back: (how, whether the passphrase changed after T1)
    "vault.json": (_header_of_t1, True),
    "vault.json.next": (_pending_header_of_t1, True),
    "catalog.sqlite, the passphrase changed since": (_catalog_of_t1_under_another_passphrase, True),
    "catalog.sqlite": (_catalog_of_t1, False),
    "the blobs folder": (_blobs_of_t1, False),
    "an old blob under the new one's name": (_old_blob_under_the_new_name, False),
    "the recent searches (a sealed vault row)": (_recent_searches_row_of_t1, False),
    "the audit trail": (_audit_trail_of_t1, False),
    "a case's document and page rows": (_document_rows_of_t1, False),
}


@pytest.mark.usefixtures("index_in_process")
@pytest.mark.parametrize("attack", list(ATTACKS))
def test_a_part_of_the_vault_put_back_from_t1_is_never_taken_for_current(
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    attack: str,
) -> None:
    put_back, passwd = ATTACKS[attack]
    put_back(_scene(tmp_path, tmp_path_factory, monkeypatch, passwd))
