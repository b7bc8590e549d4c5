"""The audit log's detail kept whole (it was cut at 500 characters: a 1,000-room assignment
named 25 rooms).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite cannot change a column's type in place: batch mode copies the table.
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column("detail", type_=sa.Text(), existing_type=sa.String(500))


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column("detail", type_=sa.String(500), existing_type=sa.Text())
