"""The patterns that find grouped numbers and years start with a digit (fast to look for), and
find exactly what their plain definitions find: a number or a year is never missed or cut
differently for the sake of speed."""

from __future__ import annotations

import re

from hypothesis import settings
from hypothesis import strategies as st

from dossier.search import variants
from tests.sweep import swept

# What each pattern means, written the plain way (the look-behind first).
GROUPED_NUMBER = re.compile(
    r"(?<!\d)(?<!\d[ \u00a0\u202f.,])\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+(?!\d)"
)
YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")

TEXTS = st.text(alphabet="0123456789٣ \u00a0\u202f.,-/a", max_size=40)


def _found(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [match.span() for match in pattern.finditer(text)]


@swept(settings(max_examples=400, deadline=None), text=TEXTS)
def test_grouped_numbers_as_defined(text: str) -> None:
    assert _found(variants._GROUPED_NUMBER, text) == _found(GROUPED_NUMBER, text)


@swept(settings(max_examples=400, deadline=None), text=TEXTS)
def test_years_as_defined(text: str) -> None:
    assert _found(variants._YEAR, text) == _found(YEAR, text)


def test_numbers_and_dates_of_a_page() -> None:
    page = "Le 20 novembre 2023, 1 000 000 € (12.345.678 en 2024), pas 12345 ni 1 0000."
    assert _found(variants._GROUPED_NUMBER, page) == _found(GROUPED_NUMBER, page)
    assert [page[a:b] for a, b in _found(variants._YEAR, page)] == ["2023", "2024", "0000"]
    assert variants.exact_value(page) == (
        "le 20|20231120 novembre 2023 1|1000000 000 000 euros 12|12345678 345 678 en 2024 "
        "pas 12345 ni 1 0000"
    )
