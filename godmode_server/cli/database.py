"""``godmode-server db current|upgrade`` and ``backup``: the database's schema, and a copy of it."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

import click
from sqlalchemy.engine import make_url

from godmode_server.cli.common import audit_command_line, load_settings, open_database
from godmode_server.sql import schema


@click.group()
def db() -> None:
    """The database's schema: which revision it is at, and migrating it."""


@db.command("current")
def db_current() -> None:
    """Print the schema's revision and this server's."""
    url = load_settings().database_url
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(str(parsed.database)).expanduser()
        if not path.is_file():  # (only reading: nothing is made, unlike the other commands)
            raise click.ClickException(
                f"no database at {path} -- run `godmode-server init` to make one, or point "
                "GODMODE_DATABASE_URL at it"
            )
    state = asyncio.run(schema.state(url))
    current = state.current or "none (an empty database, or one made before migrations)"
    click.echo(f"database: {current}")
    click.echo(f"this server: {state.head}")


@db.command("upgrade")
def db_upgrade() -> None:
    """Migrate the schema to this server's revision (safe while other nodes start)."""
    url = load_settings().database_url
    try:
        state = asyncio.run(open_database(url, migrate=True))
    except schema.SchemaError as exc:
        raise click.ClickException(str(exc)) from exc
    if state.current == state.head:
        click.echo(f"already at {state.head}")
    else:
        click.echo(f"migrated from {state.current or 'an empty database'} to {state.head}")
        audit_command_line("db.upgrade", state.head, f"from {state.current or 'empty'}")


@click.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup(path: Path) -> None:
    """Copy the SQLite database to PATH, consistently, while the server runs.

    SQLite's online backup: the copy is the database as of one moment, whatever the server
    writes meanwhile.  Restore by stopping the server and putting the copy in the database's
    place.  (PostgreSQL: pg_dump; see docs/OPERATIONS.md.)"""
    url = make_url(load_settings().database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise click.ClickException(
            "backup copies a SQLite database; for PostgreSQL use pg_dump (docs/OPERATIONS.md)"
        )
    source = Path(url.database).expanduser()
    if not source.is_file():
        raise click.ClickException(f"no database at {source}")
    if path.exists():
        raise click.ClickException(f"{path} exists; give a new file name")
    # The copy holds password hashes, like the database: private from its first byte -- made
    # 0600 before SQLite writes to it, in a 0700 folder of its own beside PATH (SQLite's journal
    # goes there too), and renamed into place only when whole.  An interrupted backup leaves
    # nothing anyone else can read.
    private = Path(tempfile.mkdtemp(prefix=".godmode-backup-", dir=path.parent))
    try:
        partial = private / path.name
        os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        with (
            closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
            closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst)
        partial.replace(path)
    finally:
        shutil.rmtree(private, ignore_errors=True)
    click.echo(f"copied {source} to {path}")
    audit_command_line("db.backup", path.name, f"{path.resolve()}: a copy of {source}")
