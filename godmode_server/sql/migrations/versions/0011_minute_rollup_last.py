"""Each minute rollup keeps its newest sample's time: how far the archive's figures reach, which
the live earnings need to know which events they already hold (earnings/live.py).  Rows
written before say 0 (no event is that old).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "minute_rollups",
        sa.Column("last", sa.BigInteger(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    with op.batch_alter_table("minute_rollups") as batch:
        batch.drop_column("last")
