"""`passwd` replaces the master key: an old vault.json and the old passphrase open nothing new.

And the change is crash-safe: whichever point it stops at, exactly one passphrase opens the
vault, and nothing is lost.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.errors import CorruptData, DossierError, UsageError, WrongPassphrase
from dossier.services import keyrotation
from dossier.services.workspace import Workspace
from dossier.vault.header import PENDING_NAME
from tests.conftest import PASSPHRASE

NEW = "an entirely new passphrase"


def _note(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_old_header_with_the_old_passphrase_reads_nothing_written_after(
    workspace: Workspace, tmp_path: Path
) -> None:
    folder = workspace.folder
    case = workspace.cases.create("Synopsis").id
    workspace.documents.import_file(case, _note(tmp_path, "a.txt", "before the change"))
    old_header = (folder / "vault.json").read_bytes()
    workspace.keys.change_passphrase(NEW, TEST_ONLY_FAST)
    later = workspace.documents.import_file(case, _note(tmp_path, "b.txt", "written after"))
    workspace.close()

    stolen = tmp_path / "stolen.dossier"
    shutil.copytree(folder, stolen)
    (stolen / "vault.json").write_bytes(old_header)
    with pytest.raises(CorruptData):
        Workspace.open(stolen, PASSPHRASE)
    with Workspace.open(stolen, PASSPHRASE, strict=False) as ws, pytest.raises(DossierError):
        ws.documents.text(later.id)

    with pytest.raises(WrongPassphrase):
        Workspace.open(folder, PASSPHRASE)
    with Workspace.open(folder, NEW) as ws:
        assert ws.documents.text(later.id).strip() == "written after"
        assert ws.fsck.run().ok
        assert "vault.passwd" in [r.action for r in ws.audit.records()]


def test_a_change_stopped_before_the_catalog_switched_keeps_the_old_passphrase(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = workspace.folder
    workspace.cases.create("Synopsis")

    def crash(*_args: object) -> None:
        raise KeyboardInterrupt  # as if killed between the new header and the commit

    monkeypatch.setattr(workspace.audit, "relink", crash)
    with pytest.raises(KeyboardInterrupt):
        workspace.keys.change_passphrase(NEW, TEST_ONLY_FAST)
    workspace.close()
    (folder / "vault.json.next").write_bytes((folder / "vault.json").read_bytes())
    with Workspace.open(folder, PASSPHRASE) as ws:
        assert [c.name for c in ws.cases.all()] == ["Synopsis"]
        assert ws.fsck.run().ok
    assert not (folder / PENDING_NAME).exists()


def test_a_change_stopped_after_the_switch_opens_with_the_new_passphrase(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = workspace.folder
    workspace.cases.create("Synopsis")

    def crash(_folder: Path) -> None:
        raise KeyboardInterrupt  # killed after the commit, before the header was renamed

    monkeypatch.setattr(keyrotation, "promote_pending", crash)
    with pytest.raises(KeyboardInterrupt):
        workspace.keys.change_passphrase(NEW, TEST_ONLY_FAST)
    workspace.close()
    assert (folder / PENDING_NAME).exists()
    with pytest.raises(WrongPassphrase):
        Workspace.open(folder, PASSPHRASE)
    with Workspace.open(folder, NEW) as ws:
        assert [c.name for c in ws.cases.all()] == ["Synopsis"]
        assert ws.fsck.run().ok
    assert not (folder / PENDING_NAME).exists()


def test_short_passphrases_are_refused_by_the_core(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="at least 8 characters"):
        Workspace.create(tmp_path / "short.dossier", "short", TEST_ONLY_FAST)
    with pytest.raises(UsageError, match="at least 8 characters"):
        workspace.keys.change_passphrase("short", TEST_ONLY_FAST)


def test_a_change_interrupted_as_its_commit_returns_opens_with_the_new_passphrase(
    workspace: Workspace, tmp_path: Path
) -> None:
    """A Ctrl-C (or any failure) landing once the catalog committed the switch, before the
    change returned: the catalog names the new master key, so its header must stay. Taken for
    a change that never happened, the pending header was deleted and the old key put back:
    neither passphrase opened the vault again, and every case key, wrapped under the new
    master, was lost."""
    folder = workspace.folder
    case = workspace.cases.create("Synopsis").id
    doc = workspace.documents.import_file(case, _note(tmp_path, "a.txt", "gardé"))
    switched: list[set[tuple[str, str | None, str]]] = []

    def interrupted(changes: set[tuple[str, str | None, str]]) -> None:
        if any(table == "audit_entry" for table, _case, _row in changes) and not switched:
            switched.append(changes)
            raise KeyboardInterrupt  # as the switch's commit returns

    workspace.vault.add_commit_listener(interrupted)
    with pytest.raises(KeyboardInterrupt):  # reported as itself: "interrupted"
        workspace.keys.change_passphrase(NEW, TEST_ONLY_FAST)
    assert switched, "interrupted at the switch's commit"
    workspace.close()
    with pytest.raises(WrongPassphrase):
        Workspace.open(folder, PASSPHRASE)
    with Workspace.open(folder, NEW) as ws:
        assert ws.documents.text(doc.id).strip() == "gardé"
        assert ws.fsck.run().ok
    assert not (folder / PENDING_NAME).exists()


@pytest.mark.parametrize("damage", [b"", b"{", b'{"format": "dossier-vault"'])
def test_a_damaged_new_header_the_catalog_needs_is_kept_not_deleted(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, damage: bytes
) -> None:
    """Stopped after the switch, with the new header then damaged on disk: it wraps the only
    copy of the master key the catalog uses. Deleted as a torn file from before a switch,
    neither passphrase opened the vault again and every case was lost."""
    folder = workspace.folder
    workspace.cases.create("Synopsis")

    def crash(_folder: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(keyrotation, "promote_pending", crash)
    with pytest.raises(KeyboardInterrupt):
        workspace.keys.change_passphrase(NEW, TEST_ONLY_FAST)
    workspace.close()
    intact = (folder / PENDING_NAME).read_bytes()
    (folder / PENDING_NAME).write_bytes(damage)
    for passphrase in (NEW, PASSPHRASE):
        with pytest.raises(CorruptData, match=r"vault\.json\.next"):
            Workspace.open(folder, passphrase)
    assert (folder / PENDING_NAME).read_bytes() == damage
    (folder / PENDING_NAME).write_bytes(intact)  # restored from a backup
    with Workspace.open(folder, NEW) as ws:
        assert [c.name for c in ws.cases.all()] == ["Synopsis"]


def test_a_damaged_new_header_from_before_the_switch_is_removed(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = workspace.folder
    workspace.cases.create("Synopsis")
    workspace.close()
    (folder / PENDING_NAME).write_bytes(b"{")  # torn as it was written: never used
    with Workspace.open(folder, PASSPHRASE) as ws:
        assert [c.name for c in ws.cases.all()] == ["Synopsis"]
    assert not (folder / PENDING_NAME).exists()
