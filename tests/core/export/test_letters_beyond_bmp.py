"""A name in letters beyond U+FFFF (𝐐𝐮𝐚𝐫𝐭𝐞𝐫𝐦𝐚𝐢𝐧𝐞, the "bold" that social media posts set names in;
emoji) reads back from the PDF an export typesets as the letters it shows.

MuPDF wrote such a character in the font's /ToUnicode map as five hex digits, which it read
back as another character (U+1D410 as U+1D41, "ᵁ"): the typeset copy of a post or an e-mail
showed the name in bold to the eye, its text said "ᵁᵂᵁᵂ", so no mark found the name, the
export let it out whole and the self-check passed. The map now says UTF-16, as the standard
has it.
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated.)

from __future__ import annotations

import zipfile
from pathlib import Path

import pymupdf
import pytest

from dossier.pdf.textpdf import text_to_pdf
from dossier.services.export.dto import ExportRequest
from dossier.services.workspace import Workspace
from tests.core.redact.test_names_in_pictures import _tessdata
from tests.recipient import fold, leaks, picture_leaks

NAME = "Hyacinthe Quartermaine"
BOLD = "".join(
    chr(0x1D400 + ord(c) - ord("A")) if c.isupper() else chr(0x1D41A + ord(c) - ord("a"))
    for c in "Quartermaine"
)
ITALIC_SANS = "".join(
    chr(0x1D608 + ord(c) - ord("A")) if c.isupper() else chr(0x1D622 + ord(c) - ord("a"))
    for c in "Quartermaine"
)

TEXTS = {
    "bold": f"Le témoin Hyacinthe {BOLD} a parlé.",
    "italic sans-serif": f"Le témoin {ITALIC_SANS} a parlé.",
    "emoji": "Rendez-vous \U0001f600 \U0001f4cd au port, \U0001f6a2 à minuit.",
}


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_a_typeset_text_reads_back_as_written(text: str) -> None:
    with pymupdf.open(stream=text_to_pdf([text]), filetype="pdf") as doc:
        read = doc[0].get_text()
    assert " ".join(read.split()) == text


def test_a_name_in_bold_letters_does_not_leave(workspace: Workspace, tmp_path: Path) -> None:
    tessdata = _tessdata()
    case = workspace.cases.create("Posts").id
    post = f"{TEXTS['bold']}\nUne ligne ordinaire reste lisible.\n"
    workspace.documents.import_bytes(case, post.encode(), "post.txt")
    workspace.people.add(case, NAME, protection="protected")
    out = tmp_path / "bundle.zip"
    result = workspace.exports.export(ExportRequest(case=case, out=out))
    assert result.documents[0].redactions["person"] == 1
    assert leaks(out, [NAME, "Quartermaine", "Hyacinthe"]) == []
    assert picture_leaks(out, ["Quartermaine"], tessdata) == []
    with zipfile.ZipFile(out) as archive:
        (pdf,) = [archive.read(n) for n in archive.namelist() if n.endswith(".pdf")]
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        assert "une ligne ordinaire reste lisible" in fold(doc[0].get_text())
