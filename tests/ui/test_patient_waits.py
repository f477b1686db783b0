"""A test's wait outlasts the timeout it wrote (tests/conftest.py `qtbot`): a worker's answer
late on a loaded CI machine is waited for, not failed."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal


class _Late(QObject):
    done = Signal()


def test_a_condition_met_after_the_written_timeout_is_waited_for(qtbot) -> None:
    met: list[bool] = []
    QTimer.singleShot(300, lambda: met.append(True))
    qtbot.waitUntil(lambda: bool(met), timeout=10)


def test_a_signal_emitted_after_the_written_timeout_is_waited_for(qtbot) -> None:
    late = _Late()
    QTimer.singleShot(300, late.done.emit)
    with qtbot.waitSignal(late.done, timeout=10):
        pass
