"""Zip archives: each member a child document; a hostile archive refused whole, nothing written."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from dossier.errors import InputRefused
from dossier.services.workspace import Workspace
from tests.core.services.documents.test_attachments import docx_bytes
from tests.pdfgen import text_pdf


def _zip(members: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return out.getvalue()


def _nothing_written(ws: Workspace, case: str) -> None:
    assert ws.documents.of_case(case) == []
    assert not [p for p in ws.vault.blobs_dir.rglob("*") if p.is_file()]


def test_members_and_nested_archives_become_linked_documents(
    workspace: Workspace, tmp_path: Path
) -> None:
    pdf = text_pdf(tmp_path / "a.pdf", "Procès-verbal Hydrocarburique du conseil.").read_bytes()
    inner = _zip([("annexe/note.docx", docx_bytes("Note Batrachomyomachique interne."))])
    data = _zip(
        [
            ("dossier/pv.pdf", pdf),
            ("dossier/annexes.zip", inner),
            ("__MACOSX/dossier/._pv.pdf", b"\x00\x05\x16\x07"),
            ("dossier/", b""),
        ]
    )
    case = workspace.cases.create("Archives").id
    top = workspace.documents.import_bytes(case, data, "envoi.zip")
    members = workspace.documents.children(top.id)
    assert [(m.filename, m.origin) for m in members] == [
        ("pv.pdf", "member 1"),
        ("annexes.zip", "member 2"),
    ]
    assert members[0].metadata["path_in_archive"] == "dossier/pv.pdf"
    (note,) = workspace.documents.children(members[1].id)
    assert {h.doc_id for h in workspace.search.query("Batrachomyomachique", case=case)} == {note.id}
    assert "dossier/pv.pdf" in workspace.documents.text(top.id)


def _link(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ([("../../etc/cron.d/x", b"pwn")], "climbs out"),
        ([("/tmp/x.txt", b"pwn")], "absolute path"),
        ([(_link("lien"), b"/etc/passwd")], "symbolic link"),
        ([("bombe.txt", b"\x00" * (300 * 1024**2))], "zip bomb"),
        ([("a.txt", b"un"), ("A.TXT", b"deux")], "two files are named"),
    ],
)
def test_hostile_archives_are_refused_with_nothing_written(
    workspace: Workspace, members: list[tuple[str | zipfile.ZipInfo, bytes]], message: str
) -> None:
    case = workspace.cases.create("Pièges").id
    with pytest.raises(InputRefused, match=message) as refused:
        workspace.documents.import_bytes(case, _zip(members), "piege.zip")
    assert "nothing was written" in str(refused.value)
    _nothing_written(workspace, case)


def test_encrypted_member_is_refused_clearly(workspace: Workspace) -> None:
    data = bytearray(_zip([("secret.txt", b"texte")]))
    # Set the "encrypted" flag in the local header and the central directory, as a
    # password-protected zip has it.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature) + offset
        data[at] |= 0x01
    case = workspace.cases.create("Chiffré").id
    with pytest.raises(InputRefused, match="encrypted"):
        workspace.documents.import_bytes(case, bytes(data), "chiffre.zip")
    _nothing_written(workspace, case)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("zip_slip_dotdot.zip", "climbs out"),
        ("zip_absolute_paths.zip", "absolute path"),
        ("zip_corrupted.zip", "damaged or truncated zip archive"),
    ],
)
def test_corpus_hostile_archives_are_refused(
    workspace: Workspace,
    ingest_corpus: Path,
    name: str,
    message: str,
) -> None:
    case = workspace.cases.create("Pièges").id
    with pytest.raises(InputRefused, match=message):
        workspace.documents.import_file(case, ingest_corpus / name)
    _nothing_written(workspace, case)


def test_corpus_archive_of_office_documents(
    workspace: Workspace,
    ingest_corpus: Path,
) -> None:
    case = workspace.cases.create("Bureautique").id
    top = workspace.documents.import_file(case, ingest_corpus / "zip_mixed_office_documents.zip")
    members = workspace.documents.children(top.id)
    assert {m.mime for m in members} >= {"application/pdf", "application/rtf"}
    assert "testEXCEL.xls" in top.metadata["not_imported"]
    assert workspace.search.query("NeoOffice", case=case)
