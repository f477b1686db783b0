"""Unlock and create: right and wrong passphrase, vault in use, damaged vault, new vault."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from dossier.crypto.kdf import TEST_ONLY_FAST
from dossier.services import Workspace
from tests.conftest import PASSPHRASE
from tests.ui.conftest import CASE_NAME, unlock


def _attempt(qtbot, window, vault: Path, passphrase: str) -> None:
    panel = window.unlock_panel
    panel.set_vault(vault)
    panel.passphrase.setText(passphrase)
    qtbot.mouseClick(panel.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.busy, timeout=10000)


def test_right_passphrase_opens_the_workspace(qtbot, window, vault, settings) -> None:
    unlock(qtbot, window, vault)
    assert window.stack.currentWidget() is window.splitter
    assert [c.name for c in window.cases.cases] == [CASE_NAME]
    assert window.state.case_id  # the only case is selected
    assert window.unlock_panel.passphrase.text() == ""
    assert settings.recent_vaults() == [vault.resolve()]
    settings.sync()
    stored = Path(settings.store.fileName()).read_text(encoding="utf-8")
    assert CASE_NAME not in stored and "Affaire" not in stored


def test_wrong_passphrase_says_so_and_allows_a_retry(qtbot, window, vault) -> None:
    _attempt(qtbot, window, vault, "not the passphrase")
    panel = window.unlock_panel
    assert not window.state.is_unlocked
    assert window.stack.currentWidget() is panel
    assert panel.message.text().startswith("Wrong passphrase")
    assert panel.passphrase.text() == ""
    _attempt(qtbot, window, vault, PASSPHRASE)
    assert window.state.is_unlocked


def test_vault_in_use_is_explained(qtbot, window, vault) -> None:
    with Workspace.open(vault, PASSPHRASE):
        _attempt(qtbot, window, vault, PASSPHRASE)
        assert not window.state.is_unlocked
        assert "open in another Dossier window" in window.unlock_panel.message.text()
    _attempt(qtbot, window, vault, PASSPHRASE)
    assert window.state.is_unlocked


def test_damaged_vault_is_explained(qtbot, window, vault) -> None:
    header = vault / "vault.json"
    header.write_text(header.read_text(encoding="utf-8")[:-20], encoding="utf-8")
    _attempt(qtbot, window, vault, PASSPHRASE)
    assert not window.state.is_unlocked
    assert window.unlock_panel.message.text().startswith("This vault cannot be opened")


def test_missing_folder_is_explained(qtbot, window, tmp_path) -> None:
    _attempt(qtbot, window, tmp_path / "nowhere.dossier", PASSPHRASE)
    assert "no vault" in window.unlock_panel.message.text().lower()


def test_create_a_vault_with_confirmation_and_strength_hint(qtbot, window, tmp_path) -> None:
    panel = window.unlock_panel
    panel.show_mode("create")
    panel.location.setText(str(tmp_path))
    panel.vault_name.setText("New.dossier")
    panel.new_passphrase.setText("abc")
    weak = panel.rating.text()
    assert "Too easy" in weak
    panel.create_vault()
    assert "at least 8 characters" in panel.message.text()
    panel.new_passphrase.setText("lampe verger cobalt rivière fenouil")
    assert "Good" in panel.rating.text()
    assert panel.meter.value() >= 3
    panel.confirm.setText("lampe verger cobalt riviere fenouil")
    panel.create_vault()
    assert "differ" in panel.message.text()
    assert not (tmp_path / "New.dossier").exists()
    panel.confirm.setText("lampe verger cobalt rivière fenouil")
    qtbot.mouseClick(panel.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state.is_unlocked, timeout=10000)
    assert (tmp_path / "New.dossier" / "vault.json").is_file()
    assert window.state.ws.vault.header.kdf == TEST_ONLY_FAST
    assert panel.new_passphrase.text() == "" and panel.confirm.text() == ""


def test_recent_vaults_are_offered(qtbot, window, vault, settings) -> None:
    settings.add_recent_vault(vault)
    window.unlock_panel.reload_recent()
    assert window.unlock_panel.vault_box.itemText(0) == str(vault.resolve())


def test_the_key_derivation_runs_off_the_gui_thread(qtbot, window, vault, monkeypatch) -> None:
    import threading

    import ui.vault.unlock_panel

    threads: list[bool] = []
    real_open = Workspace.open

    def recording_open(folder: Path, passphrase: str) -> Workspace:
        threads.append(threading.current_thread() is threading.main_thread())
        return real_open(folder, passphrase)

    monkeypatch.setattr(ui.vault.unlock_panel.Workspace, "open", recording_open)
    unlock(qtbot, window, vault)
    assert threads == [False]


def test_vault_argument_fills_the_unlock_screen(qtbot, window, vault) -> None:
    window.start(vault)
    assert window.unlock_panel.vault_path() == vault
    assert not window.state.is_unlocked  # no passphrase given: the user types it
    assert window.unlock_panel.passphrase.text() == ""


def test_window_geometry_is_restored(qtbot, settings) -> None:
    from ui.main_window import MainWindow

    first = MainWindow(settings, kdf=TEST_ONLY_FAST)
    qtbot.addWidget(first)
    # The offscreen screen is 800x600 and the case view's panes may ask for more width than
    # that (tab names kept whole): the width is then restored clamped to the screen.
    first.resize(720, 520)
    first.splitter.setSizes([200, 500, 200])
    first.show()
    qtbot.waitExposed(first)
    size = (first.width(), first.height())
    assert size != (1280, 820)  # not the default size, so the check below means something
    first.close()
    second = MainWindow(settings, kdf=TEST_ONLY_FAST)
    qtbot.addWidget(second)
    available = second.screen().availableGeometry()
    assert second.height() == size[1]
    if size[0] <= available.width():
        assert second.width() == size[0]
    else:
        assert size[0] - 200 < second.width() <= available.width()
    assert settings.layout("splitter") is not None
