"""Money: payout rates per platform and room, and exchange rates, both dated
(reports/money.py).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payout_rates",
        sa.Column("platform", sa.String(32), primary_key=True),
        sa.Column("room_id", sa.String(64), primary_key=True),
        sa.Column("starts", sa.String(10), primary_key=True),
        sa.Column("usd_per_token", sa.String(40), nullable=False),
        sa.Column("set_at", sa.BigInteger(), nullable=False),
        sa.Column("set_by", sa.String(64), nullable=False),
    )
    op.create_table(
        "currency_rates",
        sa.Column("currency", sa.String(3), primary_key=True),
        sa.Column("starts", sa.String(10), primary_key=True),
        sa.Column("units_per_usd", sa.String(40), nullable=False),
        sa.Column("set_at", sa.BigInteger(), nullable=False),
        sa.Column("set_by", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("currency_rates")
    op.drop_table("payout_rates")
