"""Roles that mean something: ``viewer`` becomes ``manager`` (it could see everything, and
still can: review them after the upgrade, see docs/OPERATIONS.md), monitors may be granted
reports, monitors' rooms, and the audit log of administrative actions.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as users:
        users.add_column(
            sa.Column("can_report", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute("UPDATE users SET role = 'manager' WHERE role = 'viewer'")
    op.create_table(
        "room_assignments",
        sa.Column("username", sa.String(64), primary_key=True),
        sa.Column("platform", sa.String(32), primary_key=True),
        sa.Column("room_id", sa.String(64), primary_key=True),
        sa.Column("assigned_at", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.String(128), nullable=False),
        sa.Column("detail", sa.String(500), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_table("room_assignments")
    op.execute("UPDATE users SET role = 'viewer' WHERE role IN ('manager', 'monitor')")
    with op.batch_alter_table("users") as users:
        users.drop_column("can_report")
