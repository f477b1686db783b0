"""A name boxed on an exported page leaves in no text of the bundle: a letter's subject and
questions, a timeline entry, a title, a person's organisation.

The gate and the self-check take as secret each word under a box that the case shows nowhere
uncovered. Two ways a name escaped both while the box hid it on the page:

- the page hyphenates the name at a line end ("Quarter-" / "maine"): the box covers two words
  that are no secret alone, and the name written whole elsewhere was never looked for;
- the name stands uncovered in a document of the case that stays in the vault: the recipient
  never sees it there, yet it made the word no secret, so every text of the bundle showed it.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from sqlalchemy import select

from dossier.db.models import Page
from dossier.redact import disclosure
from dossier.services.export.dto import ExportRequest
from dossier.services.export.service import SelfCheckFailed
from dossier.services.workspace import Workspace
from tests.recipient import leaks

NAME = "Quartermaîne"
WRITTEN = ["Quartermaîne", "QUARTERMAINE", "quartermaine"]


def _memo(path: Path, lines: list[str]) -> Path:
    doc = pymupdf.open()
    page = doc.new_page()
    for number, line in enumerate(lines):
        page.insert_text((72, 100 + 16 * number), line, fontsize=12)
    page.insert_text((72, 200), "Un paragraphe ordinaire sur la météo du port.", fontsize=12)
    doc.save(path)
    doc.close()
    return path


def _box_words(ws: Workspace, doc_id: str, wanted: tuple[str, ...]) -> None:
    page = ws.documents.pages(doc_id)[0]
    rects = [
        (w.x0 - 1, w.y0 - 1, w.x1 + 1, w.y1 + 1)
        for w in page.words
        if page.text[w.start : w.end].strip("-\u2010\u00ad").casefold()
        in {part.casefold() for part in wanted}
    ]
    assert len(rects) == len(wanted), page.text
    ws.redactions.add_rect(doc_id, 0, rects)


def _texts_naming(ws: Workspace, case: str) -> None:
    """The name written whole, in its spellings, in every text an export carries."""
    ws.people.add(case, "Claire Dumas", role="journalist")
    ws.people.add(case, "Marc Roux", role="official", organisation=f"Cabinet {WRITTEN[1]}")
    ws.letters.add(
        case,
        sender="Claire Dumas",
        recipients=["Marc Roux"],
        subject=f"Questions à M. {WRITTEN[0]}",
        questions=[f"Que savez-vous de {WRITTEN[2]} ?"],
        sent_on="2024-01-03",
    )
    ws.timeline.add_entry(case, when="2024-01-02", title=f"Rendez-vous avec {WRITTEN[1]}")


@pytest.mark.parametrize("pieces", [("Quarter", "maîne"), ("QUARTER", "MAINE")])
def test_a_name_boxed_where_the_page_hyphenates_it_leaves_in_no_text(
    workspace: Workspace, tmp_path: Path, pieces: tuple[str, str]
) -> None:
    first, second = pieces
    memo = _memo(
        tmp_path / "memo.pdf", [f"Le témoin Jean {first}-", f"{second} a parlé au juge hier."]
    )
    case = workspace.cases.create("Affaire du port").id
    doc = workspace.documents.import_file(case, memo, title=f"Note de {WRITTEN[0]}")
    _box_words(workspace, doc.id, pieces)
    _texts_naming(workspace, case)
    out = tmp_path / "bundle.zip"
    workspace.exports.export(ExportRequest(case=case, out=out))
    assert leaks(out, [NAME]) == []


def test_the_self_check_finds_a_hyphenated_boxed_name_the_gate_let_through(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memo = _memo(tmp_path / "memo.pdf", ["Le témoin Jean Quarter-", "maîne a parlé au juge."])
    case = workspace.cases.create("Affaire du port").id
    doc = workspace.documents.import_file(case, memo, title="Note du témoin")
    _box_words(workspace, doc.id, ("Quarter", "maîne"))
    _texts_naming(workspace, case)
    monkeypatch.setattr(disclosure.Disclosure, "text", lambda self, value, where: value)
    out = tmp_path / "bundle.zip"
    with pytest.raises(SelfCheckFailed) as caught:
        workspace.exports.export(ExportRequest(case=case, out=out))
    files = {f.file for f in caught.value.report.findings}
    assert {"letters.csv", "people.csv", "timeline.csv", "manifest.json"} <= files
    assert not out.exists()


@pytest.mark.parametrize("kept", ["pdf", "text"])
def test_a_name_boxed_and_shown_only_in_a_document_left_in_the_vault_leaves_in_no_text(
    workspace: Workspace, tmp_path: Path, kept: str
) -> None:
    memo = _memo(tmp_path / "memo.pdf", [f"Le témoin Jean {NAME} a parlé au juge hier."])
    case = workspace.cases.create("Affaire du port").id
    doc = workspace.documents.import_file(case, memo, title="Note du témoin")
    if kept == "pdf":
        notes = _memo(tmp_path / "notes.pdf", [f"Notes internes : rencontré {NAME} mardi."])
    else:
        notes = tmp_path / "notes.txt"
        notes.write_text(f"Notes internes : rencontré {NAME} mardi.\n", encoding="utf-8")
    kept_doc = workspace.documents.import_file(case, notes, kind="note", title="Notes internes")
    _box_words(workspace, doc.id, (NAME,))
    _texts_naming(workspace, case)
    workspace.quotes.add(case, f"rencontré {NAME} mardi", source=kept_doc.id)
    # The export's preview says so too, for the documents chosen.
    (previewed,) = workspace.previews.quotes(case, doc_ids=(doc.id,))
    assert previewed.text is not None and "Quartermaîne" not in previewed.text
    out = tmp_path / "bundle.zip"
    workspace.exports.export(ExportRequest(case=case, out=out, doc_ids=(doc.id,)))
    assert leaks(out, [NAME]) == []


def _as_read_by_ocr(ws: Workspace, doc_id: str) -> None:
    """Mark the document's pages as read by OCR (Tesseract is not needed to test the rule)."""
    with ws.vault.session() as session:
        for page in session.scalars(select(Page).where(Page.document_id == doc_id)):
            page.ocr = True
        session.commit()


