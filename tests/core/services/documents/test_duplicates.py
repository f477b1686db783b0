"""A file already in the case is recognised by its keyed hash: skipped (default) or linked;
the same file in another case is noticed, and no plaintext hash is written anywhere."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

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
