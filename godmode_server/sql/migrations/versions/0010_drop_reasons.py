"""Why samples of a time span are missing from the archive: ``dropped`` (the queue was full) or
``too_old`` (refused at ingest: older than the raw archive keeps), so that a report over that
span names the reason (sql/archive.py, routes/reports.py).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "archive_drops",
        sa.Column("reason", sa.String(16), nullable=False, server_default="dropped"),
    )


def downgrade() -> None:
    with op.batch_alter_table("archive_drops") as batch:
        batch.drop_column("reason")
