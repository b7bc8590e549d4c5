"""What every command shares: the settings as the command line gives them, the database opened
for one act, and the audit log of the acts done here."""

from __future__ import annotations

import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import click
import platformdirs
from pydantic import ValidationError
from sqlalchemy.engine import make_url

from godmode_server.settings import Settings
from godmode_server.sql import schema
from godmode_server.sql.database import Database
from godmode_server.sql.users import AccountError

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., object])


def with_db(
    action: Callable[[Database], Awaitable[T]], audit: tuple[str, str, str] | None = None
) -> T:
    """Run ``action`` on the database; ``audit`` (action, target, detail) is recorded in the
    audit log when it succeeds, as done on this machine's command line by its user."""
    url = load_settings().database_url

    async def run() -> T:
        db = Database(url)
        try:
            await db.start()
            result = await action(db)
            if audit is not None:
                await db.record_audit(f"cli:{getpass.getuser()}", *audit, "command line")
            return result
        finally:
            await db.close()

    try:
        return asyncio.run(run())
    except (AccountError, schema.SchemaError) as exc:
        raise click.ClickException(str(exc)) from exc


def audit_command_line(action: str, target: str, detail: str) -> None:
    """Record an administrative act done on this command line in the server's audit log, as
    ``cli:<user>`` from "command line".  Best effort, after the act: where there is no server
    database (an IT PC packing the collector), or it cannot be reached, say so instead."""
    url = load_settings().database_url
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not (
        parsed.database and Path(parsed.database).expanduser().is_file()
    ):
        click.echo(f"(no server database here: {action} is not in an audit log)", err=True)
        return
    try:
        with_db(lambda _db: asyncio.sleep(0), (action, target, detail))
    except Exception as exc:  # the act is done; only its record failed
        reason = exc.message if isinstance(exc, click.ClickException) else type(exc).__name__
        click.echo(f"(not recorded in the audit log: {reason})", err=True)


def default_env_file() -> Path:
    """Where ``init`` writes the settings, and where they are read from by default."""
    return Path(platformdirs.user_config_dir("godmode", appauthor=False)) / "server.env"


def load_settings(**overrides: object) -> Settings:
    """The settings from the environment, the env file and the secrets folder (in that order of
    precedence, below ``overrides``); a clear error when a file is missing or a value bad."""
    sources = click.get_current_context().find_root().obj or {}
    env_file, secrets_dir = sources.get("env_file"), sources.get("secrets_dir")
    if env_file is not None and not env_file.is_file():
        raise click.ClickException(f"no settings file at {env_file}")
    if secrets_dir is not None and not secrets_dir.is_dir():
        raise click.ClickException(f"no secrets folder at {secrets_dir}")
    try:
        # (the overrides are checked by the model, like every other source of settings)
        return Settings(_env_file=env_file, _secrets_dir=secrets_dir, **overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"GODMODE_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}"
            for e in exc.errors()
        )
        raise click.ClickException(problems) from exc


def read_password(name: str) -> str:
    if sys.stdin.isatty():
        return click.prompt(
            f"Password for {name}", hide_input=True, confirmation_prompt=True, type=str
        )
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise click.ClickException("no password on standard input")
    return password


async def open_database(url: str, migrate: bool) -> schema.SchemaState:
    """Create (a private SQLite file, in a folder made for it) or check the database."""
    database = Database(url)
    try:
        return await database.start(migrate=migrate)
    finally:
        await database.close()
