"""``godmode-server init``: a settings file with fresh secrets, a database and its first admin."""

from __future__ import annotations

import asyncio
import getpass
import os
import secrets
from pathlib import Path

import click
from pydantic import ValidationError

from godmode_server.cli.common import default_env_file, read_password
from godmode_server.settings import Settings, default_database_url
from godmode_server.sql import schema
from godmode_server.sql.database import Database
from godmode_server.sql.users import AccountError


@click.command()
@click.option(
    "--config",
    "target",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the settings.  [default: ~/.config/godmode/server.env]",
)
@click.option("--database-url", default=None, help="The database.  [default: a SQLite file]")
@click.option("--admin", default="admin", show_default=True, help="The first admin's user name.")
@click.option("--force", is_flag=True, help="Overwrite an existing settings file.")
def init(target: Path | None, database_url: str | None, admin: str, force: bool) -> None:
    """First run: write the settings (a new JWT secret, the database), create the database and
    the first admin (password prompted for, or read from standard input)."""
    target = target or default_env_file()
    if target.exists() and not force:
        raise click.ClickException(f"{target} exists (--force writes a new one: new secret)")
    url = database_url or default_database_url()
    try:
        Settings(database_url=url)  # the URL is usable before anything is written
    except ValidationError as exc:
        raise click.ClickException(f"--database-url: {exc.errors()[0]['msg']}") from exc
    password = read_password(admin)
    lines = [
        "# God Mode server settings, written by `godmode-server init`.  Keep this file private:",
        "# the secret signs every login.  Every GODMODE_* variable may go here (docs/OPERATIONS.md).",
        f"GODMODE_JWT_SECRET={secrets.token_urlsafe(48)}",
        f"GODMODE_DATABASE_URL={url}",
    ]
    replaced = target.exists()
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
        out.write("\n".join(lines) + "\n")
    target.chmod(0o600)

    async def first_admin() -> None:
        database = Database(Settings(database_url=url).database_url)
        try:
            await database.start(migrate=True)
            await database.add_user(admin, password, "admin")
            why = "; it replaced the earlier settings (--force)" if replaced else ""
            await database.record_audit(
                f"cli:{getpass.getuser()}",
                "init",
                target.name,
                f"{target}: a new JWT secret (earlier tokens end) and the first admin "
                f"{admin!r}{why}",
                "command line",
            )
        finally:
            await database.close()

    try:
        asyncio.run(first_admin())
    except (AccountError, schema.SchemaError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"settings written to {target} (readable by you only)")
    click.echo(f"database ready at {url}; admin {admin!r} created")
    option = "" if target == default_env_file() else f" --env-file {target}"
    click.echo(f"start the server with: godmode-server{option} run")
