"""Help › User guide shows the README's tour offline (the bundled copy kept in step with the
README) and Help › Keyboard shortcuts lists the window's own shortcuts."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from tests.conftest import REPO
from ui.help_dialogs import GuideDialog, ShortcutsDialog, guide_from_readme, guide_text


def test_the_bundled_guide_is_the_readme_tour() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    # A README edited without `resources/guide/guide.md` regenerated fails here.
    assert guide_text("en") == guide_from_readme(readme)
    assert "### Quote from a selection" in guide_text("en") and "![" not in guide_text("en")


def test_guide_and_shortcuts_from_the_help_menu(qtbot, window, monkeypatch) -> None:
    shown: list[QDialog] = []
    monkeypatch.setattr(GuideDialog, "exec", lambda self: shown.append(self) or 0)
    monkeypatch.setattr(ShortcutsDialog, "exec", lambda self: shown.append(self) or 0)
    window.actions_by_name["guide"].trigger()
    window.actions_by_name["shortcuts"].trigger()
    guide, shortcuts = shown
    assert isinstance(guide, GuideDialog) and isinstance(shortcuts, ShortcutsDialog)
    assert "A tour of the sample case" in guide.browser.toPlainText()
    assert not guide.browser.openLinks() and not guide.browser.openExternalLinks()
    rows = {
        shortcuts.table.item(r, 0).text(): shortcuts.table.item(r, 1).text()
        for r in range(shortcuts.table.rowCount())
    }
    assert rows["Lock"] == "Ctrl+L" and rows["Find"].startswith("Ctrl+F")
    assert rows["Next page"] == "Alt+PgDown" and rows["User guide"] == "F1"
