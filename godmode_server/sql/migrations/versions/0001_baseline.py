"""The schema as the server created it before migrations existed (create_all).

Revision ID: 0001
Revises:
Create Date: 2026-11-30

A database made by a server of that time has these tables and no ``alembic_version``:
schema.py recognises it and records it as being at this revision.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_users_username", "users", ["username"], unique=True)
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_api_keys_name", "api_keys", ["name"], unique=True)
    op.create_index("ix_api_keys_key_hash", "api_keys", ["key_hash"], unique=True)
    op.create_table(
        "samples",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("room_id", sa.String(64), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("tokens_count", sa.BigInteger(), nullable=False),
        sa.Column("tips_count", sa.BigInteger(), nullable=False),
        sa.Column("viewers_count", sa.BigInteger(), nullable=False),
        sa.Column("timestamp", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_samples_room_time", "samples", ["platform", "room_id", "timestamp"])
    op.create_table(
        "collector_cursors",
        sa.Column("source", sa.String(128), primary_key=True),
        sa.Column("last_event_id", sa.String(128), nullable=False),
        sa.Column("tokens_count", sa.BigInteger(), nullable=False),
        sa.Column("tips_count", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    for table in ("collector_cursors", "samples", "api_keys", "users"):
        op.drop_table(table)
