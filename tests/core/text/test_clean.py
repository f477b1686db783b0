"""Bytes a reader could not decode reach the catalog as valid text, byte for byte.

Found by the fuzz test: an e-mail whose Subject held a raw 0xE3 byte was parsed into a string
with the lone surrogate U+DCE3, and sealing the document in the catalog raised
UnicodeEncodeError (a traceback instead of an import)."""

from __future__ import annotations

from pathlib import Path

from dossier.services.workspace import Workspace
from dossier.text.clean import valid_text


def test_escaped_bytes_become_their_latin1_characters_one_for_one() -> None:
    assert valid_text("caf\udce9 \ud800x") == "café \ufffdx"
    assert len(valid_text("a\udce3b")) == 3
    assert valid_text("plain") == "plain"


def test_an_email_with_raw_bytes_in_its_headers_imports(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = workspace.cases.create("Affaire")
    raw = (
        b"From: Ren\xe9 <rene@example.org>\r\nTo: a@example.org\r\n"
        b"Subject: R\xe9ponse \xe3 la lettre\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nBonjour, voici la r\xc3\xa9ponse.\r\n"
        b"--XX\r\nContent-Type: text/plain\r\n"
        b'Content-Disposition: attachment; filename="not\xe9.txt"\r\n\r\nannexe\r\n--XX--\r\n'
    )
    path = tmp_path / "reply.eml"
    path.write_bytes(raw)
    info = workspace.documents.import_file(case.id, path)
    assert "ponse" in info.title and "\udce9" not in info.title
    children = workspace.documents.children(info.id)
    names = [child.filename for child in children]
    assert len(names) == 1 and names[0].startswith("not") and names[0].endswith(".txt")
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in names[0])
