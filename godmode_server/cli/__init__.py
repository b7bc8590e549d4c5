"""``godmode-server``: run the backend, manage users and ingest API keys.

The group and its options are here; each command group is a module of its own (serve.py,
users.py, keys.py, ...), attached below, as ``extension`` (godmode_server/extension/commands.py).
A command imports the heavy parts it alone needs (the server, uvicorn, the simulators) when it
runs, so ``godmode-server user list`` does not load FastAPI; import-linter sees those imports too.
"""

from __future__ import annotations

import socket
from pathlib import Path

import click
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from godmode_common import __version__
from godmode_server.cli import audit, database, install, keys, rates, serve, simulate, users
from godmode_server.cli.common import audit_command_line, default_env_file, load_settings
from godmode_server.extension import commands as extension_commands


class _Commands(click.Group):
    """The command group: a database that cannot be reached or opened is said in one line,
    with what to do, instead of a driver's traceback (for every command that uses it)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        # (asyncpg's refusals come as the socket's own errors, not SQLAlchemy's)
        except (SQLAlchemyError, ConnectionError, socket.gaierror) as exc:
            raise click.ClickException(_database_problem(ctx, exc)) from exc


def _database_problem(ctx: click.Context, exc: Exception) -> str:
    cause = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    try:
        with ctx:
            url = make_url(load_settings().database_url).render_as_string(hide_password=True)
    except click.ClickException:
        url = "GODMODE_DATABASE_URL"
    return (
        f"cannot use the database {url}: {cause} -- run `godmode-server init` to make one, or "
        "point GODMODE_DATABASE_URL at it"
    )


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="godmode-server")
@click.option(
    "--env-file",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="GODMODE_ENV_FILE",
    help="Read settings from this file of GODMODE_*=value lines (default: the one "
    "`init` writes, if it exists).  Environment variables win over it.",
)
@click.option(
    "--secrets-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="GODMODE_SECRETS_DIR",
    help="Read settings from files named after them (godmode_jwt_secret ...) in this folder, "
    "as container orchestrators mount secrets.",
)
@click.pass_context
def main(ctx: click.Context, env_file: Path | None, secrets_dir: Path | None) -> None:
    """God Mode tracking backend.

    Configuration comes from GODMODE_* environment variables (see the README), an env file
    and a secrets folder; the options of each command override them.
    """
    if env_file is None and default_env_file().is_file():
        env_file = default_env_file()
    ctx.obj = {"env_file": env_file, "secrets_dir": secrets_dir, "audit": audit_command_line}


for command in (
    serve.run,
    install.init,
    database.db,
    database.backup,
    users.user,
    keys.key,
    simulate.simulate,
    simulate.simulate_week,
    audit.audit,
    rates.rate,
    extension_commands.extension,
):
    main.add_command(command)
