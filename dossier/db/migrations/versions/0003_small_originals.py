"""small originals: files of up to 64 KB sealed in the catalog, in their group's commit

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 16:30:00

A vault at 0002 holds every original as a file; they stay files and are read as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ZERO_MAC = sa.text("X'" + "00" * 32 + "'")


def upgrade() -> None:
    op.create_table(
        "original",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.String(length=24), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("row_mac", sa.LargeBinary(), nullable=False, server_default=ZERO_MAC),
        # Last: checking a case's rows reads the columns before it, not the content's pages.
        sa.Column("sealed_content", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_original_case_id_case"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_original")),
    )
    with op.batch_alter_table("original") as batch:
        batch.create_index(batch.f("ix_original_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    op.drop_table("original")
