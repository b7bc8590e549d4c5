"""Ingest keys' activity: when each key last posted for each room (key_activity.py).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "key_activity",
        sa.Column("key_name", sa.String(64), primary_key=True),
        sa.Column("platform", sa.String(32), primary_key=True),
        sa.Column("room_id", sa.String(64), primary_key=True),
        sa.Column("last_post", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("key_activity")
