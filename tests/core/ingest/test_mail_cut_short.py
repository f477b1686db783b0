"""An e-mail cut short (a truncated download, the last message of a mailbox cut off) keeps
the attachments it holds whole, and leaves out, with its reason, the one it ends inside:
never a PDF or a Word file made of the first part of its bytes. A message's parts end with a
closing boundary; one cut short has none, and its last part is where it stops.
"""

from __future__ import annotations

import base64
import io

import docx

from dossier.ingest.formats import extract_bytes
from dossier.services.documents.children import read_children
from tests.pdfgen import text_page, write_pdf


def _word(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _message(tmp_pdf: bytes, word: bytes) -> bytes:
    def attachment(name: str, kind: str, data: bytes) -> bytes:
        return (
            f"--B\r\nContent-Type: {kind}\r\nContent-Disposition: attachment; "
            f'filename="{name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n'.encode()
            + base64.encodebytes(data).replace(b"\n", b"\r\n")
        )

    return (
        b"From: greffe@example.org\r\nTo: redaction@example.org\r\nSubject: Pieces\r\n"
        b"Date: Tue, 05 Mar 2024 10:00:00 +0100\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: text/plain\r\n\r\nVoici les pieces.\r\n"
        + attachment("jugement.pdf", "application/pdf", tmp_pdf)
        + attachment(
            "notes.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            word,
        )
        + b"--B--\r\n"
    )


def test_a_message_cut_inside_its_last_attachment_leaves_it_out(tmp_path) -> None:
    pdf = write_pdf(tmp_path / "j.pdf", [text_page("Jugement du tribunal.")]).read_bytes()
    word = _word("Notes de l'audience.")
    data = _message(pdf, word)
    whole = read_children(
        extract_bytes(data, "pieces.eml", ocr=False),
        "pieces.eml",
        ocr=False,
        progress=None,
        cancel=None,
    )
    assert [c.name for c in whole.children] == ["jugement.pdf", "notes.docx"]
    start = data.index(b'filename="notes.docx"')
    end = data.index(b"--B--")
    for cut in range(start, end, 97):
        found = read_children(
            extract_bytes(data[:cut], "pieces.eml", ocr=False),
            "pieces.eml",
            ocr=False,
            progress=None,
            cancel=None,
        )
        kept = {c.name: c.data for c in found.children}
        assert kept == {"jugement.pdf": pdf}, cut
        if cut > data.index(b"\r\n\r\n", start):
            assert any(
                "notes.docx" in reason and "cut short" in reason for reason in found.left_out
            )
