"""A Word file is read from the parts its text comes from, and only from them; the styles
part a batch's files share is read once.

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
from docx.enum.style import WD_STYLE_TYPE

from dossier.errors import InputRefused
from dossier.ingest import docx_file
from dossier.ingest.formats import extract_bytes
from dossier.ingest.ooxml import StyleInfo


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


def _styled(hides: bool, body: str = "Le témoin Hyacinthe Quarter") -> bytes:
    """A Word file whose letters "zz" carry a character style that hides them, or that has
    the same name and hides nothing: the two differ in their styles part alone."""
    document = docx.Document()
    style = document.styles.add_style("Masque", WD_STYLE_TYPE.CHARACTER)
    style.font.hidden = hides
    paragraph = document.add_paragraph()
    paragraph.add_run(body)
    paragraph.add_run("zz", style="Masque")
    paragraph.add_run("maine a parlé.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_each_word_file_is_read_with_its_own_styles() -> None:
    # Styles are remembered from one file to the next of a batch: a file whose styles
    # differ from the last one's, by one setting, must not be read with the last one's.
    for hides in (True, False, True, False):
        text = extract_bytes(_styled(hides), "temoin.docx").text
        expected = "Quarter[-zz-]maine" if hides else "Quarterzzmaine"
        assert expected in text, (hides, text)


def test_word_files_of_one_template_have_its_styles_read_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The styles part of python-docx's template is 350 KB: parsing it was most of what a
    # Word file of a batch cost.
    read: list[object] = []
    real = docx_file.read_styles

    def counted(root: object) -> dict[str, StyleInfo]:
        read.append(root)
        return real(root)

    monkeypatch.setattr(docx_file, "read_styles", counted)
    for number in range(4):
        text = extract_bytes(_styled(True, f"Pièce {number}, Hyacinthe Quarter"), "p.docx").text
        assert f"Pièce {number}, Hyacinthe Quarter[-zz-]maine" in text
    assert len(read) <= 1
