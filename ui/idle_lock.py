"""Locks the vault after a period without keyboard or mouse input (set in the preferences)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

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
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

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
        self.restart()

    def disarm(self) -> None:
        self._armed = False
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._armed and event.type() in _ACTIVITY:
            self._timer.start()
        return False
