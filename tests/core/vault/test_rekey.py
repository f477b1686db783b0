"""`rekey` re-encrypts everything of every case under new keys, and its journal is crash-safe.

The attack: someone kept a copy of the vault from before (its `vault.json`, its catalog with
the wrapped case keys) and knows the passphrase of the time. After a rekey, nothing in the
vault opens with what that copy holds: no row, no word map, no original, no index file.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from dossier.blobstore import BlobStore
from dossier.crypto import aead
from dossier.crypto.keys import CaseKeys, KeyRing
from dossier.crypto.sealedfile import SealedReader
from dossier.db.rowauth import CASE_TABLES
from dossier.db.sealed import seal_ad
from dossier.errors import (
    CorruptData,
    DossierError,
    EnvironmentFailure,
    UsageError,
    WrongPassphrase,
)
from dossier.search.storage import EncryptedStorage
from dossier.services import rekey as rekey_module
from dossier.services.workspace import Workspace
from dossier.vault.header import VaultHeader
from dossier.vault.vault import unlock_master
from tests.conftest import PASSPHRASE
from tests.pdfgen import lined_pdf


def _pdf(path: Path, pages: int, seed: int) -> Path:
    return lined_pdf(path, pages, lambda i, line: f"pièce {seed} page {i} ligne {line} zorglub")


def _fill(ws: Workspace, tmp_path: Path, name: str = "Enquête") -> str:
    case = ws.cases.create(name).id
    for n in range(3):
        ws.documents.import_file(case, _pdf(tmp_path / f"{name}{n}.pdf", 3, n), kind="source")
    note = tmp_path / f"{name}.txt"
    note.write_text("Le préfet a menti sur les caméras. Quartermaine le savait.", encoding="utf-8")
    doc = ws.documents.import_file(case, note, kind="interview")
    ws.people.add(case, "Wilhelmina Quartermaine", protection="protected", pseudonym="Source A")
    ws.quotes.add(case, "Le préfet a menti sur les caméras.", source=doc.id)
    ws.people.add(case, "Jeanne Rédaction")
    ws.people.add(case, "Paul Préfecture")
    ws.letters.add(
        case, sender="Jeanne Rédaction", recipients=["Paul Préfecture"], questions=["Pourquoi ?"]
    )
    ws.redactions.add_term("caméras", case=case)
    return case


def _state(ws: Workspace, case: str) -> dict[str, object]:
    docs = sorted(ws.documents.of_case(case), key=lambda d: d.title)
    return {
        "texts": [ws.documents.text(d.id) for d in docs],
        "originals": [ws.documents.original(d.id) for d in docs],
        "quotes": [q.text for q in ws.quotes.of_case(case)],
        "letters": [
            (lt.subject, tuple(q.text for q in lt.questions)) for lt in ws.letters.of_case(case)
        ],
        "people": sorted(p.name for p in ws.people.of_case(case)),
        "hits": len(ws.search.query("zorglub", case=case)),
    }


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for sub in ("blobs", "index")
        for p in (folder / sub).rglob("*")
        if p.is_file()
    }


def _old_case_keys(old_header: Path, old_catalog: Path) -> dict[str, CaseKeys]:
    """What the thief derives: the old master from the old header, the case keys it wraps."""
    header = VaultHeader.read(old_header.parent, old_header.name)
    ring = KeyRing(unlock_master(header, PASSPHRASE))
    with sqlite3.connect(old_catalog) as db:
        wrapped = db.execute('SELECT id, wrapped_key FROM "case"').fetchall()
    return {case_id: ring.unwrap_case(case_id, key) for case_id, key in wrapped}


def test_after_rekey_the_old_header_and_case_keys_open_nothing(
    workspace: Workspace, tmp_path: Path
) -> None:
    folder = workspace.folder
    cases = [_fill(workspace, tmp_path, "Enquête"), _fill(workspace, tmp_path, "Autre")]
    before = {case: _state(workspace, case) for case in cases}
    workspace.close()
    stolen = tmp_path / "stolen"
    stolen.mkdir()
    shutil.copy(folder / "vault.json", stolen / "vault.json")
    with (
        sqlite3.connect(folder / "catalog.sqlite") as src,
        sqlite3.connect(stolen / "catalog.sqlite") as dst,
    ):
        src.backup(dst)
    old_files = _files(folder)
    old_keys = _old_case_keys(stolen / "vault.json", stolen / "catalog.sqlite")

    with Workspace.open(folder, PASSPHRASE) as ws:
        result = ws.rekey.run(PASSPHRASE)
        assert (result.cases, result.documents, result.originals) == (2, 8, 8)
        assert result.pages == 2 * (3 * 3 + 1)
        for case in cases:
            assert _state(ws, case) == before[case]
        assert ws.fsck.run().ok
        assert ws.rekey.unfinished() is None
        new_keys = {case: ws.vault.case_keys(case) for case in cases}
        assert [r.action for r in ws.audit.records()][-4:] == [
            "vault.rekey.start", "case.rekey", "case.rekey", "vault.rekey"
        ]  # fmt: skip

    # Every file was written again: none of the old ones is left, and none of their names.
    new_files = _files(folder)
    assert not set(old_files) & {n for n in new_files if n.startswith("blobs")}
    assert not set(old_files.values()) & set(new_files.values())

    # The old header with the old passphrase: its master key unwraps no new case key.
    old_master = KeyRing(unlock_master(VaultHeader.read(stolen), PASSPHRASE))
    with sqlite3.connect(folder / "catalog.sqlite") as db:
        for case_id, wrapped in db.execute('SELECT id, wrapped_key FROM "case"'):
            with pytest.raises(CorruptData):
                old_master.unwrap_case(case_id, wrapped)
        # The old case keys open no row, payload or word map of the catalog.
        opened = tried = 0
        for spec in CASE_TABLES:
            for row in db.execute(f"SELECT * FROM {spec.quoted}"):
                names = [d[0] for d in db.execute(f"SELECT * FROM {spec.quoted}").description]
                values = dict(zip(names, row, strict=True))
                keys = old_keys[values["case_id"]]
                for column in [n for n in names if n == "sealed" or n.startswith("sealed_")]:
                    if not values[column]:
                        continue
                    tried += 1
                    ad = seal_ad(spec.name, column, values["id"], values["case_id"])
                    try:
                        aead.open_sealed(keys.fields, values[column], ad)
                        opened += 1
                    except CorruptData:
                        pass
        assert tried > 40 and opened == 0
    # ...and no original or index file, while the new keys open every one of them.
    for name in new_files:
        _kind, case_id, *_rest, file_name = Path(name).parts
        for keys, opens in ((new_keys[case_id], True), (old_keys[case_id], False)):
            if name.startswith("blobs"):
                key, ad = keys.blobs, f"blob|{case_id}|{file_name}".encode()
            else:
                storage = EncryptedStorage(folder / "index" / case_id, keys.index, context=case_id)
                key, ad = keys.index, storage.associated_data(file_name)
            try:
                with SealedReader(folder / name, key, ad, what=name) as reader:
                    reader.read_all()
                assert opens, f"{name} opens with the old key"
            except CorruptData:
                assert not opens, f"{name} does not open with the new key"
    # Nor does an old key recognise a document it holds: blob ids are keyed by the new key.
    store = BlobStore(folder / "blobs")
    for case_id in cases:
        assert not set(store.iter_ids(case_id)) & {
            Path(n).name for n in old_files if n.startswith(f"blobs/{case_id}")
        }


def test_rekey_of_one_case_leaves_the_others_and_changes_the_master(
    workspace: Workspace, tmp_path: Path
) -> None:
    one, other = _fill(workspace, tmp_path, "Un"), _fill(workspace, tmp_path, "Deux")
    blobs_other = set(workspace.blobs.iter_ids(other))
    blobs_one = set(workspace.blobs.iter_ids(one))
    header = workspace.vault.header.key_id
    result = workspace.rekey.run(PASSPHRASE, case="Un")
    assert result.cases == 1
    assert set(workspace.blobs.iter_ids(other)) == blobs_other
    assert not set(workspace.blobs.iter_ids(one)) & blobs_one
    assert workspace.vault.header.key_id != header
    assert workspace.fsck.run().ok


def test_a_wrong_passphrase_re_encrypts_nothing(workspace: Workspace, tmp_path: Path) -> None:
    case = _fill(workspace, tmp_path)
    blobs = set(workspace.blobs.iter_ids(case))
    with pytest.raises(WrongPassphrase):
        workspace.rekey.run("not the passphrase")
    assert set(workspace.blobs.iter_ids(case)) == blobs
    assert workspace.rekey.unfinished() is None


def test_a_tampered_case_is_not_re_encrypted(workspace: Workspace, tmp_path: Path) -> None:
    case = _fill(workspace, tmp_path)
    folder = workspace.folder
    workspace.close()
    with sqlite3.connect(folder / "catalog.sqlite") as db:
        db.execute("DELETE FROM redaction")
    with Workspace.open(folder, PASSPHRASE, strict=False) as ws:
        blobs = set(ws.blobs.iter_ids(case))
        with pytest.raises(CorruptData, match="altered outside Dossier"):
            ws.rekey.run(PASSPHRASE)
        assert set(ws.blobs.iter_ids(case)) == blobs
        assert ws.rekey.unfinished() is None


class Crash(BaseException):
    """Stands for a kill: nothing after it runs, no handler catches it."""


def _crash_at(monkeypatch: pytest.MonkeyPatch, target: object, name: str, after: int = 0) -> None:
    original = getattr(target, name)
    calls = {"n": 0}

    def wrapper(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] > after:
            raise Crash
        return original(*args, **kwargs)

    monkeypatch.setattr(target, name, wrapper)


# Each point of the journal: what the next open finds, and that `rekey` again finishes.
POINTS = {
    "master replaced, journal written": ("_new_key", 0),
    "new key recorded, no original copied": ("rekey_blob", 0),
    "half the originals copied": ("rekey_blob", 2),
    "catalog re-sealed, not committed": ("rebuild_case_inventory", 0),
    "switched, old files still there": ("_cleanup", 0),
    "one case done, the second not begun": ("_new_key", 1),
}


EVERY_RUN = {"half the originals copied", "one case done, the second not begun"}
"""The points `make test` stops at (one inside a case, one between two); the slow sweep
(`make check`, CI) stops at each, ~0.8 CPU-s apiece."""


@pytest.mark.parametrize(
    "point", [p if p in EVERY_RUN else pytest.param(p, marks=pytest.mark.slow) for p in POINTS]
)
def test_a_rekey_stopped_at_any_step_opens_whole_and_resumes(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    folder = workspace.folder
    cases = [_fill(workspace, tmp_path, "Enquête"), _fill(workspace, tmp_path, "Autre")]
    before = {case: _state(workspace, case) for case in cases}
    name, after = POINTS[point]
    if name == "rekey_blob":
        _crash_at(monkeypatch, BlobStore, "rekey", after)
    elif name == "rebuild_case_inventory":
        _crash_at(monkeypatch, rekey_module.rows, name, after)
    else:
        _crash_at(monkeypatch, rekey_module.RekeyService, name, after)
    with pytest.raises(Crash):
        workspace.rekey.run(PASSPHRASE)
    monkeypatch.undo()
    workspace.close()

    with Workspace.open(folder, PASSPHRASE) as ws:
        report = ws.fsck.run()
        assert report.ok, report.problems
        for case in cases:
            assert _state(ws, case) == before[case]
        journal = ws.rekey.unfinished()
        assert journal is not None and not journal.cleanup
        assert any("re-encryption of the vault was interrupted" in w for w in ws.warnings)
        with pytest.raises(UsageError, match="unfinished"):
            ws.keys.change_passphrase("a different passphrase")
        result = ws.rekey.run(PASSPHRASE)
        assert result.resumed
        assert ws.rekey.unfinished() is None
    with Workspace.open(folder, PASSPHRASE) as ws:
        assert not ws.warnings
        assert ws.fsck.run().ok
        assert not ws.fsck.run().notes  # no old original left behind
        for case in cases:
            assert _state(ws, case) == before[case]
    with pytest.raises(DossierError):
        Workspace.open(folder, "some other passphrase")


@pytest.mark.parametrize(
    ("rounds", "failing"),
    [pytest.param(7, 2, id="few"), pytest.param(14, 4, id="all", marks=pytest.mark.slow)],
)
def test_a_full_disk_at_any_point_of_a_rekey_loses_nothing(
    workspace: Workspace, tmp_path: Path, rounds: int, failing: int
) -> None:
    """Each round, a rekey on a disk that fills up at a point drawn at random (0.2 CPU-s):
    `make test` runs the first 7 of the 14 (a healthy disk twice, an fsync refused, files
    limited from 5 KB to 100 KB), the slow sweep (`make check`, CI) all 14."""
    faults = pytest.importorskip("tests.faults")
    disk = faults.FullDisk(random.Random(4242))
    folder = workspace.folder
    cases = [_fill(workspace, tmp_path, "Enquête"), _fill(workspace, tmp_path, "Autre")]
    before = {case: _state(workspace, case) for case in cases}
    workspace.close()
    failed = 0
    for _round in range(rounds):
        size, fsyncs = disk.random_fault()
        with Workspace.open(folder, PASSPHRASE) as ws:
            try:
                with disk.armed(size, fsyncs):
                    ws.rekey.run(PASSPHRASE)
            except DossierError as exc:
                assert isinstance(exc, EnvironmentFailure), repr(exc)
                assert exc.exit_code == 7 and "\n" not in str(exc)
                failed += 1
        with Workspace.open(folder, PASSPHRASE) as ws:
            report = ws.fsck.run()
            assert report.ok, report.problems
            for case in cases:
                assert _state(ws, case) == before[case]
    assert failed >= failing
    with Workspace.open(folder, PASSPHRASE) as ws:
        ws.rekey.run(PASSPHRASE)
        assert ws.rekey.unfinished() is None
        report = ws.fsck.run()
        assert report.ok and not report.notes, (report.problems, report.notes)


def test_a_case_altered_after_its_switch_keeps_the_rest_of_the_vault_open(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = workspace.folder
    altered, intact = _fill(workspace, tmp_path, "Altérée"), _fill(workspace, tmp_path, "Intacte")
    before = _state(workspace, intact)
    _crash_at(monkeypatch, rekey_module.RekeyService, "_cleanup", 0)
    with pytest.raises(Crash):
        workspace.rekey.run(PASSPHRASE)
    monkeypatch.undo()
    workspace.close()
    with sqlite3.connect(folder / "catalog.sqlite") as db:
        db.execute("DELETE FROM redaction WHERE case_id = ?", (altered,))
    with Workspace.open(folder, PASSPHRASE) as ws:
        assert any("could not be finished" in w for w in ws.warnings)
        with pytest.raises(CorruptData):
            ws.documents.of_case(altered)
        with pytest.raises(CorruptData):
            ws.rekey.run(PASSPHRASE)  # finishing it needs the altered case: refused, exit 5
    with Workspace.open(folder, PASSPHRASE, strict=False) as ws:
        assert not ws.fsck.run().ok
    with Workspace.open(folder, PASSPHRASE) as ws:
        assert _state(ws, intact) == before
