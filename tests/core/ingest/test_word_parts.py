"""A Word file is read from the parts its text comes from, and only from them.

python-docx parsed every part of the package before a word was read: a file whose theme,
settings or picture was damaged or missing (parts no text comes from) was refused whole, and
a file without properties was given python-docx's own ("Word Document", last modified by
"python-docx", modified at the moment of the import) as if its author had written them.
"""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest

from dossier.errors import InputRefused
from dossier.ingest.formats import extract_bytes


def _word_file() -> bytes:
    document = docx.Document()
    document.add_heading("Rapport sur les caméras", level=1)
    document.add_paragraph("Le marché a été attribué sans appel d’offres en 2021.")
    document.add_picture(io.BytesIO(_png()))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _png() -> bytes:
    import pymupdf

    pixmap = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 4, 4), False)
    return bytes(pixmap.tobytes("png"))


def _rewritten(data: bytes, change: dict[str, bytes | None]) -> bytes:
    """The package with members replaced (bytes) or left out (None)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            if name in change:
                replaced = change[name]
                if replaced is not None:
                    target.writestr(name, replaced)
            else:
                target.writestr(name, source.read(name))
    return out.getvalue()


def _picture_member(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return next(n for n in archive.namelist() if n.startswith("word/media/"))


@pytest.mark.parametrize(
    "damage",
    [
        {"word/settings.xml": None},
        {"word/theme/theme1.xml": b"<a:theme><unclosed"},
        {"word/fontTable.xml": b"\x00\xff not xml"},
        "picture missing",
    ],
    ids=["settings missing", "theme not XML", "fonts garbage", "picture missing"],
)
def test_a_damaged_part_no_text_comes_from_does_not_cost_the_document(
    damage: dict[str, bytes | None] | str,
) -> None:
    data = _word_file()
    change = {_picture_member(data): None} if damage == "picture missing" else damage
    assert isinstance(change, dict)
    document = extract_bytes(_rewritten(data, change), "rapport.docx")
    assert "Rapport sur les caméras\n=====" in document.text
    assert "sans appel d’offres en 2021" in document.text


def test_a_word_file_without_properties_is_given_none() -> None:
    data = _word_file()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        rels = archive.read("_rels/.rels")
    rels = re.sub(rb"<Relationship [^>]*core-properties\"[^>]*/>", b"", rels)
    document = extract_bytes(
        _rewritten(data, {"_rels/.rels": rels, "docProps/core.xml": None}), "rapport.docx"
    )
    assert document.title == "Rapport sur les caméras"
    assert document.metadata == {} and document.author is None and document.date is None


def test_a_word_file_whose_text_is_not_xml_is_refused_in_one_sentence() -> None:
    data = _rewritten(_word_file(), {"word/document.xml": b"<w:document><w:body><w:p>"})
    with pytest.raises(InputRefused, match=r"^“rapport.docx” is a damaged Word file"):
        extract_bytes(data, "rapport.docx")
