"""Working-day arithmetic for reply deadlines, with French public holidays.

A working day is Monday to Friday, except the eleven national public holidays of France
(Code du travail, art. L3133-1):

- fixed: 1 January, 1 May, 8 May, 14 July, 15 August, 1 November, 11 November, 25 December;
- movable, from Easter Sunday: Easter Monday (+1), Ascension Day (+39), Whit Monday (+50).

Easter Sunday comes from the anonymous Gregorian computus (Meeus/Jones/Butcher), exact for
every Gregorian year. Whit Monday is counted as a holiday although employers may make it the
"journée de solidarité": administrations answering letters treat it as closed. The two extra
days of Alsace-Moselle (Good Friday, 26 December) and overseas days are not counted: a deadline
that must follow local rules can be typed as an explicit date.

A deadline of N days "after" a date never counts that date itself: a letter sent on a Monday
with 1 working day to answer is due on the Tuesday.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from dossier.errors import UsageError

# Far beyond any deadline a journalist sets; also stops a typo from looping for long.
MAX_DEADLINE_DAYS = 3660


def easter_sunday(year: int) -> date:
    """Easter Sunday of a Gregorian year (anonymous Gregorian algorithm)."""
    golden = year % 19
    century, year_of_century = divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    lunar_correction = (century + 8) // 25
    solar_correction = (century - lunar_correction + 1) // 3
    epact = (19 * golden + century - leap_centuries - solar_correction + 15) % 30
    leap_years, year_rest = divmod(year_of_century, 4)
    weekday_shift = (32 + 2 * century_rest + 2 * leap_years - epact - year_rest) % 7
    correction = (golden + 11 * epact + 22 * weekday_shift) // 451
    month, day = divmod(epact + weekday_shift - 7 * correction + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def french_public_holidays(year: int) -> frozenset[date]:
    """The eleven national public holidays of `year` (see the module docstring)."""
    easter = easter_sunday(year)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    movable = [easter + timedelta(days=offset) for offset in (1, 39, 50)]
    return frozenset([date(year, month, day) for month, day in fixed] + movable)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in french_public_holidays(day.year)


def add_working_days(start: date, count: int) -> date:
    """The `count`-th working day after `start` (`start` itself never counts)."""
    if count < 0:
        raise UsageError("a number of working days cannot be negative")
    day = start
    remaining = count
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def add_days(start: date, count: int, *, working: bool = False) -> date:
    """`count` calendar days after `start`, or `count` working days when `working` is set."""
    if count < 0:
        raise UsageError("a reply period cannot be a negative number of days")
    if count > MAX_DEADLINE_DAYS:
        raise UsageError(f"a reply period longer than {MAX_DEADLINE_DAYS} days is surely a typo")
    if working:
        return add_working_days(start, count)
    return start + timedelta(days=count)


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` <= `start`)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
