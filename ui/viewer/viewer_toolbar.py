"""The viewer's toolbar and commands: title, hits, page number box, zoom.

The actions carry the shortcuts; the main window puts the same actions in its menus.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QSpinBox, QToolBar

from ui.i18n import tr
from ui.widgets.outside_text import shown

if TYPE_CHECKING:
    from ui.viewer.document_viewer import DocumentViewer


class ElidedLabel(QLabel):
    """A title that shrinks with the toolbar, ending in "…" rather than pushing controls out."""

    def __init__(self) -> None:
        super().__init__()
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(60)

    def set_full_text(self, text: str) -> None:
        self._full = shown(text)  # a document's title: from outside
        self.setToolTip(self._full)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        metrics = self.fontMetrics()
        self.setText(metrics.elidedText(self._full, Qt.TextElideMode.ElideRight, self.width() - 12))


def _action(
    owner: DocumentViewer, text: str, keys: list[QKeySequence], slot: Callable[[], object]
) -> QAction:
    action = QAction(text, owner)
    action.setShortcuts(keys)
    action.setToolTip(f"{text} ({keys[0].toString(QKeySequence.SequenceFormat.NativeText)})")
    action.triggered.connect(slot)
    return action


class ViewerToolbar(QToolBar):
    def __init__(self, viewer: DocumentViewer) -> None:
        super().__init__(viewer)
        keys = QKeySequence.StandardKey
        self.zoom_in_action = _action(
            viewer, tr("Zoom in"), [QKeySequence(keys.ZoomIn), QKeySequence("Ctrl+=")],
            viewer.zoom_in,
        )  # fmt: skip
        self.zoom_out_action = _action(
            viewer, tr("Zoom out"), [QKeySequence(keys.ZoomOut)], viewer.zoom_out
        )
        self.fit_width_action = _action(
            viewer, tr("Fit width"), [QKeySequence("Ctrl+0")], viewer.fit_width
        )
        self.previous_hit_action = _action(
            viewer, tr("Previous hit"), [QKeySequence(keys.FindPrevious)], viewer.previous_hit
        )
        self.next_hit_action = _action(
            viewer, tr("Next hit"), [QKeySequence(keys.FindNext)], viewer.next_hit
        )
        self.copy_action = _action(
            viewer, tr("Copy"), [QKeySequence(keys.Copy)], viewer.copy_selection
        )
        self.go_to_page_action = _action(
            viewer, tr("Go to page…"), [QKeySequence("Ctrl+G")], viewer.focus_page_box
        )
        self.previous_page_action = _action(
            viewer, tr("Previous page"), [QKeySequence("Alt+PgUp")],
            lambda: viewer.go_to_page(self.page_box.value() - 2),
        )  # fmt: skip
        self.next_page_action = _action(
            viewer, tr("Next page"), [QKeySequence("Alt+PgDown")],
            lambda: viewer.go_to_page(self.page_box.value()),
        )  # fmt: skip
        # Symbols on the buttons, names in tooltips and menus: the toolbar fits in any language.
        for action, symbol in (
            (self.previous_page_action, "▲"),
            (self.next_page_action, "▼"),
            (self.previous_hit_action, "‹"),
            (self.next_hit_action, "›"),
            (self.zoom_out_action, "−"),
            (self.zoom_in_action, "+"),
            (self.fit_width_action, "↔"),
        ):
            action.setIconText(symbol)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.title = ElidedLabel()
        # Above the toolbar (the viewer places it), not in it: on a laptop the buttons left the
        # title a few letters ("Entreti…").
        self.title.setStyleSheet("font-weight: bold; padding: 4px 6px 0 6px;")
        self.hit_label = QLabel()
        self.addAction(self.previous_hit_action)
        self.addWidget(self.hit_label)
        self.addAction(self.next_hit_action)
        self.addSeparator()
        self.addWidget(QLabel(tr("Page")))
        self.page_box = QSpinBox()
        self.page_box.setKeyboardTracking(False)
        self.page_box.setMinimum(1)
        self.page_box.setAccessibleName(tr("Page number"))
        self.page_box.valueChanged.connect(lambda value: viewer.go_to_page(value - 1))
        self.addWidget(self.page_box)
        self.page_total = QLabel()
        self.addWidget(self.page_total)
        self.addAction(self.previous_page_action)
        self.addAction(self.next_page_action)
        self.addSeparator()
        self.addAction(self.zoom_out_action)
        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(44)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.addWidget(self.zoom_label)
        self.addAction(self.zoom_in_action)
        self.addAction(self.fit_width_action)
        for action in (
            self.previous_page_action, self.next_page_action,
            self.previous_hit_action, self.next_hit_action, self.zoom_out_action,
            self.zoom_in_action, self.fit_width_action,
        ):  # fmt: skip
            button = self.widgetForAction(action)
            if button is not None:
                button.setStyleSheet("font-size: 16px; min-width: 22px;")

    def sync_page_actions(self, has_doc: bool) -> None:
        """Previous/next page only where there is one."""
        page, last = self.page_box.value(), self.page_box.maximum()
        self.previous_page_action.setEnabled(has_doc and page > 1)
        self.next_page_action.setEnabled(has_doc and page < last)
