"""Help > Create the sample vault: built off the GUI thread, then opened with its passphrase."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.sample import build as sample_build
from ui import sample_action
from ui.main_window import MainWindow


def test_create_sample_from_the_help_menu_then_unlock(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_build = sample_build.build_sample
    monkeypatch.setattr(
        sample_action,
        "build_sample",
        lambda folder, **kw: real_build(folder, TEST_ONLY_FAST, ocr=False, **kw),
    )
    monkeypatch.setattr(sample_action, "choose_folder", lambda *a, **k: tmp_path)
    answers: list[str] = []

    def answer(box: QMessageBox) -> int:
        answers.append(box.informativeText())
        return QMessageBox.StandardButton.Open

    monkeypatch.setattr(QMessageBox, "exec", answer)
    assert "sample" in window.actions_by_name
    window.actions_by_name["sample"].trigger()
    target = tmp_path / sample_action.SAMPLE_FOLDER_NAME
    qtbot.waitUntil(lambda: bool(answers), timeout=60_000)
    assert (target / "vault.json").exists()
    assert sample_build.SAMPLE_PASSPHRASE in answers[0]
    assert window.unlock_panel.vault_path() == target
    assert window.unlock_panel.passphrase.text() == sample_build.SAMPLE_PASSPHRASE
    window.unlock_panel.unlock()
    qtbot.waitUntil(lambda: window.state.is_unlocked, timeout=30_000)
    names = [case.name for case in window.state.ws.cases.all()]
    assert names == [sample_build.SAMPLE_CASE]
