"""Reloads of a hidden view wait until it is shown.

During a large import the window hears that documents changed once a second, and every view
of the case reloaded then, on the GUI thread, each reading every document of the case: with a
few hundred documents a notice froze the window for a quarter of a second, growing with the
case. A tab behind another need not be up to date until someone looks at it: it reloads once,
when it is shown.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget


class WhenShown(QObject):
    """Runs `reload` at once while `widget` is visible, else once when it is next shown."""

    def __init__(self, widget: QWidget, reload: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._reload = reload
        self.stale = False
        widget.installEventFilter(self)

    def request(self) -> None:
        if self._widget.isVisible():
            self.stale = False
            self._reload()
        else:
            self.stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Show and self.stale:
            self.stale = False
            self._reload()
        return False
