"""Working-day arithmetic for reply deadlines, with the public holidays of a jurisdiction.

A working day is Monday to Friday, except the public holidays of the letter's jurisdiction
(see `jurisdictions`), as the `holidays` library lists them: the eleven national days in
metropolitan France (Whit Monday included: administrations answering letters treat it as
closed), plus Good Friday and 26 December in Alsace-Moselle, the abolition of slavery overseas,
21 July in Belgium, 24 June in Québec, each canton's days in Switzerland, substitute days where
a country moves a holiday that falls on a weekend.

A deadline of N days "after" a date never counts that date itself: a letter sent on a Monday
with 1 working day to answer is due on the Tuesday.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from dossier.errors import UsageError
from dossier.i18n import _
from dossier.services.letters.dto import DEFAULT_JURISDICTION
from dossier.services.letters.jurisdictions import jurisdiction

# Far beyond any deadline a journalist sets; also stops a typo from looping for long.
MAX_DEADLINE_DAYS = 3660
_NAME_LANGUAGES = ("fr", "en_US")
"""Holiday names in French where the library has them, else in English, else its default."""


@lru_cache(maxsize=512)
def public_holidays(code: str, year: int) -> dict[date, str]:
    """The public holidays of `year` in the jurisdiction `code`, with their names."""
    # Imported here: each country's calendar is a module the library loads by name.
    import holidays

    place = jurisdiction(code)
    supported = holidays.country_holidays(place.country).supported_languages
    language = next((lang for lang in _NAME_LANGUAGES if lang in supported), None)
    calendar = holidays.country_holidays(
        place.country, subdiv=place.subdivision, years=year, language=language
    )
    return {day: str(name) for day, name in calendar.items()}


def is_working_day(day: date, code: str = DEFAULT_JURISDICTION) -> bool:
    return day.weekday() < 5 and day not in public_holidays(code, day.year)


def add_working_days(start: date, count: int, code: str = DEFAULT_JURISDICTION) -> date:
    """The `count`-th working day after `start` (`start` itself never counts)."""
    if count < 0:
        raise UsageError(_("a number of working days cannot be negative"))
    day = start
    remaining = count
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day, code):
            remaining -= 1
    return day


def add_days(
    start: date, count: int, *, working: bool = False, code: str = DEFAULT_JURISDICTION
) -> date:
    """`count` calendar days after `start`, or `count` working days when `working` is set."""
    if count < 0:
        raise UsageError(_("a reply period cannot be a negative number of days"))
    if count > MAX_DEADLINE_DAYS:
        raise UsageError(
            _("a reply period longer than {MAX_DEADLINE_DAYS} days is surely a typo").format(
                MAX_DEADLINE_DAYS=MAX_DEADLINE_DAYS
            )
        )
    if working:
        return add_working_days(start, count, code)
    return start + timedelta(days=count)


def working_days_between(start: date, end: date, code: str = DEFAULT_JURISDICTION) -> int:
    """Working days after `start` up to and including `end` (0 when `end` <= `start`)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, code):
            count += 1
    return count


def holidays_between(
    start: date, end: date, code: str = DEFAULT_JURISDICTION
) -> list[tuple[date, str]]:
    """The public holidays on weekdays after `start` up to and including `end`: the days that
    pushed a working-day deadline from `start` to `end` back."""
    found: list[tuple[date, str]] = []
    day = start
    while day < end:
        day += timedelta(days=1)
        name = public_holidays(code, day.year).get(day)
        if name is not None and day.weekday() < 5:
            found.append((day, name))
    return found
