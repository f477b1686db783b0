"""An e-mail cut short (a truncated download, the last message of a mailbox cut off) keeps
the attachments it holds whole, and leaves out, with its reason, the one it ends inside:
never a PDF or a Word file made of the first part of its bytes. A message's parts end with a
closing boundary; one cut short has none, and its last part is where it stops.
"""

from __future__ import annotations

import base64
import io

import docx
import pytest

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


def _children(data: bytes) -> tuple[dict[str, bytes], list[str]]:
    found = read_children(
        extract_bytes(data, "pieces.eml", ocr=False),
        "pieces.eml",
        ocr=False,
        progress=None,
        cancel=None,
    )
    return {c.name: c.data for c in found.children}, found.left_out


@pytest.mark.parametrize(
    "every", [pytest.param(10, id="few"), pytest.param(1, id="all", marks=pytest.mark.slow)]
)
def test_a_message_cut_inside_its_last_attachment_leaves_it_out(tmp_path, every: int) -> None:
    """The message is cut every 97 bytes from its last attachment's header to its end, about
    500 cuts read whole (3 CPU-s): `make test` reads every tenth cut and the last one (in the
    header, through the encoded file, just before the closing boundary), the slow sweep
    (`make check`, CI) every one."""
    pdf = write_pdf(tmp_path / "j.pdf", [text_page("Jugement du tribunal.")]).read_bytes()
    word = _word("Notes de l'audience.")
    data = _message(pdf, word)
    assert list(_children(data)[0]) == ["jugement.pdf", "notes.docx"]
    start = data.index(b'filename="notes.docx"')
    end = data.index(b"--B--")
    cuts = range(start, end, 97)
    for cut in sorted({*cuts[::every], cuts[-1]}):
        kept, left_out = _children(data[:cut])
        assert kept == {"jugement.pdf": pdf}, cut
        if cut > data.index(b"\r\n\r\n", start):
            assert any("notes.docx" in reason and "cut short" in reason for reason in left_out)


def test_a_message_whose_sender_left_out_its_closing_boundary_keeps_its_last_attachment(
    tmp_path,
) -> None:
    # Some senders never write the closing boundary, and mail clients show the message whole:
    # the last attachment's encoding ends with its short last line and a line break.
    pdf = write_pdf(tmp_path / "j.pdf", [text_page("Jugement du tribunal.")]).read_bytes()
    word = _word("Notes de l'audience.")
    data = _message(pdf, word)
    unclosed = data[: data.index(b"--B--")]
    assert _children(unclosed) == ({"jugement.pdf": pdf, "notes.docx": word}, [])
    # Cut after a whole line of its encoding, or inside one (a short line that decodes, but no
    # line break after it): the rest may be missing.
    lines = unclosed.split(b"\r\n")
    for cut in (b"\r\n".join(lines[:-4]) + b"\r\n", b"\r\n".join(lines[:-3])[:-36]):
        kept, left_out = _children(cut)
        assert kept == {"jugement.pdf": pdf}
        assert any("notes.docx" in reason and "cut short" in reason for reason in left_out)
