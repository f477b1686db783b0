"""Declarative base, naming convention (Alembic on SQLite needs named constraints), ids, times."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    # Random, not sequential: ids are in clear, so they must not reveal order or counts.
    return os.urandom(12).hex()


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class HasId:
    id: Mapped[str] = mapped_column(String(24), primary_key=True)

    def __init__(self, **kwargs: object) -> None:
        # Ids are assigned at construction because they are part of the sealing associated data.
        for name, value in kwargs.items():
            if not hasattr(type(self), name):
                raise TypeError(f"{type(self).__name__} has no attribute {name!r}")
            setattr(self, name, value)
        if getattr(self, "id", None) is None:
            self.id = new_id()
