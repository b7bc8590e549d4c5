"""Credential generations: a disabled user, a new password or a revoked key ends the tokens
and keys concerned within a second on every node (godmode_server/accounts/credentials.py).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "credential_generations",
        sa.Column("subject", sa.String(80), primary_key=True),
        sa.Column("generation", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("credential_generations")
