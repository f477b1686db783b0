"""Dates stated by web pages and e-mails, as ISO `YYYY-MM-DD`.

Only unambiguous forms are read: ISO 8601 (what `article:published_time` and JSON-LD use),
its compact and slashed variants, and RFC 2822 (e-mail `Date:` headers, some RSS-style meta
tags). "05/03/2024" is March in Paris and May in New York, so it is not guessed at.
"""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate_to_datetime

_ISO = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?!\d)")


def iso_date(value: str | None) -> str | None:
    """`value` as `YYYY-MM-DD`, or None when it is not a date we can read without guessing."""
    if not value or not value.strip():
        return None
    match = _ISO.match(value) or _COMPACT.match(value)
    if match:
        year, month, day = (int(part) for part in match.groups())
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return None
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError):
        # Not RFC 2822 either: the page states no date we can read.
        return None
    return parsed.date().isoformat()