@pytest.mark.parametrize("bypassed", [False, True], ids=["gate", "self-check"])
def test_a_name_boxed_where_the_ocr_misread_it_leaves_in_no_text(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bypassed: bool
) -> None:
    """The scan shows the name under the box, its text says what the OCR guessed
    ("Quartermame"): the name written right elsewhere is the boxed word all the same."""
    memo = _memo(tmp_path / "scan.pdf", ["Le témoin Jean Quartermame a parlé au juge hier."])
    case = workspace.cases.create("Affaire du port").id
    doc = workspace.documents.import_file(case, memo, title="Scan du témoignage")
    _as_read_by_ocr(workspace, doc.id)
    _box_words(workspace, doc.id, ("Quartermame",))
    _texts_naming(workspace, case)
    out = tmp_path / "bundle.zip"
    if not bypassed:
        workspace.exports.export(ExportRequest(case=case, out=out))
        assert leaks(out, [NAME]) == []
        assert {"letters.csv: Marc Roux", "letters.csv: Claire Dumas"} <= set(
            leaks(out, ["Marc Roux", "Claire Dumas"])
        )
        return
    monkeypatch.setattr(disclosure.Disclosure, "text", lambda self, value, where: value)
    with pytest.raises(SelfCheckFailed) as caught:
        workspace.exports.export(ExportRequest(case=case, out=out))
    files = {f.file for f in caught.value.report.findings}
    assert {"letters.csv", "people.csv", "timeline.csv", "manifest.json"} <= files
    assert not out.exists()


def test_a_name_boxed_in_a_pdf_and_shown_by_an_exported_text_leaves_the_box_alone(
    workspace: Workspace, tmp_path: Path
) -> None:
    """The text shows the name to its recipient in its own right: the export goes, the box
    still hides the name on the memo's page (it was refused, the self-check reading the text
    document as showing no word at all)."""
    memo = _memo(tmp_path / "memo.pdf", [f"Le témoin Jean {NAME} a parlé au juge hier."])
    notes = tmp_path / "notes.txt"
    notes.write_text(f"Notes : {NAME} est venu mardi.\n", encoding="utf-8")
    case = workspace.cases.create("Affaire du port").id
    doc = workspace.documents.import_file(case, memo, title="Note du témoin")
    workspace.documents.import_file(case, notes, title="Notes")
    _box_words(workspace, doc.id, (NAME,))
    out = tmp_path / "bundle.zip"
    result = workspace.exports.export(ExportRequest(case=case, out=out))
    assert result.selfcheck.ok
    found = leaks(out, [NAME])
    assert any(hit.startswith("documents/") and "notes" in hit for hit in found), found
    assert not any("temoin" in hit for hit in found), found
