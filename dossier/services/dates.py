"""Dates typed by journalists: strict ISO (YYYY-MM-DD) with a clear error otherwise."""

from __future__ import annotations

from datetime import date

from dossier.errors import UsageError


def parse_date(value: str | None, what: str = "date") -> str | None:
    """Return the ISO form of `value`, None for empty, or raise UsageError."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise UsageError(f"invalid {what} {text!r}: use YYYY-MM-DD, e.g. 2023-11-20") from None


def to_date(value: str) -> date:
    return date.fromisoformat(value)
