"""Redaction and export in the app: a box drawn with the mouse, case-wide rules, every mark
drawn black on the page; the export wizard's preview, run, self-check and fingerprint; the
bundle's PDF has no text under the box; cancelling writes nothing; File > Verify a bundle."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pymupdf
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from tests.ui.conftest import NEEDLE, import_now, sample_pdf
from tests.ui.interactions import answer, drag, open_and_wait, word_box
from ui.export.export_pages import PREVIEW_ZOOM
from ui.export.export_wizard import ExportWizard
from ui.export.redaction_rule_dialog import RuleDialog
from ui.export.redactions_tab import RedactionsTab
from ui.export.verify_dialog import VerifyDialog

TERM = "chantier"


def _draw_box_over_needle(qtbot, win, doc_id: str) -> tuple[float, float, float, float]:
    """Switch the redact tool on from the redactions tab and drag a box around NEEDLE."""
    view = open_and_wait(qtbot, win, doc_id, 2)
    tab = win.contents.tab(RedactionsTab)
    win.contents.setCurrentWidget(tab)
    tab.draw_action.trigger()
    assert win.workflows.redact_tool.active and win.workflows.redact_tool.action.isChecked()
    x0, y0, x1, y1 = word_box(view, 2, NEEDLE)
    # 2 points each side: inside the spaces around the word at any zoom (3 reached into
    # the neighbouring "t" once pixels were rounded at a narrower viewer).
    drag(qtbot, view, 2, (x0 - 2, y0 - 2), (x1 + 2, y1 + 2))
    qtbot.waitUntil(lambda: bool(win.state.ws.redactions.of_case(win.state.case_id)), timeout=5000)
    return x0, y0, x1, y1


def test_draw_a_box_and_add_rules_every_mark_shows_black(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    doc_id = import_now(win, sample_pdf(tmp_path / "in"), kind="source")
    word = _draw_box_over_needle(qtbot, win, doc_id)
    ws, case_id = win.state.ws, win.state.case_id
    (mark,) = ws.redactions.of_case(case_id)
    assert (mark.kind, mark.document_id, mark.page_index) == ("rect", doc_id, 2)
    (box,) = mark.rects
    assert box[0] < word[0] and box[1] < word[1] and box[2] > word[2] and box[3] > word[3]
    assert box[2] - box[0] < (word[2] - word[0]) + 12  # the box drawn, not the page
    view = win.viewer.pdf
    qtbot.waitUntil(lambda: bool(view.overlays.get("redaction", {}).get(2)), timeout=5000)
    assert view.overlays["redaction"][2] == [tuple(box)]
    tab = win.contents.tab(RedactionsTab)
    first = tab.tree.topLevelItem(0)
    assert (first.text(0), first.text(2)) == ("box", "page 3, 1 box(es)")
    # Esc leaves the tool; the tab's button follows.
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not win.workflows.redact_tool.active and not tab.draw_action.isChecked()

    def add_term(dialog: RuleDialog) -> None:
        dialog.term.setText(TERM)
        dialog.save()

    answer(tab, add_term)
    tab.term_action.trigger()
    # "chantier" is on pages 2 and 3: its boxes join the drawn one.
    qtbot.waitUntil(lambda: sorted(view.overlays.get("redaction", {})) == [1, 2], timeout=5000)
    assert len(view.overlays["redaction"][2]) == 2
    term_item = next(
        tab.tree.topLevelItem(r) for r in range(2) if tab.tree.topLevelItem(r).text(0) == "term"
    )
    assert term_item.text(1) == "the whole case" and term_item.text(2) == f"« {TERM} »"
    tab.tree.setCurrentItem(term_item)
    tab.remove_action.trigger()
    qtbot.waitUntil(lambda: sorted(view.overlays.get("redaction", {})) == [2], timeout=5000)
    assert [m.kind for m in ws.redactions.of_case(case_id)] == ["rect"]


def _run_wizard(qtbot, win, out: Path, *, seal: str | None = None, check_preview=None):
    def drive(wizard: ExportWizard) -> None:
        qtbot.addWidget(wizard)
        wizard.restart()
        assert wizard.choose_page.doc_ids()
        wizard.next()
        options = wizard.options_page
        options.out.setText(str(out))
        if seal is not None:
            options.seal.setChecked(True)
            options.passphrase.setText(seal)
            options.confirm.setText(seal)
        wizard.next()
        assert wizard.currentPage() is wizard.preview_page
        if check_preview is not None:
            check_preview(wizard.preview_page)
        wizard.next()
        assert wizard.currentPage() is wizard.run_page
        run = wizard.run_page
        qtbot.waitUntil(lambda: not run.running(), timeout=60000)
        drive.result = run.result, run.failure, run.report.toPlainText(), run.status.text()
        wizard.done(QDialog.DialogCode.Accepted)

    answer(win.workflows, drive)
    win.workflows.export_action.trigger()
    return drive.result


def test_export_a_drawn_box_leaves_no_text_under_it(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    doc_id = import_now(win, sample_pdf(tmp_path / "in"), kind="source")
    # A quote of the line the box will cross: the preview must say what becomes of it.
    text = win.state.ws.documents.page(doc_id, 2).text
    at = text.index(NEEDLE)
    end = text.find("\n", at)
    line = text[text.rfind("\n", 0, at) + 1 : end if end >= 0 else len(text)]
    win.state.ws.quotes.add(win.state.case_id, line, source=doc_id)
    x0, y0, x1, y1 = _draw_box_over_needle(qtbot, win, doc_id)
    win.workflows.set_redact_tool(False)
    (mark,) = win.state.ws.redactions.of_case(win.state.case_id)
    box = mark.rects[0]

    def check_preview(page) -> None:
        qtbot.waitUntil(lambda: page.pages.count() > 0, timeout=15000)
        assert page.pages.item(0).text() == "memo, page 3 (1 area blacked out)"
        said = page.quotes.toPlainText()
        assert not page.quotes.isHidden() and "1 quote(s) will not leave as written" in said
        assert "[…redacted…]" in said and "under a redaction box" in said and NEEDLE not in said
        qtbot.waitUntil(lambda: page.image is not None, timeout=15000)
        image = page.image
        cx, cy = (box[0] + box[2]) / 2 * PREVIEW_ZOOM, (box[1] + box[3]) / 2 * PREVIEW_ZOOM
        dark = [
            image.pixelColor(int(cx + dx), int(cy + dy)).lightness()
            for dx in range(-20, 21, 5)
            for dy in (-2, 0, 2)
        ]
        assert max(dark) < 30  # black, not text on white
        assert image.pixelColor(5, 5).lightness() > 240  # the rest of the page is paper

    out = tmp_path / "bundle.zip"
    result, failure, report, _status = _run_wizard(qtbot, win, out, check_preview=check_preview)
    assert failure is None, failure
    assert result is not None and result.selfcheck.ok and out.is_file()
    fingerprint = win.state.ws.exports.fingerprint()
    assert result.fingerprint == fingerprint and fingerprint in report
    assert "Self-check passed" in report

    with zipfile.ZipFile(out) as bundle:
        (pdf_name,) = [n for n in bundle.namelist() if n.endswith(".pdf")]
        data = bundle.read(pdf_name)
        quotes = bundle.read("quotes.csv").decode("utf-8")
    assert NEEDLE not in quotes and "[…redacted…]" in quotes
    with pymupdf.open(stream=data, filetype="pdf") as exported:
        page = exported[2]
        under = page.get_text("words", clip=pymupdf.Rect(x0, y0, x1, y1))
        assert under == []
        assert NEEDLE not in "".join(p.get_text() for p in exported)
        assert "rapport" in page.get_text()  # the rest of the line is still there

    dialog = VerifyDialog(win, out)
    qtbot.addWidget(dialog)
    assert not dialog.passphrase.isEnabled()
    dialog.fingerprint.setText(fingerprint)
    dialog.run_verify()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=15000)
    assert dialog.report.ok and dialog.report.pinned is True
    assert "Intact and signed." in dialog.report_view.toPlainText()


def test_cancel_writes_nothing_and_a_sealed_bundle_verifies(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    import_now(win, sample_pdf(tmp_path / "in"), kind="source")
    win.state.ws.redactions.add_term(TERM, case=win.state.case_id)
    out = tmp_path / "cancelled.zip"

    def cancel_on_progress(wizard: ExportWizard) -> None:
        qtbot.addWidget(wizard)
        wizard.restart()
        wizard.next()
        wizard.options_page.out.setText(str(out))
        wizard.next()
        run = wizard.run_page
        # The export's first report blocks its thread until the cancel is pressed, so the
        # cancel is always seen before anything is written.
        original = run.initializePage

        def start_then_hold() -> None:
            original()
            run.job.progressed.connect(
                lambda *_: run.stop(), Qt.ConnectionType.BlockingQueuedConnection
            )

        run.initializePage = start_then_hold
        wizard.next()
        qtbot.waitUntil(lambda: not run.running(), timeout=60000)
        cancel_on_progress.status = run.status.text()
        assert run.result is None and not run.isComplete()
        wizard.reject()

    answer(win.workflows, cancel_on_progress)
    win.workflows.export_action.trigger()
    assert cancel_on_progress.status == "Export cancelled: nothing was written."
    assert not out.exists()

    sealed = tmp_path / "sealed.zip"
    result, failure, _report, _status = _run_wizard(qtbot, win, sealed, seal="une phrase de passe")
    assert failure is None and result is not None and result.sealed
    dialog = VerifyDialog(win, sealed)
    qtbot.addWidget(dialog)
    assert dialog.passphrase.isEnabled()
    dialog.passphrase.setText("pas la bonne")
    dialog.run_verify()
    qtbot.waitUntil(lambda: dialog.verify_button.isEnabled(), timeout=15000)
    assert dialog.report is None and "passphrase" in dialog.report_view.toPlainText().lower()
    dialog.passphrase.setText("une phrase de passe")
    dialog.run_verify()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=15000)
    assert dialog.report.ok and dialog.report.sealed


def test_marks_show_black_on_a_text_document(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    note = tmp_path / "note.txt"
    note.write_text(f"Compte rendu.\nLe {TERM} a pris du retard.\n", "utf-8")
    doc_id = import_now(win, note, kind="note")
    win.state.ws.redactions.add_term(TERM, case=win.state.case_id)
    win.state.open_document(doc_id)
    qtbot.waitUntil(lambda: win.viewer.doc_id == doc_id, timeout=10000)
    text = win.viewer.text

    def blacked() -> list[str]:
        return [
            s.cursor.selectedText()
            for s in text.extraSelections()
            if s.format.background().color().lightness() < 10
        ]

    qtbot.waitUntil(lambda: blacked() == [TERM], timeout=5000)


def test_the_preview_counts_only_the_documents_that_carry_marks(qtbot, unlocked, tmp_path) -> None:
    """Three documents chosen, marks on one: "in 1 document(s)", not in the three chosen."""
    win = unlocked
    marked = import_now(win, sample_pdf(tmp_path / "a"), kind="source")
    import_now(win, sample_pdf(tmp_path / "b", "plain.pdf"), kind="source")
    import_now(win, sample_pdf(tmp_path / "c", "other.pdf"), kind="source")
    win.state.ws.redactions.add_rect(marked, 2, [(50, 50, 120, 80)])
    win.state.ws.redactions.add_rect(marked, 0, [(50, 50, 120, 80)])

    def drive(wizard: ExportWizard) -> None:
        qtbot.addWidget(wizard)
        wizard.restart()
        assert len(wizard.choose_page.doc_ids()) == 3
        wizard.next()
        wizard.options_page.out.setText(str(tmp_path / "bundle.zip"))
        wizard.next()
        page = wizard.preview_page
        qtbot.waitUntil(lambda: page.pages.count() > 0, timeout=15000)
        drive.status = page.status.text()
        wizard.done(QDialog.DialogCode.Rejected)

    answer(win.workflows, drive)
    win.workflows.export_action.trigger()
    assert drive.status.startswith("2 page(s) with marks in 1 document(s).")
