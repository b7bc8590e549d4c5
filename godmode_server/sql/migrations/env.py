"""Alembic's entry point: migrations run on the connection schema.py hands over, inside the
transaction that holds the migration lock (so nodes starting together take turns)."""

from __future__ import annotations

from alembic import context

from godmode_server.sql.tables import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things: Alembic's batch mode copies the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():  # a no-op inside schema.py's transaction
    context.run_migrations()
