"""Locks the vault after a period without keyboard or mouse input (set in the preferences).

Input is watched where the window system delivers it: at each window (the main window, and
each dialog or window as it takes the focus), before the window hands it to a widget. A filter
on the application instead ran Python for every event of the GUI thread (timers, paints,
queued signals, each needing the GIL): while an import's threads held the GIL, the GUI thread
waited for it at each event, most of its waits through a 10,000-file import.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtWidgets import QWidget

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.idle)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.focusWindowChanged.connect(self.watch)

    def watch(self, window: QWindow | None) -> None:
        """Count input to `window` as activity (installed again, a filter is not doubled)."""
        if window is not None:
            window.installEventFilter(self)

    def set_timeout(self, milliseconds: int) -> None:
        """0 turns the automatic lock off."""
        self._timer.stop()
        self._timer.setInterval(max(0, milliseconds))
        self.restart()

    def set_minutes(self, minutes: int) -> None:
        self.set_timeout(minutes * 60_000)

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def restart(self) -> None:
        if self._timer.interval() > 0 and self._armed:
            self._timer.start()

    _armed = False

    def arm(self) -> None:
        """Start watching (the vault is open)."""
        self._armed = True
        owner = self.parent()
        if isinstance(owner, QWidget):
            self.watch(owner.window().windowHandle())
        self.watch(QGuiApplication.focusWindow())
        self.restart()

    def disarm(self) -> None:
        self._armed = False
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._armed and event.type() in _ACTIVITY:
            self._timer.start()
        return False
