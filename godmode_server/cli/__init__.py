"""``godmode-server``: run the backend, manage users and ingest API keys."""

from __future__ import annotations

import asyncio
import getpass
import logging
import os
import re
import secrets
import shutil
import socket
import sqlite3
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click
import platformdirs
from click.core import ParameterSource
from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from godmode_common import __version__, keepalive
from godmode_common.protocol import PLATFORM_PATTERN, ROOM_ID_PATTERN
from godmode_server.extension import commands as extension_commands
from godmode_server.http.authorization import ROLES
from godmode_server.settings import ConfigError, Settings, default_database_url
from godmode_server.sql import schema
from godmode_server.sql.database import Database
from godmode_server.sql.users import AccountError

if TYPE_CHECKING:
    import uvicorn

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., object])

#: Largest WebSocket message accepted from a dashboard (they send nothing useful).
WS_MAX_MESSAGE = 64 * 1024


def _with_db(
    action: Callable[[Database], Awaitable[T]], audit: tuple[str, str, str] | None = None
) -> T:
    """Run ``action`` on the database; ``audit`` (action, target, detail) is recorded in the
    audit log when it succeeds, as done on this machine's command line by its user."""
    url = _settings().database_url

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
            url = make_url(_settings().database_url).render_as_string(hide_password=True)
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


def audit_command_line(action: str, target: str, detail: str) -> None:
    """Record an administrative act done on this command line in the server's audit log, as
    ``cli:<user>`` from "command line".  Best effort, after the act: where there is no server
    database (an IT PC packing the collector), or it cannot be reached, say so instead."""
    url = _settings().database_url
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not (
        parsed.database and Path(parsed.database).expanduser().is_file()
    ):
        click.echo(f"(no server database here: {action} is not in an audit log)", err=True)
        return
    try:
        _with_db(lambda _db: asyncio.sleep(0), (action, target, detail))
    except Exception as exc:  # the act is done; only its record failed
        reason = exc.message if isinstance(exc, click.ClickException) else type(exc).__name__
        click.echo(f"(not recorded in the audit log: {reason})", err=True)


def default_env_file() -> Path:
    """Where ``init`` writes the settings, and where they are read from by default."""
    return Path(platformdirs.user_config_dir("godmode", appauthor=False)) / "server.env"


def _settings(**overrides: object) -> Settings:
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


@main.command()
@click.option("--dev", is_flag=True, help="Development mode: anonymous ingest, demo/demo user.")
@click.option(
    "--migrate",
    is_flag=True,
    help="Migrate the database's schema if it is behind (else the server refuses to start).",
)
@click.option("--host", default=None, help="Address to listen on.  [default: 127.0.0.1]")
@click.option("--port", type=int, default=None, help="Port to listen on.  [default: 3000]")
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"]),
    default="info",
    show_default=True,
)
@click.option(
    "--workers",
    type=int,
    default=None,
    help="Processes serving the port as one server (one core each); more than one needs "
    "GODMODE_REDIS_URL.  [default: GODMODE_WORKERS, else 1]",
)
def run(
    dev: bool,
    migrate: bool,
    host: str | None,
    port: int | None,
    log_level: str,
    workers: int | None,
) -> None:
    """Run the server."""
    import uvicorn

    from godmode_server.app import create_app
    from godmode_server.serving import request_log
    from godmode_server.serving import workers as workers_

    overrides: dict[str, object] = {}
    if dev:
        overrides["dev"] = True
    if migrate:
        overrides["migrate"] = True
    if host is not None:
        overrides["host"] = host
    if port is not None:
        overrides["port"] = port
    if workers is not None:
        overrides["workers"] = workers
    try:
        settings = _settings(**overrides).resolved()
        workers_.check(settings.workers, settings.redis_url)
        app = create_app(settings) if settings.workers == 1 else None
    except (ConfigError, workers_.WorkersError) as exc:
        raise click.ClickException(str(exc)) from exc

    request_log.configure(log_level, settings.log_format)
    # The database and its schema first, with a plain message if they cannot be used (the
    # app checks again on start: a no-op by then).
    try:
        asyncio.run(_open_database(settings.database_url, settings.migrate or settings.dev))
    except schema.SchemaError as exc:
        raise click.ClickException(str(exc)) from exc
    if app is not None:
        uvicorn.Server(server_config(app, settings, log_level)).run()
        return
    try:
        sock = workers_.listening_socket(settings.host, settings.port)
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on {settings.host}:{settings.port}: {exc}"
        ) from exc
    # The settings as resolved here (dev mode's generated secret included) go to every worker,
    # so a token one of them signs is good on all.
    sys.exit(workers_.supervise(settings.workers, _serve_worker, (settings, log_level), sock))


