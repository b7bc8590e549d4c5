"""Page outlines (the latest one each ingest key sent per platform) and the reading rules
administrators publish to every collector (sql/outlines.py).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "page_outlines",
        sa.Column("key_name", sa.String(64), primary_key=True),
        sa.Column("platform", sa.String(32), primary_key=True),
        sa.Column("received_at", sa.BigInteger(), nullable=False),
        sa.Column("outline", sa.Text(), nullable=False),
    )
    op.create_table(
        "published_selectors",
        sa.Column("version", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("published_at", sa.BigInteger(), nullable=False),
        sa.Column("published_by", sa.String(64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("published_selectors")
    op.drop_table("page_outlines")
