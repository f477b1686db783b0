"""Work running alongside a test: callables on threads beside the test's own steps.

A concurrency test provokes a race by doing one thing while another runs (imports while
garbage is collected, edits while quotes are checked). Each such test kept its own harness:
a thread, a list for its exception, a `done` flag, a join that waited forever if the work hung
and an exception that went unseen if the list was not checked. Here is the one harness:

    with alongside(importing) as run:
        while run.running:
            ws.fsck.collect_garbage()

The works start when the block begins (all at once with `together`, the block's first line
too), a repeated work is called again and again until the block ends, and at its end every
work is joined: what one raised is raised in the test (several, as an exception group), and a
work still running past `within` seconds fails the test in one sentence instead of hanging it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TypeVar

import pytest

Work = Callable[[], object]
T = TypeVar("T")

# Far longer than any work here takes on a loaded 2-core machine, and well within the suite's
# own timeout (600 s), so that a hung work is named rather than the whole test killed.
WITHIN = 300.0


class Alongside:
    """Works on their own threads beside the test; see the module's docstring."""

    def __init__(self, works: tuple[Work, ...], *, repeat: bool, together: bool, within: float):
        if not works:
            raise ValueError("alongside() needs at least one work")
        self._works = works
        self._repeat = repeat
        self._within = within
        self._start = threading.Barrier(len(works) + 1) if together else None
        self._stop = threading.Event()
        self._changed = threading.Condition()
        self._rounds = 0
        self._failures: list[BaseException] = []
        self._deadline = 0.0
        self.threads = tuple(
            threading.Thread(target=self._run, args=(work,), name=f"alongside-{n}", daemon=True)
            for n, work in enumerate(works)
        )

    def __enter__(self) -> Alongside:
        self._deadline = time.monotonic() + self._within
        for thread in self.threads:
            thread.start()
        if self._start is not None:
            try:
                self._start.wait(self._within)
            except threading.BrokenBarrierError:
                self._stop.set()
                pytest.fail(f"the works beside the test did not all start within {self._within} s")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        raised: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        for thread in self.threads:
            thread.join(max(0.0, self._deadline - time.monotonic()))
        hung = self._hung_names()
        with self._changed:
            failures = list(self._failures)
        if raised is not None:  # the test's own failure goes first, with what ran beside it
            for failure in failures:
                raised.add_note(f"beside it, a work raised {failure!r}")
            if hung:
                raised.add_note(f"beside it, still running: {hung}")
            return
        if hung:
            pytest.fail(f"a work beside the test ran past {self._within} s: {hung}")
        if len(failures) == 1:
            raise failures[0]
        if failures:
            raise BaseExceptionGroup(f"{len(failures)} works beside the test failed", failures)

    @property
    def running(self) -> bool:
        """Whether a work is still running; past the deadline, the test fails instead."""
        alive = any(thread.is_alive() for thread in self.threads)
        if alive and time.monotonic() > self._deadline:
            pytest.fail(f"a work beside the test ran past {self._within} s: {self._hung_names()}")
        return alive

    @property
    def done(self) -> bool:
        """Whether every work has returned or raised."""
        return not self.running

    @property
    def rounds(self) -> int:
        """How many times the works have returned, all works counted."""
        with self._changed:
            return self._rounds

    def wait_rounds(self, count: int) -> None:
        """Wait until the works have returned `count` times in all, or all stopped (a failure,
        raised when the block ends); past the deadline, the test fails."""
        with self._changed:
            reached = self._changed.wait_for(
                lambda: self._rounds >= count or not any(t.is_alive() for t in self.threads),
                max(0.0, self._deadline - time.monotonic()),
            )
        if not reached:
            pytest.fail(f"the works beside the test did not return {count} times in all")

    def wait(self, seconds: float) -> bool:
        """Wait at most `seconds` for every work to end; whether they all have."""
        until = time.monotonic() + seconds
        for thread in self.threads:
            thread.join(max(0.0, until - time.monotonic()))
        return not any(thread.is_alive() for thread in self.threads)

    def _run(self, work: Work) -> None:
        try:
            if self._start is not None:
                self._start.wait(self._within)
            while True:
                work()
                with self._changed:
                    self._rounds += 1
                    self._changed.notify_all()
                if not self._repeat or self._stop.is_set():
                    return
        except BaseException as exc:  # raised in the test when the block ends
            with self._changed:
                self._failures.append(exc)
                self._changed.notify_all()

    def _hung_names(self) -> str:
        return ", ".join(
            getattr(work, "__qualname__", repr(work))
            for work, thread in zip(self._works, self.threads, strict=True)
            if thread.is_alive()
        )


def alongside(
    *works: Work, repeat: bool = False, together: bool = False, within: float = WITHIN
) -> Alongside:
    """Run `works` on threads beside the `with` block that uses this.

    `repeat`: call each work again as soon as it returns, until the block ends.
    `together`: the works and the block begin at once (a barrier), none ahead of the others.
    `within`: seconds from the block's start that the works may take at most."""
    return Alongside(works, repeat=repeat, together=together, within=within)


def at_once(*works: Work, within: float = WITHIN) -> None:
    """Run `works` on threads released together and wait for them all; raise what they raised."""
    with alongside(*works, together=True, within=within):
        pass


def within(seconds: float, call: Callable[[], T]) -> T:
    """What `call` returns, called beside the test; the test fails if it runs past `seconds`
    (a call that may never return: a close waiting for stuck workers, say)."""
    returned: list[T] = []

    def calling() -> None:
        returned.append(call())

    calling.__qualname__ = getattr(call, "__qualname__", repr(call))
    at_once(calling, within=seconds)
    return returned[0]
