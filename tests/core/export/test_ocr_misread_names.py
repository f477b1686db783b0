"""A protected name the OCR misread ("Quartermame") still shows in the scan: it is boxed.

On a page read by OCR, the word is what the OCR guessed, the pixels are the name. The gate
boxes a word a few edits away from a name part of seven letters or more (`redact.glued`), so
the scan's pixels under it are painted over and the quote taken from it loses it; the
self-check looks for misreadings in the text of the pages read by OCR with its own matcher.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from dossier.db.models import Page
from dossier.redact.bundlecheck import Watchlist
from dossier.redact.glued import GluedFinder
from dossier.services.export.dto import ExportRequest
from dossier.services.workspace import Workspace
from dossier.text.fold import fold
from tests.core.export.checked import findings_in
from tests.pdfgen import text_page, write_pdf
from tests.recipient import read_bundle

PROTECTED = "Wilhelmina Quartermaine"
MISREAD = ("Quartermame", "Ouartermaine", "Wilhelmlna", "Quartennaine")
PAGE = f"Lettre de {MISREAD[0]} au maire. Copie à {MISREAD[1]}, {MISREAD[2]} et {MISREAD[3]}."


def _as_read_by_ocr(ws: Workspace, doc_id: str) -> None:
    """Mark the document's pages as read by OCR (Tesseract is not needed to test the rule)."""
    with ws.vault.session() as session:
        for page in session.scalars(select(Page).where(Page.document_id == doc_id)):
            page.ocr = True
        session.commit()


def test_names_misread_by_ocr_are_boxed_and_the_quote_loses_them(
    workspace: Workspace, tmp_path: Path
) -> None:
    case_id = workspace.cases.create("Affaire").id
    pdf = write_pdf(tmp_path / "scan.pdf", [text_page(PAGE)])
    doc = workspace.documents.import_file(case_id, pdf, title="Lettre")
    _as_read_by_ocr(workspace, doc.id)
    workspace.people.add(case_id, PROTECTED, protection="protected")
    workspace.quotes.add(case_id, f"Lettre de {MISREAD[0]} au maire", source=doc.id)
    out = tmp_path / "out.zip"
    result = workspace.exports.export(ExportRequest(case=case_id, out=out))
    assert result.selfcheck.ok, result.selfcheck.findings
    for name, text in read_bundle(out).items():
        for word in MISREAD:
            assert word.casefold() not in text, (name, word)
    assert "maire" in read_bundle(out)["quotes.csv"]


def test_the_viewer_covers_a_misread_name_on_a_scanned_page(
    workspace: Workspace, tmp_path: Path
) -> None:
    case_id = workspace.cases.create("Affaire").id
    pdf = write_pdf(tmp_path / "scan.pdf", [text_page(PAGE)])
    doc = workspace.documents.import_file(case_id, pdf, title="Lettre")
    workspace.people.add(case_id, PROTECTED, protection="protected")
    (typed,) = workspace.screen.pages(doc.id)
    assert MISREAD[0] in typed.page.text  # a typed page keeps its author's spelling
    _as_read_by_ocr(workspace, doc.id)
    (scanned,) = workspace.screen.pages(doc.id)
    for word in MISREAD:
        assert word not in scanned.page.text, word
    assert len(scanned.boxes) == len(MISREAD) and "maire" in scanned.page.text


def test_only_words_a_few_edits_away_from_a_long_part_are_taken() -> None:
    finder = GluedFinder.of([("Quartermaine", "A"), ("Wilhelmina", "A"), ("Curie", "B")])
    text = "Quartermame, Quartermaine, Quartier, Wilhelmlna, Cure, Curio, Quarterback"
    found = [text[s:e] for s, e, _ in finder.find_misread(text, fold(text))]
    # Never the name itself (whole-word matching has it), never a part under seven letters.
    assert found == ["Quartermame", "Wilhelmlna"]


def test_the_self_check_finds_a_misread_name_on_a_page_read_by_ocr_only() -> None:
    watch = Watchlist(people=[("a protected person's name", [PROTECTED])])
    bundle = {"documents/01-lettre.pdf": write_pdf_bytes(PAGE)}
    assert findings_in(bundle, watch) == []  # a typed page: spelling is the author's
    findings = findings_in(bundle, watch, ocr_pages={"documents/01-lettre.pdf": {0}})
    assert [f.what for f in findings] == ["a protected person's name"]
    assert "misread by OCR" in findings[0].where


def write_pdf_bytes(text: str) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        return write_pdf(Path(folder) / "page.pdf", [text_page(text)]).read_bytes()
