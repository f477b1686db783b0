"""row authentication: a MAC on every row, an inventory per case and for the vault

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 03:10:00

Catalogs at 0001 are not upgraded in place: their rows were never authenticated, so there is
nothing to trust them from (see `dossier.db.engine.UNSUPPORTED`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = (
    "audit_entry",
    "case",
    "vault_secret",
    "document",
    "event",
    "letter",
    "note",
    "person",
    "page",
    "question",
    "quote",
    "redaction",
    "reply",
)
ZERO_MAC = sa.text("X'" + "00" * 32 + "'")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(
            table, sa.Column("row_mac", sa.LargeBinary(), nullable=False, server_default=ZERO_MAC)
        )
    op.create_table(
        "inventory",
        sa.Column("scope", sa.String(length=24), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("mac", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_inventory")),
    )


def downgrade() -> None:
    op.drop_table("inventory")
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("row_mac")
