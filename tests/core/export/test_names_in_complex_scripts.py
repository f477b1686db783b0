"""A protected name in Arabic or Devanagari is hidden in the typeset export of a text, an
e-mail or a web page.

MuPDF sets these scripts with the shapes letters take in context and names some shapes wrongly
in the font's /ToUnicode map: "العلي" reads back "ﺍǄﻌǁﻲ", "शर्मा" "श ù मा". The export plans its
marks on the words it reads back from the PDF it typeset, so such a name was never found: the
page showed it whole, and the self-check, reading the same wrong letters, passed. The proof
here reads the bundle's PDF as MuPDF reads it: the name's words as the typeset page draws them
(those wrong letters) must be gone, the text around them kept. (A sign drawn above the line, as
the "र्" over "मा", may stay outside the box: the box is kept off the lines around it.)
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated.)

from __future__ import annotations

import zipfile
from pathlib import Path

import pymupdf
import pytest

from dossier.pdf.extract import extract_pdf_bytes
from dossier.pdf.readback import spelt_as_written
from dossier.pdf.textpdf import text_to_pdf
from dossier.services.export.dto import ExportRequest
from dossier.services.workspace import Workspace

NAMES = {
    "Arabic": ("محمد العلي", "قال الشاهد محمد العلي للقاضي كل شيء."),
    "Devanagari": ("राम शर्मा", "साक्षी राम शर्मा ने न्यायाधीश से कहा।"),
}
PLAIN = "Une ligne ordinaire reste lisible."


def _drawn(text: str) -> list[str]:
    """The words MuPDF reads from `text` typeset alone."""
    with pymupdf.open(stream=text_to_pdf([text]), filetype="pdf") as doc:
        return doc[0].get_text().split()


@pytest.mark.parametrize("name, sentence", NAMES.values(), ids=NAMES.keys())
def test_a_name_read_back_as_other_letters_is_hidden(
    workspace: Workspace, tmp_path: Path, name: str, sentence: str
) -> None:
    around = _drawn(sentence.replace(name, ""))
    shown = [w for w in _drawn(name) if w not in around and len(w) > 1]
    assert " ".join(shown) != name  # the attack: MuPDF reads the name as other letters
    case = workspace.cases.create("Scripts").id
    workspace.documents.import_bytes(case, f"{sentence}\n\n{PLAIN}\n".encode(), "temoin.txt")
    workspace.people.add(case, name, protection="protected")
    out = tmp_path / "bundle.zip"
    result = workspace.exports.export(ExportRequest(case=case, out=out))
    assert result.documents[0].redactions["person"] >= 1
    with zipfile.ZipFile(out) as archive:
        (pdf,) = [archive.read(n) for n in archive.namelist() if n.endswith(".pdf")]
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        exported = doc[0].get_text()
    assert [w for w in shown if w in exported.split()] == []
    assert PLAIN in " ".join(exported.split())


def test_words_read_back_as_other_letters_are_spelt_as_the_text() -> None:
    text = f"{NAMES['Arabic'][1]}\n{PLAIN}"
    read = extract_pdf_bytes(text_to_pdf([text]), "t", ocr=False).pages
    (page,) = spelt_as_written(read, [text])
    assert "محمد العلي" in page.text and PLAIN in page.text
    drawn = read[0].words
    for word in page.words:  # where the PDF draws it: a word read, or several read as one
        inside = [w for w in drawn if word.x0 <= w.x0 and w.x1 <= word.x1 and w.line == word.line]
        assert word.rect in [w.rect for w in drawn] or len(inside) > 1


PIECES = {
    "Bengali": ("রহিম উদ্দিন", "সাক্ষী রহিম উদ্দিন বিচারককে সব বলেছেন।"),
    "Oriya": ("ପଟ୍ଟନାୟକ", "ସାକ୍ଷୀ ପଟ୍ଟନାୟକ ବିଚାରପତିଙ୍କୁ କହିଲେ।"),
    "Sinhala": ("ප්‍රේමදාස", "සාක්ෂිකරු ප්‍රේමදාස විනිසුරුට කීවේය."),
    "Tamil": ("கிருஷ்ணமூர்த்தி", "சாட்சி கிருஷ்ணமூர்த்தி நீதிபதியிடம் கூறினார்."),
}


@pytest.mark.parametrize("name, sentence", PIECES.values(), ids=PIECES.keys())
def test_no_piece_of_a_name_read_as_several_lines_is_left(
    workspace: Workspace, tmp_path: Path, name: str, sentence: str
) -> None:
    """MuPDF reads "উদ্দিন" as two lines of the same row, "উ�" and "�ন", their boxes
    overlapping: each piece is boxed with the whole word, or "ন" stayed beside the mark."""
    case = workspace.cases.create("Scripts").id
    workspace.documents.import_bytes(case, f"{sentence}\n\n{PLAIN}\n".encode(), "temoin.txt")
    workspace.people.add(case, name, protection="protected")
    out = tmp_path / "bundle.zip"
    workspace.exports.export(ExportRequest(case=case, out=out))
    with zipfile.ZipFile(out) as archive:
        (pdf,) = [archive.read(n) for n in archive.namelist() if n.endswith(".pdf")]
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        exported = doc[0].get_text().split()
    around = _drawn(sentence.replace(name, "")) + PLAIN.split()
    assert [w for w in exported if w not in around] == []
    assert PLAIN in " ".join(exported)
