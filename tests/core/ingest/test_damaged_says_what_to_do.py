"""A file refused as damaged (cut short in a download, a USB stick pulled out) says what to do:
ask its sender for a new copy. Found using the app: a folder of what a source sent listed
'is a damaged or truncated Word file and cannot be read.' and nothing more, the only refusal
of the import panel that left the journalist without a next step."""

from __future__ import annotations

import io
import zipfile

import pytest

from dossier.errors import InputRefused
from dossier.ingest.formats import extract_bytes
from dossier.pdf.mupdf import mupdf

ADVICE = "ask its sender for a new copy"


def _zip(names: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    return out.getvalue()


def _png() -> bytes:
    from PIL import Image  # Pillow loads only where pictures are made

    out = io.BytesIO()
    Image.effect_noise((400, 300), 60).save(out, "PNG")
    return out.getvalue()


def _pdf() -> bytes:
    with mupdf() as fitz, fitz.open() as document:
        document.new_page().insert_text((72, 72), "Compte rendu de la réunion")
        return bytes(document.tobytes())


def _cut(data: bytes) -> bytes:
    return data[: len(data) // 2]


CASES = {
    "memo.docx": lambda: _cut(_zip({"word/document.xml": b"<w:document/>" * 400})),
    "notes.odt": lambda: _cut(
        _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"x" * 9000})
    ),
    "pieces.zip": lambda: _cut(_zip({"a.txt": b"releve " * 3000, "b.txt": b"facture " * 3000})),
    "photo.png": lambda: _cut(_png()),
    "rapport.pdf": lambda: _pdf()[:40],
    "message.msg": lambda: bytes.fromhex("d0cf11e0a1b11ae1") + bytes(600),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_damaged_file_is_refused_with_what_to_do(name: str) -> None:
    with pytest.raises(InputRefused) as refused:
        extract_bytes(CASES[name](), name, ocr=False)
    message = str(refused.value)
    assert "damaged" in message
    assert ADVICE in message
