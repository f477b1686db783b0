"""Help › User guide (offline, the README's tour bundled in resources/) and Help › Keyboard
shortcuts (read from the window's own actions, so the list cannot drift from the app).

The guide is shown as Markdown in a browser widget that never follows a link out of the app:
Dossier opens no network connection, not even for a link a user clicks. The guide follows the
language of the app: `guide.<lang>.md` when it exists (a translation kept beside the English one,
with the same headings and code spans), else the English `guide.md`.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dossier import i18n
from dossier.resources import resource_path
from ui.i18n import tr

GUIDE_FILE = ("guide", "guide.md")
GUIDE_FIRST = "## A tour of the sample case"
GUIDE_END = "## Command line"
"""The guide is the README from its tour of the sample case up to the command line."""


def guide_from_readme(readme: str) -> str:
    """The README's tour, without its pictures (they stay in the repository, not the app)."""
    start = readme.index(GUIDE_FIRST)
    end = readme.index(GUIDE_END, start)
    lines = [line for line in readme[start:end].splitlines() if not line.startswith("![")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def guide_text(language: str | None = None) -> str:
    """The guide in `language` (the app's current one by default), in English when that
    language has no guide of its own."""
    folder, name = GUIDE_FILE
    language = i18n.current_language() if language is None else language
    if language != i18n.SOURCE_LANGUAGE:
        translated = resource_path(folder, f"guide.{language}.md")
        if translated.is_file():
            return translated.read_text(encoding="utf-8")
    return resource_path(folder, name).read_text(encoding="utf-8")


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    return buttons


class GuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("User guide"))
        self.resize(760, 640)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)  # no link leaves the app, none reaches the network
        self.browser.setOpenExternalLinks(False)
        self.browser.setMarkdown(guide_text())
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(_buttons(self))


def shortcut_rows(window: QWidget) -> list[tuple[str, str]]:
    """(command, keys) for every action of the window that has a shortcut, by command name."""
    rows: dict[str, str] = {}
    for action in window.findChildren(QAction):
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        keys = [k for k in keys if k]
        name = action.text().replace("&", "").rstrip("…").strip()
        if keys and name and name not in rows:
            rows[name] = ", ".join(keys)
    return sorted(rows.items(), key=lambda row: row[0].casefold())


class ShortcutsDialog(QDialog):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setWindowTitle(tr("Keyboard shortcuts"))
        self.resize(460, 520)
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels([tr("Command"), tr("Shortcut")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for row, (name, keys) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(name))
            self.table.setItem(row, 1, QTableWidgetItem(keys))
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(_buttons(self))
