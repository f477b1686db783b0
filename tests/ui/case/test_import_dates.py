"""The import dialog checks typed dates before anything is imported: "31/12/2023" keeps the
dialog open with one clear sentence, and nothing is refused afterwards for it."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from tests.ui.conftest import sample_pdf
from ui.case.import_dialog import ImportDialog


def test_a_date_in_the_wrong_form_keeps_the_dialog_open(qtbot, tmp_path) -> None:
    paths = [sample_pdf(tmp_path / "a", "a.pdf"), sample_pdf(tmp_path / "b", "b.pdf")]
    dialog = ImportDialog(paths)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_row(0, date="2023-12-31")
    dialog.set_row(1, date="31/12/2023")
    dialog.accept()
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.isVisible()
    assert dialog.error.text() == (
        "b.pdf: “31/12/2023” is not a date; write it as YYYY-MM-DD (e.g. 2023-12-31) "
        "or leave it empty."
    )
    current = dialog.table.currentIndex()
    assert (current.row(), current.column()) == (1, ImportDialog.DATE)

    dialog.set_row(1, date="")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert [r.date for r in dialog.requests()] == ["2023-12-31", None]
