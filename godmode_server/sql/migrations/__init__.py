"""Alembic migrations of the server's SQL schema (run by godmode_server/sql/schema.py).

A schema change is a new module in ``versions/``: the next number, ``down_revision`` the newest
one's, its ``upgrade()`` written by hand.  tests/server/sql/test_schema.py checks that the
migrations build exactly the tables db.py declares, on SQLite and PostgreSQL.
"""
