"""A hidden view's reloads wait until it is shown, once; a visible one reloads at once."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from ui.widgets.when_shown import WhenShown


def test_a_tab_behind_another_reloads_once_when_shown(qtbot: QtBot) -> None:
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    front, behind = QWidget(), QWidget()
    tabs.addTab(front, "front")
    tabs.addTab(behind, "behind")
    tabs.show()
    qtbot.waitExposed(tabs)
    reloads: list[str] = []
    front_reload = WhenShown(front, lambda: reloads.append("front"))
    behind_reload = WhenShown(behind, lambda: reloads.append("behind"))
    for _notice in range(5):  # an import's notices, once a second
        front_reload.request()
        behind_reload.request()
    assert reloads == ["front"] * 5
    assert behind_reload.stale
    tabs.setCurrentWidget(behind)
    assert reloads == ["front"] * 5 + ["behind"]
    tabs.setCurrentWidget(front)
    tabs.setCurrentWidget(behind)  # nothing changed meanwhile: no second reload
    assert reloads == ["front"] * 5 + ["behind"]
