"""A file already in the case is recognised by its keyed hash: skipped (default) or linked;
the same file in another case is noticed, and no plaintext hash is written anywhere."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import event

from dossier.db.models import Document
from dossier.errors import AlreadyInCase
from dossier.services.workspace import Workspace
from tests.clivault import CliVault
from tests.leakscan import hash_needles, scan
from tests.pdfgen import text_pdf


def test_second_import_is_skipped_by_default_and_linked_on_request(
    workspace: Workspace, tmp_path: Path
) -> None:
    pdf = text_pdf(tmp_path / "arrete.pdf", "Arrêté préfectoral Ornithoptère du 3 mars.")
    copy = tmp_path / "copie-recue.pdf"
    copy.write_bytes(pdf.read_bytes())
    case = workspace.cases.create("Doublons").id
    first = workspace.documents.import_file(case, pdf)
    with pytest.raises(AlreadyInCase, match="already in this case") as skipped:
        workspace.documents.import_file(case, copy)
    assert skipped.value.document_id == first.id
    linked = workspace.documents.import_file(case, copy, duplicates="link")
    assert linked.id == first.id
    assert linked.metadata["also_received_as"] == "copie-recue.pdf"
    assert len(workspace.documents.of_case(case)) == 1


def test_same_file_in_another_case_is_noticed_never_stored_as_a_plain_hash(
    workspace: Workspace, tmp_path: Path
) -> None:
    pdf = text_pdf(tmp_path / "note.pdf", "Note Tétraèdrique confidentielle.")
    first = workspace.cases.create("Première affaire").id
    second = workspace.cases.create("Seconde affaire").id
    workspace.documents.import_file(first, pdf)
    again = workspace.documents.import_file(second, pdf)  # other case: imported, not skipped
    assert workspace.documents.other_cases_holding(again.id) == ["Première affaire"]
    folder = workspace.vault.folder
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert digest not in "".join(p.name for p in folder.rglob("*"))
    assert scan([folder], hash_needles([pdf])) == []


def test_cli_duplicates_skip_with_a_notice_and_link(tmp_path: Path) -> None:
    vault = CliVault(tmp_path, "v.dossier")
    vault.ok("init")
    vault.ok("case", "create", "Doublons")
    pdf = text_pdf(tmp_path / "arrete.pdf", "Arrêté préfectoral du 3 mars.")
    vault.ok("import", "--case", "Doublons", str(pdf))
    skipped = vault.run("import", "--case", "Doublons", str(pdf))
    assert skipped.returncode == 0 and "already in this case" in skipped.stderr
    linked = vault.ok("import", "--case", "Doublons", "--duplicates", "link", str(pdf))
    assert linked.startswith("linked arrete.pdf as")
    assert len(vault.json("doc", "list", "--case", "Doublons")) == 1


@pytest.mark.parametrize("duplicates", ["skip", "link"])
def test_a_folder_imported_again_reads_the_case_once_not_once_a_file(
    workspace: Workspace, tmp_path: Path, duplicates: str
) -> None:
    """Each file already in the case looked for its twin by reading (and decrypting) every
    document of the case: importing a folder again cost in proportion to the case for each
    of its files (800 files: 17 ms a file, 4 ms at 200), the whole in the square of it."""
    folder = tmp_path / "dossier"
    folder.mkdir()
    for i in range(40):
        (folder / f"note-{i:02d}.txt").write_text(f"Note {i} du dossier Ornithoptère.")
    files = sorted(folder.iterdir())
    case = workspace.cases.create("Encore").id
    workspace.documents.import_many(case, files)
    deleted = workspace.documents.import_file(case, _written(tmp_path / "seule.txt"))
    workspace.documents.delete(deleted.id)  # its original may stay until gc: not a twin
    loaded: list[object] = []
    listen = (Document, "load", lambda target, _context: loaded.append(target))
    event.listen(*listen)
    try:
        outcomes = workspace.documents.import_many(
            case, [*files, tmp_path / "seule.txt"], duplicates=duplicates
        )
    finally:
        event.remove(*listen)
    assert sum(1 for o in outcomes if o.document is not None or o.error) == 41
    assert outcomes[-1].document is not None and outcomes[-1].document.id != deleted.id
    assert len(loaded) <= 3 * 41, f"{len(loaded)} documents read for 41 files"


def _written(path: Path) -> Path:
    path.write_text("Une note seule, importée puis effacée.")
    return path
