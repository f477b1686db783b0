"""Progress and cancellation for long jobs, as plain callables (the UI adapts them to signals)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from dossier.errors import Cancelled
from dossier.i18n import _

Progress = Callable[[float, str], None]
"""Called with a fraction in [0, 1] and a short status line."""


class CancelToken:
    """Set from any thread; the job checks it between steps and stops cleanly."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled(_("cancelled by the user; nothing was kept"))


def report(progress: Progress | None, fraction: float, message: str) -> None:
    if progress is not None:
        progress(max(0.0, min(1.0, fraction)), message)


def check(cancel: CancelToken | None) -> None:
    if cancel is not None:
        cancel.raise_if_cancelled()


def scaled(progress: Progress | None, low: float, high: float) -> Progress:
    """`progress` for a step that covers [low, high] of the whole job."""

    def inner(fraction: float, message: str) -> None:
        report(progress, low + (high - low) * fraction, message)

    return inner
