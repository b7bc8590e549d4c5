"""Collectors' health: each ingest key's latest self-report (collectors/health.py).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "collector_health",
        sa.Column("key_name", sa.String(64), primary_key=True),
        sa.Column("received_at", sa.BigInteger(), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("collector_health")
