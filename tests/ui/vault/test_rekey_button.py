"""Preferences › Re-encrypt the vault…: a confirmation with the passphrase, the work in the
background with its progress, a real vault re-encrypted; and the warnings a vault gives when it
opens are shown by the app, not only by the command line."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from PySide6.QtCore import Qt

from dossier.services import Workspace, keyrotation, rekey
from dossier.services.dto import Journal
from tests.conftest import PASSPHRASE
from tests.ui.conftest import NEEDLE, import_now, sample_pdf, unlock
from ui.preferences_dialog import PreferencesDialog

HELD_S = 300.0
"""Far longer than a click takes on any machine; the gate is opened on every way out."""


def test_the_button_re_encrypts_the_open_vault(qtbot, window, vault: Path, tmp_path: Path) -> None:
    unlock(qtbot, window, vault)
    doc_id = import_now(window, sample_pdf(tmp_path / "in"))
    ws = window.state.ws
    case_id = window.state.case_id
    blobs = set(ws.blobs.iter_ids(case_id))
    prefs = PreferencesDialog(window.settings, window, ws)
    qtbot.addWidget(prefs)
    assert prefs.rekey_button.isEnabled()
    qtbot.mouseClick(prefs.rekey_button, Qt.MouseButton.LeftButton)
    dialog = prefs.rekey_dialog
    assert dialog is not None and dialog.isVisible()

    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert "Type the vault's passphrase" in dialog.message.text()
    dialog.passphrase.setText("not the passphrase")
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running and "Wrong" in dialog.message.text(), timeout=10000)
    assert set(ws.blobs.iter_ids(case_id)) == blobs

    dialog.passphrase.setText(PASSPHRASE)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.passphrase.text() == ""  # the passphrase leaves the field at once
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=30000)
    assert dialog.message.text().startswith("Done: 1 case re-encrypted")
    assert dialog.progress.value() == 1000
    assert dialog.close_button.text() == "Close"
    assert not set(ws.blobs.iter_ids(case_id)) & blobs
    assert [hit.doc_id for hit in ws.search.query(NEEDLE)] == [doc_id]
    assert ws.fsck.run().ok
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_without_an_open_vault_the_button_is_disabled(qtbot, window) -> None:
    prefs = PreferencesDialog(window.settings, window)
    qtbot.addWidget(prefs)
    assert not prefs.rekey_button.isEnabled()


def test_an_interrupted_rekey_is_shown_when_the_vault_opens(qtbot, window, vault: Path) -> None:
    with Workspace.open(vault, PASSPHRASE) as ws:
        journal = Journal(todo=[c.id for c in ws.cases.all()])
        keyrotation.rotate_master(
            ws, PASSPHRASE, action="vault.rekey.start", also=lambda s: rekey._save(s, journal)
        )
    unlock(qtbot, window, vault)
    qtbot.waitUntil(lambda: getattr(window, "vault_warning", None) is not None, timeout=5000)
    assert window.vault_warning.isVisible()
    assert "re-encryption of the vault was interrupted" in window.vault_warning.text()
    prefs = PreferencesDialog(window.settings, window, window.state.ws)
    qtbot.addWidget(prefs)
    qtbot.mouseClick(prefs.rekey_button, Qt.MouseButton.LeftButton)
    assert prefs.rekey_dialog is not None
    assert prefs.rekey_dialog.start_button.text() == "Finish re-encrypting"
    window.vault_warning.close()


def test_stop_leaves_a_vault_that_opens_whole_and_can_be_finished(
    qtbot, window, vault: Path, tmp_path: Path
) -> None:
    unlock(qtbot, window, vault)
    for n in range(6):
        import_now(window, sample_pdf(tmp_path / "in", f"memo{n}.pdf"))
    ws = window.state.ws
    prefs = PreferencesDialog(window.settings, window, ws)
    qtbot.addWidget(prefs)
    prefs.open_rekey()
    dialog = prefs.rekey_dialog
    assert dialog is not None
    gate, entered = threading.Event(), threading.Event()
    original = ws.blobs.rekey

    def slow(*args: object) -> object:
        entered.set()
        # Holds the first original until Stop was pressed, however long that takes: a gate
        # that opened by itself after 5 s let a slow machine re-encrypt every original first.
        gate.wait(HELD_S)
        return original(*args)  # type: ignore[arg-type]

    ws.blobs.rekey = slow  # type: ignore[method-assign]
    try:
        dialog.passphrase.setText(PASSPHRASE)
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
        assert dialog.close_button.text() == "Stop"
        qtbot.waitUntil(entered.is_set, timeout=30000)  # the master key is replaced by now
        dialog.reject()  # Escape while it runs does not close the dialog
        assert dialog.isVisible()
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    finally:
        gate.set()  # a failure above leaves no job waiting behind the window
    qtbot.waitUntil(lambda: not dialog.running, timeout=30000)
    assert dialog.message.text().startswith("Stopped. Nothing is lost")
    assert ws.rekey.unfinished() is not None
    assert ws.fsck.run().ok
    del ws.blobs.rekey
    dialog.passphrase.setEnabled(True)
    prefs.open_rekey()
    again = prefs.rekey_dialog
    assert again is not None and again.start_button.text() == "Finish re-encrypting"
    again.passphrase.setText(PASSPHRASE)
    qtbot.mouseClick(again.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: again.outcome is not None, timeout=30000)
    assert again.outcome is not None and again.outcome.resumed
    assert ws.rekey.unfinished() is None


def test_it_waits_for_running_imports(qtbot, window, vault: Path) -> None:
    unlock(qtbot, window, vault)
    prefs = PreferencesDialog(window.settings, window, window.state.ws, busy=lambda: True)
    qtbot.addWidget(prefs)
    prefs.open_rekey()
    dialog = prefs.rekey_dialog
    assert dialog is not None
    dialog.passphrase.setText(PASSPHRASE)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.job is None
    assert "Wait until the imports in progress end" in dialog.message.text()
    assert window.state.ws.rekey.unfinished() is None


def test_a_vault_put_back_to_an_older_copy_is_named_by_the_app(
    qtbot, window, vault: Path, tmp_path: Path
) -> None:
    older = tmp_path / "older"
    shutil.copytree(vault, older)
    with Workspace.open(vault, PASSPHRASE) as ws:
        ws.cases.create("Written since the copy")
    shutil.rmtree(vault)
    shutil.copytree(older, vault)
    unlock(qtbot, window, vault)
    qtbot.waitUntil(lambda: getattr(window, "vault_warning", None) is not None, timeout=5000)
    assert "older than the copy this computer last opened" in window.vault_warning.text()
    window.vault_warning.close()
