"""Import takes regular files only: a symlink, a FIFO, a device or a socket is refused.

The attack: `symlink.txt -> /etc/passwd` imported the password file. Each refusal is one
sentence, exit 6 from the CLI, and nothing enters the case; a link swapped in between the
check and the open is refused too (the file is opened without following links).
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest

from dossier.errors import InputRefused
from dossier.services.documents import regular
from dossier.services.workspace import Workspace
from tests.clivault import CliVault

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file kinds")

CASE = "Affaire"
SECRET = "root:x:0:0:secret-of-the-machine"


def _target(tmp_path: Path) -> Path:
    target = tmp_path / "outside" / "passwd"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"{SECRET}\n" * 20, encoding="utf-8")
    return target


def _not_regular(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    link = folder / "symlink.txt"
    link.symlink_to(_target(tmp_path))
    fifo = folder / "pipe.txt"
    os.mkfifo(fifo)
    return {"symlink": link, "fifo": fifo, "device": Path("/dev/null")}


def test_the_cli_refuses_links_fifos_and_devices_with_exit_6(tmp_path: Path) -> None:
    vault = CliVault(tmp_path, "V.dossier")
    vault.ok("init")
    vault.ok("case", "create", CASE)
    for what, path in _not_regular(tmp_path).items():
        result = vault.run("import", "--case", CASE, str(path))
        assert result.returncode == 6, (what, result.returncode, result.stderr)
        assert result.stderr.startswith("dossier: ") and result.stderr.count("\n") == 1, (
            what,
            result.stderr,
        )
        assert "regular file" in result.stderr, result.stderr
    link_message = vault.run("import", "--case", CASE, str(tmp_path / "in" / "symlink.txt"))
    assert "symbolic link" in link_message.stderr and "passwd" in link_message.stderr
    assert vault.json("doc", "list", "--case", CASE) == []
    assert SECRET not in vault.ok("search", "--case", CASE, "secret")


def test_the_service_refuses_them_and_a_socket(workspace: Workspace, tmp_path: Path) -> None:
    workspace.cases.create(CASE)
    paths = _not_regular(tmp_path)
    sock_path = Path(f"/tmp/dossier-test-{os.getpid()}.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(sock_path))
        paths["socket"] = sock_path
        for what, path in paths.items():
            with pytest.raises(InputRefused, match="regular files") as refused:
                workspace.documents.import_file(CASE, path)
            assert "\n" not in str(refused.value), what
    finally:
        server.close()
        sock_path.unlink(missing_ok=True)
    outcomes = workspace.documents.import_many(CASE, list(paths.values()))
    assert all(o.document is None and o.error for o in outcomes)
    assert workspace.documents.of_case(CASE) == []


def test_a_link_swapped_in_after_the_check_is_not_followed(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race: a regular file passes `lstat`, then becomes a link before it is opened."""
    workspace.cases.create(CASE)
    innocent = tmp_path / "in" / "notes.txt"
    innocent.parent.mkdir()
    innocent.write_text("Des notes ordinaires.", encoding="utf-8")
    target = _target(tmp_path)
    real_open = os.open

    def swap_then_open(path: object, flags: int, *args: object) -> int:
        if Path(str(path)) == innocent and innocent.is_file() and not innocent.is_symlink():
            innocent.unlink()
            innocent.symlink_to(target)
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(regular.os, "open", swap_then_open)
    with pytest.raises(InputRefused, match="symbolic link"):
        workspace.documents.import_file(CASE, innocent)
    assert workspace.documents.of_case(CASE) == []


def test_a_regular_file_still_imports(workspace: Workspace, tmp_path: Path) -> None:
    workspace.cases.create(CASE)
    note = tmp_path / "note.txt"
    note.write_text("Une note ordinaire sur le chantier.", encoding="utf-8")
    info = workspace.documents.import_file(CASE, note, kind="note")
    assert info.filename == "note.txt" and info.size == note.stat().st_size
    assert "chantier" in workspace.documents.text(info.id)


def test_a_folder_import_names_each_link_and_fifo_it_does_not_take(tmp_path: Path) -> None:
    """A folder holding a link to a file, a link to a folder and a FIFO: the regular file is
    imported, each of the others refused in its own sentence (exit 6), never followed and never
    left out unsaid."""
    vault = CliVault(tmp_path, "V.dossier")
    vault.ok("init")
    vault.ok("case", "create", CASE)
    folder = tmp_path / "dossier-recu"
    folder.mkdir()
    (folder / "note.txt").write_text("Une note ordinaire sur le chantier.", encoding="utf-8")
    (folder / "passwd.txt").symlink_to(_target(tmp_path))
    (folder / "archives").symlink_to(_target(tmp_path).parent, target_is_directory=True)
    os.mkfifo(folder / "pipe.txt")
    result = vault.run("import", "--case", CASE, str(folder))
    assert result.returncode == 6, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 3, lines
    for name in ("passwd.txt", "archives", "pipe.txt"):
        assert any(name in line for line in lines), (name, lines)
    docs = vault.json("doc", "list", "--case", CASE)
    assert [d["filename"] for d in docs] == ["note.txt"]
    assert SECRET not in vault.ok("search", "--case", CASE, "secret")
