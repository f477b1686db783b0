"""Alembic environment: always run programmatically with a connection from the vault."""

from __future__ import annotations

from alembic import context

from dossier.db import models
from dossier.db.base import Base

assert models  # the models must be imported so the metadata is complete

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Dossier migrations run only through dossier.db.engine.migrate()")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
