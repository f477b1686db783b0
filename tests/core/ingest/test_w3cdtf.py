"""A Word file's creation and modification dates (W3CDTF, in docProps/core.xml) in UTC; a date
that names no real moment is no date rather than a wrong one."""

from __future__ import annotations

import datetime as dt

import pytest

from dossier.ingest.opc import w3cdtf


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-11-20T16:05:00Z", dt.datetime(2023, 11, 20, 16, 5, tzinfo=dt.UTC)),
        ("2023-11-20T16:05:00+01:00", dt.datetime(2023, 11, 20, 15, 5, tzinfo=dt.UTC)),
        ("2023-11-20T16:05:00-09:30", dt.datetime(2023, 11, 21, 1, 35, tzinfo=dt.UTC)),
        ("2023-11-20T16:05:00+14:00", dt.datetime(2023, 11, 20, 2, 5, tzinfo=dt.UTC)),
        ("2023-11-20", dt.datetime(2023, 11, 20, tzinfo=dt.UTC)),
        ("2023", dt.datetime(2023, 1, 1, tzinfo=dt.UTC)),
    ],
)
def test_real_dates_are_read_in_utc(text: str, expected: dt.datetime) -> None:
    assert w3cdtf(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2023-11-20T16:05:00+99:99",
        "2023-11-20T16:05:00+15:00",
        "2023-11-20T16:05:00-12:60",
        "2023-11-20T16:05:00+1:00x",
        "0001-01-01T00:30:00+01:00",
        "le 20 novembre",
        "",
        None,
    ],
)
def test_a_date_that_names_no_moment_is_none(text: str | None) -> None:
    assert w3cdtf(text) is None