def _serve_worker(settings: Settings, log_level: str, sock: socket.socket) -> None:
    """One worker of ``run --workers``: the whole server, accepting on the shared socket."""
    import uvicorn

    from godmode_server.app import create_app
    from godmode_server.serving import request_log

    request_log.configure(log_level, settings.log_format)
    uvicorn.Server(server_config(create_app(settings), settings, log_level)).run(sockets=[sock])


def server_config(app: object, settings: Settings, log_level: str = "info") -> uvicorn.Config:
    """How uvicorn serves ``app`` (also used by the benchmarks' variants of the app)."""
    import uvicorn

    from godmode_server.serving import log_redaction, request_log
    from godmode_server.serving.http_guard import (
        ConnectionLimits,
        connection_cap,
        guarded_http_protocol,
    )
    from godmode_server.serving.ws_protocol import SocketLimits, bounded_protocol

    config = uvicorn.Config(
        # Outermost, so that every line a request causes carries its id, tracebacks included.
        request_log.RequestIds(app),  # type: ignore[arg-type]
        host=settings.host,
        port=settings.port,
        log_level=log_level,
        log_config=request_log.uvicorn_log_config(settings.log_format),
        http=guarded_http_protocol(
            ConnectionLimits(
                max_connections=connection_cap(settings.max_connections),
                max_header_bytes=settings.max_header_bytes,
                max_headers=settings.max_headers,
                header_timeout=settings.header_timeout,
                coalesce_writes=settings.coalesce_writes,
            )
        ),
        ws=bounded_protocol(
            SocketLimits(
                send_buffer=settings.ws_send_buffer,
                handshake_timeout=settings.header_timeout,
                client_rate=settings.ws_client_rate,
                direct_send=settings.ws_direct_send,
                coalesce_writes=settings.coalesce_writes,
            )
        ),
        ws_max_size=WS_MAX_MESSAGE,
        # Events are serialized once for all dashboards; compression would redo it per client.
        ws_per_message_deflate=False,
        # Forwarded headers only from the proxies named (uvicorn would trust localhost's).
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=list(settings.trusted_proxies),
        server_header=False,
        timeout_keep_alive=keepalive.SERVER_SECONDS,  # clients drop idle ones first
        ssl_certfile=str(settings.tls_certfile) if settings.tls_certfile else None,
        ssl_keyfile=str(settings.tls_keyfile) if settings.tls_keyfile else None,
    )
    log_redaction.install()  # uvicorn has set up its loggers by now
    return config


@main.command()
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
    password = _read_password(admin)
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


@main.group()
def db() -> None:
    """The database's schema: which revision it is at, and migrating it."""


@db.command("current")
def db_current() -> None:
    """Print the schema's revision and this server's."""
    url = _settings().database_url
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
    url = _settings().database_url
    try:
        state = asyncio.run(_open_database(url, migrate=True))
    except schema.SchemaError as exc:
        raise click.ClickException(str(exc)) from exc
    if state.current == state.head:
        click.echo(f"already at {state.head}")
    else:
        click.echo(f"migrated from {state.current or 'an empty database'} to {state.head}")
        audit_command_line("db.upgrade", state.head, f"from {state.current or 'empty'}")


async def _open_database(url: str, migrate: bool) -> schema.SchemaState:
    """Create (a private SQLite file, in a folder made for it) or check the database."""
    database = Database(url)
    try:
        return await database.start(migrate=migrate)
    finally:
        await database.close()


