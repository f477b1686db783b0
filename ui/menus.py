"""The menu bar: every command with its shortcut, in the usual places."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from ui.about_dialog import AboutDialog
from ui.audit_dialog import AuditDialog
from ui.help_dialogs import GuideDialog, ShortcutsDialog
from ui.i18n import tr
from ui.preferences_dialog import PreferencesDialog
from ui.sample_action import create_sample_vault
from ui.undo import undo_actions
from ui.widgets.file_dialogs import choose_files, choose_folder

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def _audit(window: MainWindow) -> None:
    if window.state.is_unlocked:
        dialog = AuditDialog(window.state, window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # its rows go with it
        dialog.exec()


def _action(
    window: MainWindow, text: str, slot: Callable[[], object], *shortcuts: QKeySequence | str
) -> QAction:
    action = QAction(text, window)
    keys = [QKeySequence(s) if isinstance(s, str) else s for s in shortcuts]
    unique: dict[str, QKeySequence] = {}
    for key in keys:
        if not key.isEmpty():
            unique.setdefault(key.toString(), key)
    keys = list(unique.values())
    if keys:
        action.setShortcuts(keys)
    action.triggered.connect(slot)
    return action


def _import_folder(window: MainWindow) -> None:
    folder = choose_folder(window, tr("Import a folder"))
    if folder is not None:
        window.import_files([folder])


def _preferences(window: MainWindow) -> None:
    ws = window.state.ws if window.state.is_unlocked else None
    busy = lambda: window.imports.running is not None  # noqa: E731 - read when asked
    if PreferencesDialog(window.settings, window, ws, busy).exec():
        window.idle.set_minutes(window.settings.idle_minutes)


def build_menus(window: MainWindow) -> dict[str, QAction]:
    keys = QKeySequence.StandardKey
    actions = {
        "import_files": _action(
            window, tr("Import files…"), lambda: window.import_files(choose_files(window)), "Ctrl+I"
        ),
        "import_folder": _action(
            window, tr("Import a folder…"), lambda: _import_folder(window), "Ctrl+Shift+I"
        ),
        "lock": _action(window, tr("Lock"), window.lock, "Ctrl+L"),
        "preferences": _action(
            window,
            tr("Preferences…"),
            lambda: _preferences(window),
            QKeySequence(keys.Preferences),
            "Ctrl+,",
        ),
        "quit": _action(window, tr("Quit"), window.close, QKeySequence(keys.Quit), "Ctrl+Q"),
        "find": _action(window, tr("Find…"), window.focus_search, "Ctrl+F", "Ctrl+K"),
        "about": _action(window, tr("About Dossier"), lambda: AboutDialog(window).exec()),
        "guide": _action(
            window, tr("User guide"), lambda: GuideDialog(window).exec(), QKeySequence("F1")
        ),
        "audit": _action(window, tr("Audit trail…"), lambda: _audit(window)),
        "shortcuts": _action(
            window, tr("Keyboard shortcuts"), lambda: ShortcutsDialog(window).exec()
        ),
        "sample": _action(
            window, tr("Create the sample vault…"), lambda: create_sample_vault(window)
        ),
    }
    actions["undo"], actions["redo"] = undo_actions(window.state, window, window.inspector.flush)
    actions["lock"].setToolTip(tr("Lock the vault: keys and decrypted data leave memory"))
    viewer, cases, flows = window.viewer, window.cases, window.workflows.actions()
    bar = window.menuBar()
    file_menu = bar.addMenu(tr("&File"))
    file_menu.addAction(actions["import_files"])
    file_menu.addAction(actions["import_folder"])
    file_menu.addSeparator()
    file_menu.addAction(flows["export"])
    file_menu.addAction(flows["verify"])
    file_menu.addAction(flows["import_bundle"])
    file_menu.addSeparator()
    file_menu.addAction(actions["lock"])
    file_menu.addSeparator()
    file_menu.addAction(actions["preferences"])
    file_menu.addSeparator()
    file_menu.addAction(actions["quit"])
    edit_menu = bar.addMenu(tr("&Edit"))
    edit_menu.addAction(actions["undo"])
    edit_menu.addAction(actions["redo"])
    edit_menu.addSeparator()
    edit_menu.addAction(viewer.copy_action)
    edit_menu.addAction(actions["find"])
    edit_menu.addSeparator()
    edit_menu.addAction(flows["new_quote"])
    edit_menu.addAction(flows["note"])
    edit_menu.addAction(flows["redact_tool"])
    view_menu = bar.addMenu(tr("&View"))
    for action in (viewer.zoom_in_action, viewer.zoom_out_action, viewer.fit_width_action):
        view_menu.addAction(action)
    view_menu.addSeparator()
    view_menu.addAction(viewer.previous_hit_action)
    view_menu.addAction(viewer.next_hit_action)
    view_menu.addAction(viewer.go_to_page_action)
    view_menu.addSeparator()
    view_menu.addAction(window.import_dock.toggleViewAction())
    case_menu = bar.addMenu(tr("&Case"))
    for action in (cases.new_action, cases.rename_action, cases.delete_action):
        case_menu.addAction(action)
    case_menu.addSeparator()
    for name in ("find_quote", "recheck_quotes", "prepublication"):
        case_menu.addAction(flows[name])
    case_menu.addSeparator()
    case_menu.addAction(actions["audit"])
    help_menu = bar.addMenu(tr("&Help"))
    help_menu.addAction(actions["guide"])
    help_menu.addAction(actions["shortcuts"])
    help_menu.addSeparator()
    help_menu.addAction(actions["sample"])
    help_menu.addSeparator()
    help_menu.addAction(actions["about"])
    for action in [*actions.values(), *flows.values()]:
        window.addAction(action)  # shortcuts work even with the menu bar hidden
    return actions
