"""The sample vault's hint on the unlock screen tells the truth: "filled in" only while the
passphrase field holds it; after a lock (the field emptied) it says the passphrase instead."""

from __future__ import annotations

from tests.conftest import PASSPHRASE


def test_the_filled_in_hint_goes_once_the_field_is_empty(qtbot, window, vault, monkeypatch) -> None:
    monkeypatch.setenv("DOSSIER_SAMPLE_HINT", "1")
    monkeypatch.setenv("DOSSIER_SAMPLE_PASSPHRASE", PASSPHRASE)
    panel = window.unlock_panel
    window.start(vault)
    assert panel.passphrase.text() == PASSPHRASE
    assert panel.hint.isVisibleTo(panel) and "filled in" in panel.hint.text()

    panel.unlock()
    qtbot.waitUntil(lambda: window.state.is_unlocked, timeout=10000)
    window.lock()
    assert panel.passphrase.text() == ""
    assert "filled in" not in panel.hint.text()
    assert panel.hint.text() == f"This is the sample vault: its passphrase is {PASSPHRASE}."

    panel.passphrase.setText(PASSPHRASE)  # typed again: true again
    assert "filled in" in panel.hint.text()
