"""The export wizard's last page in plain words ("1 drawn box(es)", not "rect 1"), and once
the bundle is written only Finish is offered: no Cancel, no Back."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWizard

from tests.ui.conftest import import_now, sample_pdf
from tests.ui.interactions import answer
from ui.export.export_wizard import ChoosePage, ExportWizard
from ui.i18n import install_translations


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


def test_the_quotes_to_export_follow_french_typography(qtbot, qapp, unlocked) -> None:
    # The French wizard listed "Hadrien Clouet: « … »", without the space before the colon.
    ws = unlocked.state.ws
    ws.people.add(unlocked.state.case_id, "Hadrien Clouet")
    quote = ws.quotes.add(unlocked.state.case_id, "Nous voulons savoir.", speaker="Hadrien Clouet")
    install_translations(qapp, "fr")
    try:
        page = ChoosePage([], [quote])
        qtbot.addWidget(page)
        text = page.quotes.item(0).text()
    finally:
        install_translations(qapp, "en")
    nbsp = "\N{NO-BREAK SPACE}"
    assert text.startswith(f"Hadrien Clouet{nbsp}: «{nbsp}Nous voulons savoir.{nbsp}» [")