@main.group()
def user() -> None:
    """Manage dashboard users."""


def _read_password(name: str) -> str:
    if sys.stdin.isatty():
        return click.prompt(
            f"Password for {name}", hide_input=True, confirmation_prompt=True, type=str
        )
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise click.ClickException("no password on standard input")
    return password


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="manager", show_default=True)
def user_add(name: str, role: str) -> None:
    """Add a user; the password is prompted for, or read from standard input."""
    password = _read_password(name)
    _with_db(lambda db: db.add_user(name, password, role), ("user.add", name, f"role {role}"))
    click.echo(f"user {name!r} added with role {role}")


@user.command("passwd")
@click.argument("name")
def user_passwd(name: str) -> None:
    """Set a user's password (prompted for, or read from standard input).

    Every token issued before stops working on every server within a second, open dashboards
    included: the user logs in again with the new password."""
    password = _read_password(name)
    _with_db(lambda db: db.set_password(name, password), ("user.password", name, ""))
    click.echo(f"password of {name!r} changed; their earlier sessions are ended")


@user.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
def user_role(name: str, role: str) -> None:
    """Give a user another role (they log in again to get it)."""
    _with_db(lambda db: db.set_role(name, role), ("user.role", name, role))
    click.echo(f"user {name!r} is now {role}; their earlier sessions are ended")


@user.command("reports")
@click.argument("name")
@click.argument("state", type=click.Choice(["on", "off"]))
def user_reports(name: str, state: str) -> None:
    """Open the earnings reports to a monitor, or close them (admins and managers always may)."""
    _with_db(lambda db: db.set_can_report(name, state == "on"), ("user.reports", name, state))
    click.echo(f"reports {'opened to' if state == 'on' else 'closed to'} {name!r}")


def _room_ref(text: str) -> tuple[str, str]:
    room_id, at, platform = text.rpartition("@")
    if (
        not at
        or not re.fullmatch(ROOM_ID_PATTERN, room_id)
        or not re.fullmatch(PLATFORM_PATTERN, platform)
    ):
        raise click.BadParameter(f"{text!r} is not ROOM@PLATFORM (e.g. luna_01@chaturbate)")
    return room_id, platform


@user.command("rooms")
@click.argument("name")
@click.argument("rooms", nargs=-1)
def user_rooms(name: str, rooms: tuple[str, ...]) -> None:
    """Set the rooms a monitor looks after, as ROOM@PLATFORM (none: no room)."""
    refs = [_room_ref(r) for r in rooms]
    _with_db(
        lambda db: db.set_rooms(name, refs),
        ("user.rooms", name, " ".join(f"{r}@{p}" for r, p in sorted(set(refs)))[:500]),
    )
    click.echo(f"{name!r} looks after {len(set(refs))} room(s)")


@user.command("delete")
@click.argument("name")
@click.confirmation_option(prompt="Delete this user?")
def user_delete(name: str) -> None:
    """Delete a user; every token they hold stops working within a second."""
    _with_db(lambda db: db.delete_user(name), ("user.delete", name, ""))
    click.echo(f"user {name!r} deleted")


@user.command("list")
def user_list() -> None:
    """List users."""
    for info in _with_db(lambda db: db.list_users()):
        state = " (disabled)" if info.disabled else ""
        click.echo(f"{info.username}\t{info.role}{state}")


@user.command("disable")
@click.argument("name")
def user_disable(name: str) -> None:
    """Disable a user: logins are refused, and every token they hold stops working on every
    server within a second, open dashboards included."""
    _with_db(lambda db: db.set_disabled(name, True), ("user.disable", name, ""))
    click.echo(f"user {name!r} disabled")


@user.command("enable")
@click.argument("name")
def user_enable(name: str) -> None:
    """Enable a disabled user."""
    _with_db(lambda db: db.set_disabled(name, False), ("user.enable", name, ""))
    click.echo(f"user {name!r} enabled")


@main.group()
def key() -> None:
    """Manage ingest API keys (sent by collectors as X-Api-Key)."""


