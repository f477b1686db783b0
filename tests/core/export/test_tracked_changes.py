"""A name a tracked change cuts in two leaves no more than a whole one.

A Word or OpenDocument draft keeps its tracked changes in the text, `[-deleted-]` and
`{+inserted+}` where they were made. When a change falls inside a protected name or a redacted
term ("Quarter[-x-]maine", a typo corrected; "Qua{+r+}termaine", a letter added;
"[-H. Quarter-]{+Hyacinthe Quarter+}maine", a name retyped), the recipient reads the name with
the change accepted, or as it was before: the export must hide it in both readings, in the PDF
and in the texts Dossier writes (titles, file names, quotes).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from docx.oxml.parser import parse_xml

from dossier.pdf.textpdf import text_to_pdf
from dossier.redact.bundlecheck import Watchlist, needles
from dossier.services.export.service import ExportRequest
from dossier.services.workspace import Workspace
from tests.core.export.checked import findings_in
from tests.recipient import leaks, read_bundle

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SOURCE = "Hyacinthe Quartermaine"
TERM = "Ornithorynque"
SECRETS = ["Quartermaine", TERM]


def _ins(text: str) -> str:
    return (
        f'<w:ins {W_NS} w:id="31" w:author="Jean Martin" w:date="2024-02-01T10:00:00Z">'
        f"<w:r><w:t>{text}</w:t></w:r></w:ins>"
    )


def _del(text: str) -> str:
    return (
        f'<w:del {W_NS} w:id="32" w:author="Jean Martin" w:date="2024-02-01T10:00:00Z">'
        f"<w:r><w:delText>{text}</w:delText></w:r></w:del>"
    )


def _word_draft(paragraphs: list[list[str]]) -> bytes:
    """A Word file whose paragraphs are runs ("text") and tracked changes (XML)."""
    document = docx.Document()
    for pieces in paragraphs:
        paragraph = document.add_paragraph()
        for piece in pieces:
            if piece.startswith("<"):
                paragraph._p.append(parse_xml(piece))
            else:
                paragraph.add_run(piece)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


WORD_DRAFT = [
    ["Témoignage de Hyacinthe Quarter", _del("x"), "maine recueilli au port."],
    ["Selon Qua", _ins("r"), "termaine, le chantier a pris du retard."],
    ["Relu par ", _del("H. Quarter"), _ins("Hyacinthe Quarter"), "maine avant envoi."],
    ["Le projet Ornitho", _del("rink"), _ins("rynque"), " coûte trop cher."],
]


def _export(workspace: Workspace, tmp_path: Path, data: bytes, name: str) -> Path:
    case = workspace.cases.create("Brouillon").id
    workspace.documents.import_bytes(case, data, name)
    workspace.people.add(case, SOURCE, protection="protected")
    workspace.redactions.add_term(TERM, case=case)
    workspace.quotes.add(case, "Témoignage de Hyacinthe Quarter[-x-]maine recueilli au port.")
    out = tmp_path / "bundle.zip"
    workspace.exports.export(ExportRequest(case=case, out=out))
    return out


def test_a_word_draft_hides_a_name_a_tracked_change_cuts(
    workspace: Workspace, tmp_path: Path
) -> None:
    out = _export(workspace, tmp_path, _word_draft(WORD_DRAFT), "brouillon.docx")
    assert leaks(out, SECRETS) == []
    texts = " ".join(read_bundle(out).values())
    assert "chantier" in texts and "recueilli au port" in texts  # the rest is still there


ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content
  xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2">
 <office:body><office:text>
  <text:tracked-changes>
   <text:changed-region text:id="c1"><text:deletion>
    <office:change-info><dc:creator>Paul Roux</dc:creator><dc:date>2024-01-05T10:00:00</dc:date>
    </office:change-info><text:p>x</text:p></text:deletion></text:changed-region>
   <text:changed-region text:id="c2"><text:insertion>
    <office:change-info><dc:creator>Paul Roux</dc:creator><dc:date>2024-01-05T10:01:00</dc:date>
    </office:change-info></text:insertion></text:changed-region>
  </text:tracked-changes>
  <text:p>Témoignage de Hyacinthe Quarter<text:change text:change-id="c1"/>maine recueilli
   au port.</text:p>
  <text:p>Selon Qua<text:change-start text:change-id="c2"/>r<text:change-end
   text:change-id="c2"/>termaine, le chantier a pris du retard.</text:p>
 </office:text></office:body>
</office:document-content>
"""


def test_an_opendocument_draft_hides_a_name_a_tracked_change_cuts(
    workspace: Workspace, tmp_path: Path
) -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", ODT_CONTENT, zipfile.ZIP_DEFLATED)
    out = _export(workspace, tmp_path, data.getvalue(), "brouillon.odt")
    assert leaks(out, SECRETS) == []
    assert "chantier" in " ".join(read_bundle(out).values())


CUT_BY_CHANGES = [
    "Témoignage de M. Quarter[-x-]maine recueilli au port.",
    "Selon Qua{+r+}termaine, le chantier a pris du retard.",
    "Relu par [-H. Quarter-]{+M. Quarter+}maine avant envoi.",
    "Témoignage de Quarter[-x\n-]maine, sur deux lignes.",
]


def test_the_self_check_reads_past_tracked_changes_on_its_own() -> None:
    watch = Watchlist(people=[("a protected person's name", [SOURCE])])
    found = needles(watch, lambda doc: [])
    for text in CUT_BY_CHANGES:
        assert found.search(text) == ["a protected person's name"], text
    assert found.search("Le prix [-baisse-]{+monte+} au port.") == []
    bundle = {
        "quotes.csv": "text\n" + "\n".join(CUT_BY_CHANGES) + "\n",
        "documents/01-document.pdf": text_to_pdf(CUT_BY_CHANGES),
    }
    files = {f.file for f in findings_in(bundle, watch)}
    assert files == {"quotes.csv", "documents/01-document.pdf"}


def test_the_list_of_changes_gives_a_piece_of_a_word_with_its_word(
    workspace: Workspace, tmp_path: Path
) -> None:
    """The notes after the body list each change; "inserted by Jean Martin: maine" alone would
    give away how a boxed name ends. A change inside a word is listed with its whole word."""
    draft = [["Selon Hyacinthe Quarter", _ins("maine"), ", le chantier a pris du retard."]]
    out = _export(workspace, tmp_path, _word_draft(draft), "brouillon.docx")
    assert leaks(out, [*SECRETS, "maine"]) == []
    assert "inserted by jean martin" in " ".join(read_bundle(out).values())
