"""`dossier import` with folders and mail: children listed, a damaged file refused with exit 6
while the rest of the batch goes on, the tree shown by `doc list` and `doc show`."""

from __future__ import annotations

from pathlib import Path

from tests.clivault import CliVault
from tests.core.services.documents.test_attachments import reply_with_attachments
from tests.pdfgen import text_pdf


def test_import_folder_recursively_with_mail_children_and_a_damaged_file(tmp_path: Path) -> None:
    vault = CliVault(tmp_path, "v.dossier")
    vault.ok("init")
    vault.ok("case", "create", "Courrier")
    inbox = tmp_path / "recu" / "decembre"
    inbox.mkdir(parents=True)
    reply_with_attachments(inbox)
    text_pdf(tmp_path / "recu" / "arrete.pdf", "Arrêté préfectoral du 3 mars.")
    (tmp_path / "recu" / "abime.docx").write_bytes(b"PK\x03\x04" + bytes(40))
    (tmp_path / "recu" / ".DS_Store").write_bytes(b"\x00\x01")
    result = vault.run("import", "--case", "Courrier", str(tmp_path / "recu"))
    assert result.returncode == 6, result.stderr
    assert result.stderr.count("\n") == 1 and "abime.docx" in result.stderr
    assert "imported arrete.pdf" in result.stdout
    assert "imported reponse.eml" in result.stdout
    assert "attachment 1: rapport.pdf as" in result.stdout
    assert "attachment 2: note.docx as" in result.stdout
    listing = vault.ok("doc", "list", "--case", "Courrier").splitlines()
    assert len(listing) == 4
    message = next(line for line in listing if "Réponse à vos questions" in line)
    below = listing[listing.index(message) + 1 :][:2]
    assert all("└ " in line and "attachment" in line for line in below)
    docs = vault.json("doc", "list", "--case", "Courrier")
    top = next(d for d in docs if d["title"] == "Réponse à vos questions")
    shown = vault.ok("doc", "show", top["id"])
    assert "contains: 2 documents" in shown
    child = next(d for d in docs if d["parent_id"] == top["id"])
    assert f"part of: Réponse à vos questions ({top['id']})" in vault.ok("doc", "show", child["id"])
