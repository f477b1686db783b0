"""Whether a call's CPU grows in step with its input: a pattern that backtracks over what it
read (a regular expression's `.*` before another part that may fail) costs the square of the
input or worse, which a file of a few hundred kilobytes turns into hours.

CPU, not wall time (the machine is shared), per call, the call repeated until its cost is
above the clock's grain. An input four times as long may cost up to `_MOST_PER_STEP` times as
much: a linear call costs four times (a little more, as its input leaves a cache), a quadratic
one sixteen. A call past `_BUDGET` CPU-s is stopped there (SIGPROF, which the regular
expression engine heeds), so an exponential pattern fails the test instead of hanging it.
"""

from __future__ import annotations

import gc
import signal
import time
from collections.abc import Callable
from itertools import pairwise
from typing import Any

SIZES = (10_000, 40_000, 160_000)
_MOST_PER_STEP = 8.0
_BUDGET = 2.0
_GRAIN = 0.02
_FLOOR = 2e-5
"""Below 20 µs a call's cost is its overhead, not its input."""


class _OverBudget(BaseException):
    """Not an `Exception`, as KeyboardInterrupt is not: the code measured must not take it for
    its own failure (an `except Exception` of the mail reader caught it, read on, and a call
    of twice the budget was measured as if none had been set)."""


def cpu_per_call(
    call: Callable[[Any], object],
    argument: Any,
    rounds: int = 3,
    grain: float = _GRAIN,
    budget: float = _BUDGET,
) -> float:
    """The least CPU of a call on `argument` over `rounds` rounds of at least `grain` CPU-s
    each; inf past `budget` CPU-s for them all."""
    over: list[bool] = []

    def stop(signum: int, frame: Any) -> None:
        over.append(True)  # seen even where the exception is lost (a finalizer, a callback)
        raise _OverBudget

    # A collection's callbacks (hypothesis adds one, for the rest of the process, once a test
    # of its ran) would get the exception and lose it as unraisable, which failed the test as
    # a warning, or not, as the signal fell: none run while this measures.
    callbacks = gc.callbacks[:]
    gc.callbacks.clear()
    previous = signal.signal(signal.SIGPROF, stop)
    signal.setitimer(signal.ITIMER_PROF, budget)
    try:
        best = float("inf")
        for _round in range(rounds):
            calls, began = 0, time.process_time()
            while (spent := time.process_time() - began) < grain or not calls:
                call(argument)
                calls += 1
            best = min(best, spent / calls)
        return float("inf") if over else best
    except _OverBudget:
        return float("inf")
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
        gc.callbacks[:] = callbacks


def growth(
    call: Callable[[Any], object],
    make: Callable[[int], Any],
    sizes: tuple[int, ...] = SIZES,
    budget: float = _BUDGET,
) -> list[float]:
    """The CPU of `call(make(size))` for each size, up to the first that grew too fast (or
    past `budget` CPU-s)."""
    costs: list[float] = []
    for size in sizes:
        costs.append(cpu_per_call(call, make(size), budget=budget))
        if not grows_linearly(costs):
            break
    return costs


def grows_linearly(costs: list[float]) -> bool:
    return float("inf") not in costs and all(
        later <= _MOST_PER_STEP * max(earlier, _FLOOR) for earlier, later in pairwise(costs)
    )
