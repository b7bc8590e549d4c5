"""Tokens paid for media (the Events API's ``mediaPurchase``), kept with each server-side
collector's cursor as a figure of their own.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "collector_cursors",
        sa.Column("media_tokens", sa.BigInteger(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    with op.batch_alter_table("collector_cursors") as batch:
        batch.drop_column("media_tokens")
