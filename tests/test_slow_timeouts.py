"""A test marked slow (tens of CPU-s) is given `SLOW_TIMEOUT_S` before pytest-timeout stops it,
not the suite's 600 s: on a 2-core CI machine at load 22 a wall second is a twelfth of a CPU-s,
and the redaction sweep of the Lessig book (about 40 CPU-s) was stopped at 600 s although it
would have passed (1 full run in 1)."""

from __future__ import annotations

import pytest

from tests.conftest import SLOW_TIMEOUT_S


def _timeout(item: pytest.Item) -> float | None:
    marker = item.get_closest_marker("timeout")
    return None if marker is None else float(marker.args[0])


@pytest.mark.slow  # collected with the slow tests, and so one of those it checks
def test_every_slow_test_is_given_the_longer_timeout(request: pytest.FixtureRequest) -> None:
    slow = [item for item in request.session.items if item.get_closest_marker("slow")]
    assert request.node in slow
    short = [item.nodeid for item in slow if (_timeout(item) or 0) < SLOW_TIMEOUT_S]
    assert short == []
