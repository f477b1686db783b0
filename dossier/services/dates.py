"""Dates typed by journalists: strict ISO (YYYY-MM-DD) with a clear error otherwise."""

from __future__ import annotations

from datetime import UTC, date, datetime

from dossier.errors import UsageError
from dossier.i18n import N_, _


def parse_date(value: str | None, what: str = N_("date")) -> str | None:
    """Return the ISO form of `value`, None for empty, or raise UsageError."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise UsageError(
            _("invalid {what} {text}: use YYYY-MM-DD, e.g. 2023-11-20").format(
                what=_(what), text=repr(text)
            )
        ) from None


def to_date(value: str) -> date:
    return date.fromisoformat(value)


def as_utc(moment: datetime) -> datetime:
    """`moment` with its time zone: SQLite gives back naive datetimes for values stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