@key.command("create")
@click.argument("name")
def key_create(name: str) -> None:
    """Create a key and print it.  Only its hash is stored: this is the only time it is shown."""
    _show_key(name, "created", _with_db(lambda db: db.create_key(name), ("key.create", name, "")))


@key.command("rotate")
@click.argument("name")
def key_rotate(name: str) -> None:
    """Give a key a new value and print it; the old value stops working within a second."""
    _show_key(name, "rotated", _with_db(lambda db: db.rotate_key(name), ("key.rotate", name, "")))


def _show_key(name: str, done: str, value: str) -> None:
    """The key on standard output (for scripts), the warning that it is shown once beside."""
    click.echo(value)
    click.echo(f"key {name!r} {done}; store it now, it cannot be shown again", err=True)


@key.command("list")
@click.option(
    "--metrics-ids",
    is_flag=True,
    help="Also the label each key has in /metrics (unless GODMODE_METRICS_KEY_NAMES).",
)
def key_list(metrics_ids: bool) -> None:
    """List keys (names only; the keys themselves are not stored)."""
    from godmode_server.collectors.health import metric_label

    for info in _with_db(lambda db: db.list_keys()):
        state = " (revoked)" if info.revoked else ""
        label = f"\t{metric_label(info.name, named=False)}" if metrics_ids else ""
        click.echo(f"{info.name}{label}{state}")


@key.command("revoke")
@click.argument("name")
def key_revoke(name: str) -> None:
    """Revoke a key; every server stops accepting it within a second."""
    _with_db(lambda db: db.revoke_key(name), ("key.revoke", name, ""))
    click.echo(f"key {name!r} revoked")


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup(path: Path) -> None:
    """Copy the SQLite database to PATH, consistently, while the server runs.

    SQLite's online backup: the copy is the database as of one moment, whatever the server
    writes meanwhile.  Restore by stopping the server and putting the copy in the database's
    place.  (PostgreSQL: pg_dump; see docs/OPERATIONS.md.)"""
    url = make_url(_settings().database_url)
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


def _ingest_key_options(command: F) -> F:
    """The simulators' ``--api-key`` and ``--api-key-file`` (read by :func:`_ingest_key`)."""
    command = click.option(
        "--api-key-file",
        type=click.Path(dir_okay=False, exists=True, path_type=Path),
        default=None,
        help="Read the ingest key from this file.",
    )(command)
    return click.option(
        "--api-key",
        envvar="GODMODE_API_KEY",
        default=None,
        help="Ingest key; safer from the environment (GODMODE_API_KEY) or --api-key-file, "
        "since other users of the machine can read a command line.",
    )(command)


def _ingest_key(api_key: str | None, api_key_file: Path | None) -> str | None:
    """The simulators' ingest key: from --api-key-file, the environment, or (said to be
    unsafe) the command line."""
    given = click.get_current_context().get_parameter_source("api_key")
    if api_key_file is not None:
        if given is ParameterSource.COMMANDLINE:
            raise click.UsageError("give the key by --api-key or --api-key-file, not both")
        key = api_key_file.read_text().strip()
        if not key:
            raise click.UsageError(f"{api_key_file} holds no key")
        return key
    if given is ParameterSource.COMMANDLINE:
        click.echo(
            "warning: a key on the command line is visible to every user of this machine "
            "(ps); set GODMODE_API_KEY or use --api-key-file",
            err=True,
        )
    return api_key


