"""Property tests whose full draw belongs to the slow sweep.

A property drawn hundreds of times is a fuzz campaign: `make check` and CI draw all of its
examples, `make test` a few (drawn from the same seed, the test's own), so a developer's run
still checks the property.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

EVERY_RUN_EXAMPLES = 25
"""Examples `make test` draws of a swept property."""


def swept(
    full: settings, **strategies: st.SearchStrategy[Any]
) -> Callable[[Callable[..., None]], Callable[[int], None]]:
    """`@settings(full) @given(**strategies)`, run twice: with `EVERY_RUN_EXAMPLES` examples in
    every run, with all of `full`'s in the slow sweep only."""

    def sweep(prop: Callable[..., None]) -> Callable[[int], None]:
        @pytest.mark.parametrize(
            "examples",
            [
                pytest.param(EVERY_RUN_EXAMPLES, id="few"),
                pytest.param(full.max_examples, id="all", marks=pytest.mark.slow),
            ],
        )
        def test(examples: int) -> None:
            settings(full, max_examples=examples)(given(**strategies)(prop))()

        for name in ("__name__", "__qualname__", "__doc__", "__module__"):
            setattr(test, name, getattr(prop, name))
        return test

    return sweep
