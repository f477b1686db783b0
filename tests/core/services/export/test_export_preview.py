"""Previews of an export: where a document's marks fall, and a page drawn truly redacted."""

from __future__ import annotations

from pathlib import Path

from dossier.pdf.render import render_page
from dossier.services.export.bundle_verify import is_sealed_bundle, verify
from dossier.services.export.dto import ExportRequest
from dossier.services.workspace import Workspace
from tests.pdfgen import FRENCH_PARAGRAPHS, text_page, write_pdf

SOURCE = "Aurélien Vasseur"


def _pixel(page, x: float, y: float) -> tuple[int, int, int]:
    """RGB of the pixel at PDF point (x, y) of a rendered page."""
    col, row = int(x * page.zoom), int(y * page.zoom)
    at = row * page.stride + col * 3
    return page.samples[at], page.samples[at + 1], page.samples[at + 2]


def _case(workspace: Workspace, tmp_path: Path) -> tuple[str, str]:
    pdf = write_pdf(
        tmp_path / "note.pdf",
        [
            text_page(FRENCH_PARAGRAPHS[0]),
            text_page(f"Selon {SOURCE}, le chantier a pris du retard.", FRENCH_PARAGRAPHS[2]),
        ],
    )
    case = workspace.cases.create("Affaire")
    doc = workspace.documents.import_file(case.id, pdf, kind="source", ocr=False)
    return case.id, doc.id


def test_preview_lists_every_mark_and_protected_names(workspace: Workspace, tmp_path) -> None:
    case_id, doc_id = _case(workspace, tmp_path)
    assert workspace.previews.marks(doc_id).pages == []
    workspace.people.add(case_id, SOURCE, protection="protected")
    workspace.redactions.add_rect(doc_id, 0, [(60.0, 50.0, 200.0, 70.0)])
    workspace.redactions.add_term("chantier", case=case_id)
    preview = workspace.previews.marks(doc_id)
    assert preview.pages == [0, 1]
    assert preview.boxes[0] == [(60.0, 50.0, 200.0, 70.0)]
    page = workspace.documents.page(doc_id, 1)
    hidden = sorted(page.text[a:b] for a, b in preview.spans[1])
    assert hidden == [SOURCE, "chantier", "chantier"]
    assert preview.count(1) == 3


def test_a_previewed_page_is_black_under_its_boxes(workspace: Workspace, tmp_path) -> None:
    case_id, doc_id = _case(workspace, tmp_path)
    workspace.redactions.add_term("chantier", case=case_id)
    preview = workspace.previews.marks(doc_id)
    x0, y0, x1, y1 = preview.boxes[1][0]
    before = render_page(workspace.documents.original(doc_id), 1, 2.0)
    after = workspace.previews.redacted_page(doc_id, 1, 2.0, preview)
    middle = ((x0 + x1) / 2, (y0 + y1) / 2)
    assert max(_pixel(after, *middle)) < 20
    assert _pixel(before, x0 + 0.5, y0 + 0.5) != (0, 0, 0)  # black only once redacted
    assert min(_pixel(after, 5, 5)) > 240  # the rest of the page is untouched paper
    # The stored original is never changed by a preview.
    again = render_page(workspace.documents.original(doc_id), 1, 2.0)
    assert again.samples == before.samples


def test_verify_through_the_service_door(workspace: Workspace, tmp_path) -> None:
    case_id, _doc_id = _case(workspace, tmp_path)
    out = tmp_path / "bundle.zip"
    result = workspace.exports.export(ExportRequest(case=case_id, out=out))
    assert not is_sealed_bundle(out)
    report = verify(out, pubkey=result.fingerprint)
    assert report.ok and report.pinned is True
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0xFF
    out.write_bytes(bytes(data))
    assert not verify(out).ok