@main.command()
@click.option(
    "--server",
    envvar="GODMODE_SERVER",
    default="http://127.0.0.1:3000",
    show_default=True,
    help="Server to post to (env GODMODE_SERVER).",
)
@_ingest_key_options
@click.option("--rooms", type=click.IntRange(1, 1000), default=24, show_default=True)
@click.option(
    "--rate",
    type=click.FloatRange(0.1, 10_000),
    default=10.0,
    show_default=True,
    help="Samples per second, all rooms together.",
)
@click.option("--seed", type=int, default=None, help="Same seed, same samples.")
@click.option("--duration", type=float, default=None, help="Stop after this many seconds.")
@click.option(
    "--backfill",
    type=click.IntRange(0, 24 * 60),
    default=0,
    help="First post this many minutes of past samples, so charts have a history.",
)
@click.option("-q", "--quiet", is_flag=True, help="Do not print each sample.")
def simulate(
    server: str,
    api_key: str | None,
    api_key_file: Path | None,
    rooms: int,
    rate: float,
    seed: int | None,
    duration: float | None,
    backfill: int,
    quiet: bool,
) -> None:
    """Post a simulated studio's samples, as collectors would (Ctrl+C stops)."""
    from godmode_server.simulation.studio import Studio, post_history, post_samples

    api_key = _ingest_key(api_key, api_key_file)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    studio = Studio(rooms, rate=rate, seed=seed)
    if backfill:
        sent = asyncio.run(post_history(server, studio, backfill, api_key=api_key))
        click.echo(f"{sent} past samples posted ({backfill} minutes)", err=True)

    def show(sample: object, ok: bool) -> None:
        if not quiet:
            click.echo(("" if ok else "not accepted: ") + sample.model_dump_json())  # type: ignore[attr-defined]

    click.echo(f"simulating {rooms} rooms at {rate:g} samples/s against {server}", err=True)
    try:
        accepted = asyncio.run(
            post_samples(server, studio, api_key=api_key, duration=duration, on_sample=show)
        )
    except KeyboardInterrupt:
        return
    click.echo(f"{accepted} samples accepted", err=True)


@main.command("simulate-week")
@click.option(
    "--server",
    "servers",
    multiple=True,
    default=["http://127.0.0.1:3000"],
    show_default=True,
    help="Node to post to; repeat to spread the rooms over several nodes.",
)
@_ingest_key_options
@click.option("--rooms", type=click.IntRange(1, 80), default=5, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same week.")
@click.option(
    "--timezone",
    default="Europe/Madrid",
    show_default=True,
    help="The studio's zone: the week holds its latest daylight-saving change.",
)
@click.option(
    "--truth",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write what each room earned per day (the ground truth) to this JSON file.",
)
def simulate_week(
    servers: tuple[str, ...],
    api_key: str | None,
    api_key_file: Path | None,
    rooms: int,
    seed: int,
    timezone: str,
    truth: str | None,
) -> None:
    """Post a simulated past week whose earnings are known (docs/PROTOCOL.md, "Earnings"):
    resets, outages, duplicates, late and out-of-order samples, a DST change."""
    import json
    import time
    from zoneinfo import ZoneInfo

    from godmode_server.reports.earnings import day_periods
    from godmode_server.simulation.week import StudioWeek, post, week_with_dst_change

    api_key = _ingest_key(api_key, api_key_file)
    zone = ZoneInfo(timezone)
    start, end = week_with_dst_change(zone, int(time.time()))
    week = StudioWeek(start=start, end=end, rooms=rooms, seed=seed, nodes=len(servers))
    deliveries = week.deliveries()
    click.echo(
        f"posting {len(deliveries)} samples of {rooms} rooms, {start} to {end}, "
        f"to {', '.join(servers)}",
        err=True,
    )
    posted = asyncio.run(post(servers, deliveries, api_key=api_key))
    click.echo(f"{posted} posted", err=True)
    if truth:
        rows = [
            {"room_id": room_id, "platform": platform, "period_start": period, **figures}
            for (room_id, platform, period), figures in sorted(
                week.truth(day_periods(start, end, zone)).items()
            )
        ]
        with open(truth, "w", encoding="utf-8") as out:
            json.dump({"from": start, "to": end, "timezone": timezone, "rows": rows}, out, indent=1)


@main.command("audit")
@click.option("--limit", type=click.IntRange(1, 100_000), default=50, show_default=True)
def audit(limit: int) -> None:
    """The latest administrative actions, newest first: when, who, what, on what, from where."""
    for entry in _with_db(lambda db: db.audit_entries(limit)):
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(entry.at))
        click.echo(
            f"{when}  {entry.actor}  {entry.action}  {entry.target}  {entry.detail}  "
            f"({entry.address})"
        )


main.add_command(extension_commands.extension)
