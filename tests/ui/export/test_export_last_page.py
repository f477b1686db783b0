"""The export wizard's last page in plain words ("1 drawn box(es)", not "rect 1"), and once
the bundle is written only Finish is offered: no Cancel, no Back."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWizard

from tests.ui.conftest import import_now, sample_pdf
from tests.ui.interactions import answer
from ui.export.export_wizard import ExportWizard


def test_the_last_page_speaks_plainly_and_offers_only_finish(qtbot, unlocked, tmp_path) -> None:
    win = unlocked
    doc_id = import_now(win, sample_pdf(tmp_path / "in"), kind="source")
    win.state.ws.redactions.add_rect(doc_id, 0, [(56.0, 50.0, 260.0, 70.0)])
    win.state.ws.redactions.add_term("chantier", case=win.state.case_id)
    seen: dict[str, object] = {}

    def drive(wizard: ExportWizard) -> None:
        qtbot.addWidget(wizard)
        wizard.restart()
        wizard.next()
        wizard.options_page.out.setText(str(tmp_path / "bundle.zip"))
        wizard.next()
        wizard.next()
        run = wizard.run_page
        assert not wizard.button(QWizard.WizardButton.CancelButton).isHidden()
        qtbot.waitUntil(lambda: not run.running(), timeout=60000)
        seen["report"] = run.report.toPlainText()
        seen["cancel"] = wizard.button(QWizard.WizardButton.CancelButton).isHidden()
        seen["back"] = wizard.button(QWizard.WizardButton.BackButton).isHidden()
        seen["finish"] = wizard.button(QWizard.WizardButton.FinishButton).isHidden()
        wizard.done(QDialog.DialogCode.Accepted)

    answer(win.workflows, drive)
    win.workflows.export_action.trigger()
    report = str(seen["report"])
    assert "1 drawn box(es)" in report and "term(s)" in report
    assert "rect " not in report and "term 1" not in report
    # isHidden: the wizard is driven without being shown, so "visible" means "not hidden".
    assert (seen["cancel"], seen["back"], seen["finish"]) == (True, True, False)
